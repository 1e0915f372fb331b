// Many clients of one server: opens COUNT connections to 127.0.0.1:PORT as fast as
// the OS takes them, then each sends one line per second for DURATION_MS and ends.
// Prints "connected MS" once every connection is up.
//   node clients.mjs PORT COUNT DURATION_MS
import { connect } from 'node:net';

const [port, count, durationMs] = process.argv.slice(2).map(Number);
const sockets = [];
let connected = 0;
const startedAt = Date.now();

for (let i = 0; i < count; i++) {
  const socket = connect({ port, host: '127.0.0.1' }, () => {
    connected += 1;
    if (connected === count) {
      process.stdout.write(`connected ${Date.now() - startedAt}\n`);
      startTalking();
    }
  });
  socket.on('error', (error) => {
    process.stderr.write(`client ${i}: ${error.message}\n`);
  });
  socket.on('data', () => {});
  sockets.push(socket);
}

function startTalking() {
  const stopAt = Date.now() + durationMs;
  sockets.forEach((socket, index) => {
    // Spread the clients over the second so the lines arrive evenly.
    setTimeout(
      () => {
        let line = 0;
        const timer = setInterval(() => {
          if (Date.now() >= stopAt || socket.destroyed) {
            clearInterval(timer);
            socket.end();
            return;
          }
          line += 1;
          socket.write(`client ${index} line ${line}\r\n`);
        }, 1000);
      },
      (index * 1000) / sockets.length,
    );
  });
  setTimeout(() => process.exit(0), durationMs + 2000);
}
