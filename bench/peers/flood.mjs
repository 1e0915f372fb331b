// Small packets at a steady rate: every connection gets one 32-byte packet per
// millisecond for DURATION_MS, then the peer closes it. Listens on 127.0.0.1 only.
//   node flood.mjs DURATION_MS
import { createServer } from 'node:net';

const durationMs = Number(process.argv[2] ?? 20_000);
let sequence = 0;
const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  const stopAt = Date.now() + durationMs;
  const timer = setInterval(() => {
    if (Date.now() >= stopAt || socket.destroyed) {
      clearInterval(timer);
      socket.end();
      return;
    }
    sequence += 1;
    socket.write(`seq ${String(sequence).padStart(10, '0')} flood payload\r\n`);
  }, 1);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
