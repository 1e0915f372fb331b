// 64-byte datagrams to every PORT on 127.0.0.1 for DURATION_MS, either as fast as
// the socket takes them (RATE 0) or at RATE datagrams per second per port. Each
// port gets the same datagrams; at the end one JSON line says how many were sent.
//   node udp-sender.mjs DURATION_MS RATE PORT [PORT...]
import { createSocket } from 'node:dgram';

const durationMs = Number(process.argv[2] ?? 10_000);
const rate = Number(process.argv[3] ?? 0);
const ports = process.argv.slice(4).map(Number);
const payload = Buffer.alloc(64, 0x2e);
const socket = createSocket('udp4');
// Sends in flight at once: enough to keep the kernel busy, bounded so memory is too.
const window = 512;
let inFlight = 0;
let sent = 0;
let failed = 0;

await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
const startedAt = performance.now();
const stopAt = startedAt + durationMs;

function sendOne() {
  // The sequence number lets a receiver tell datagrams apart.
  payload.writeUInt32BE(sent >>> 0, 0);
  for (const port of ports) {
    inFlight += 1;
    socket.send(payload, port, '127.0.0.1', (error) => {
      inFlight -= 1;
      if (error) failed += 1;
    });
  }
  sent += 1;
}

await new Promise((resolve) => {
  const pump = () => {
    const now = performance.now();
    if (now >= stopAt) return resolve();
    const due = rate === 0 ? Infinity : Math.floor(((now - startedAt) / 1000) * rate) - sent;
    let budget = Math.min(due, window);
    while (budget > 0 && inFlight < window * ports.length) {
      sendOne();
      budget -= 1;
    }
    setImmediate(pump);
  };
  pump();
});
await new Promise((resolve) => {
  const drain = () => (inFlight === 0 ? resolve() : setTimeout(drain, 5));
  drain();
});
process.stdout.write(
  `${JSON.stringify({ sent, failed, seconds: (performance.now() - startedAt) / 1000 })}\n`,
);
socket.close();
