// A plain Node dgram receiver on 127.0.0.1 that only counts: prints its port, then,
// on SIGTERM, one JSON line with what it received. It asks the receive buffer the
// sockscope session gets, so the two differ only in what sockscope does per datagram.
//   node udp-sink.mjs RECV_BUFFER_BYTES
import { createSocket } from 'node:dgram';

const socket = createSocket({ type: 'udp4', recvBufferSize: Number(process.argv[2]) });
let datagrams = 0;
let bytes = 0;
socket.on('message', (message) => {
  datagrams += 1;
  bytes += message.length;
});
socket.bind(0, '127.0.0.1', () => process.stdout.write(`${socket.address().port}\n`));
const report = () => {
  process.stdout.write(`${JSON.stringify({ datagrams, bytes })}\n`);
  socket.close();
  process.exit(0);
};
process.on('SIGTERM', report);
