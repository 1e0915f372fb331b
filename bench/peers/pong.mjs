// Answers every "ping" it reads with "pong", at once. Listens on 127.0.0.1 only.
//   node pong.mjs
import { createServer } from 'node:net';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    const pings = chunk.toString('latin1').split('ping').length - 1;
    if (pings > 0) socket.write('pong'.repeat(pings));
  });
});
server.listen(0, '127.0.0.1', 1024, () => process.stdout.write(`${server.address().port}\n`));
