// A load peer in its own process, so its work does not share the measured event loop.
//   node writer.mjs connect PORT BYTES  — connects to a sink and writes BYTES in 64 KiB chunks
//   node writer.mjs serve BYTES         — listens on 127.0.0.1, prints its port, and writes
//                                         BYTES in 64 KiB chunks to each connection, then ends it
import { connect, createServer } from 'node:net';

const chunk = Buffer.alloc(64 * 1024, 0x5a);

function pump(socket, total) {
  let left = total;
  const write = () => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!socket.write(piece)) return socket.once('drain', write);
    }
    socket.end();
  };
  write();
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'connect') {
  const socket = connect(Number(args[0]), '127.0.0.1', () => pump(socket, Number(args[1])));
  socket.on('close', () => process.exit(0));
} else if (mode === 'serve') {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    pump(socket, Number(args[0]));
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
} else {
  process.stderr.write('usage: writer.mjs connect PORT BYTES | serve BYTES\n');
  process.exit(2);
}
