// Small packets at a steady offered rate, spread over several connections: once
// CONNECTIONS clients are connected it writes RATE lines per second in total (one
// 24-byte line per write, round-robin), for DURATION_MS, then closes them all.
// Listens on 127.0.0.1 only and prints its port.
//   node flood.mjs DURATION_MS RATE CONNECTIONS
import { createServer } from 'node:net';

const durationMs = Number(process.argv[2] ?? 20_000);
const rate = Number(process.argv[3] ?? 20_000);
const connections = Number(process.argv[4] ?? 30);
const sockets = [];
let sequence = 0;

function flood() {
  const startedAt = performance.now();
  let next = 0;
  const timer = setInterval(() => {
    const elapsed = performance.now() - startedAt;
    if (elapsed >= durationMs) {
      clearInterval(timer);
      for (const socket of sockets) socket.end();
      return;
    }
    const due = Math.floor((rate * elapsed) / 1000) - sequence;
    for (let i = 0; i < due; i++) {
      const socket = sockets[next];
      next = (next + 1) % sockets.length;
      sequence += 1;
      if (!socket.destroyed) socket.write(`seq ${String(sequence).padStart(10, '0')} flood\r\n`);
    }
  }, 1);
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  sockets.push(socket);
  if (sockets.length === connections) flood();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
