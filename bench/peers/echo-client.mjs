// Pushes BYTES through an echo server at 127.0.0.1:PORT in 64 KiB chunks, reading
// the echo as it comes, and prints the milliseconds until every byte came back.
//   node echo-client.mjs PORT BYTES
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const [port, total] = process.argv.slice(2).map(Number);
const chunk = Buffer.alloc(64 * 1024, 0x61);
let received = 0;
let left = total;
const startedAt = performance.now();

const socket = connect({ port, host: '127.0.0.1' }, write);
socket.on('data', (data) => {
  received += data.length;
  if (received >= total) {
    process.stdout.write(`${(performance.now() - startedAt).toFixed(1)}\n`);
    socket.destroy();
    process.exit(0);
  }
});
socket.on('error', (error) => {
  process.stderr.write(`echo client: ${error.message}\n`);
  process.exit(1);
});

function write() {
  while (left > 0) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!socket.write(piece)) return socket.once('drain', write);
  }
}
