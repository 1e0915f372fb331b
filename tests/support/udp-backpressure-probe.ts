// Run inside a network namespace the test creates (see udp-file-backpressure.test.ts),
// where loopback is shaped by a token bucket (tc tbf) so slow that the kernel stops
// taking datagrams: the UDP socket's send buffer fills and its write queue with it.
// A file's datagrams then wait for room; once the bucket is opened (tc qdisc change)
// every datagram arrives in order. Prints one JSON object of what each step saw.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { call, engine } from './probe-engine';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const base64 = (bytes: Uint8Array) => ({
  format: 'base64' as const,
  text: Buffer.from(bytes).toString('base64'),
});
async function shape(rate: string): Promise<void> {
  const run = spawnSync('tc', [
    'qdisc',
    'change',
    'dev',
    'lo',
    'root',
    'tbf',
    'rate',
    rate,
    ...bucket,
  ]);
  if (run.status !== 0) throw new Error(`tc: ${run.stderr.toString()}`);
  // The bucket's timer still runs at the old rate (a minute per datagram at 8 kbit/s):
  // one datagram of its own makes the queue look at the new rate now.
  const kick = createSocket('udp4');
  await new Promise<void>((resolve) => kick.bind(0, '127.0.0.1', resolve));
  await new Promise((resolve) => kick.send('kick', kick.address().port, '127.0.0.1', resolve));
  kick.close();
}
/** The bucket holds one datagram of the backlog; the queue behind it holds them all (no drops). */
const bucket = ['burst', '64kb', 'limit', '64mb'];

/** A plain receiver with a large buffer: nothing it is sent is dropped while it reads. */
async function receiver() {
  const socket = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  const received: Buffer[] = [];
  socket.on('message', (message) => received.push(message));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, received, close: () => socket.close() };
}

async function failure(sent: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await sent;
    return { code: 'none', message: 'did not fail' };
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
}

/**
 * Datagrams of 60,000 bytes, each sent once the one before it is counted, until one is
 * refused as past the queue's limit, then of 500 bytes until one is: less room is left
 * than a file's datagram of 1,000 needs. The datagrams taken, in order.
 */
async function fillQueue(sessionId: string, to: { host: string; port: number }) {
  const accepted: Buffer[] = [];
  const sends: Promise<unknown>[] = [];
  let size = 60_000;
  for (let index = 0; index < 600; index += 1) {
    const datagram = randomBytes(size);
    const sent = call('session.send', { sessionId, payload: base64(datagram), to });
    const refused = await Promise.race([
      sent.then(
        () => false,
        (error: { code?: string }) => {
          if (error.code === 'ERR_SEND_QUEUE_FULL') return true;
          throw error;
        },
      ),
      sleep(2).then(() => false),
    ]);
    if (refused && size === 500) return { accepted, sent: Promise.all(sends) };
    if (refused) {
      size = 500;
      continue;
    }
    accepted.push(datagram);
    sends.push(sent);
  }
  throw new Error('600 datagrams were taken and none refused: the kernel did not push back');
}

/** What the renderer's file send does for UDP: chunks of whole datagrams, each told to wait. */
async function sendFile(
  sessionId: string,
  to: { host: string; port: number },
  file: Uint8Array,
  progress: { sent: number },
) {
  const chunkBytes = 64 * 1000;
  while (progress.sent < file.byteLength) {
    const chunk = file.subarray(progress.sent, progress.sent + chunkBytes);
    await call('udp.sendDatagrams', {
      sessionId,
      payload: base64(chunk),
      to,
      datagramBytes: 1000,
      whenFull: 'wait',
    });
    progress.sent += chunk.byteLength;
  }
}

const queued = async (sessionId: string) =>
  (await call('session.info', { sessionId })).writeQueue.queuedBytes;

/** A full queue, a file that waits, the bucket opened: everything arrives in order. */
async function waitsThenArrives() {
  await shape('8kbit');
  const peer = await receiver();
  const to = { host: '127.0.0.1', port: peer.port };
  const socket = await call('udp.bind', { localAddress: '127.0.0.1' });
  const backlog = await fillQueue(socket.id, to);
  const full = await queued(socket.id);
  const file = randomBytes(200_000 + 345);
  const progress = { sent: 0 };
  const fileSent = sendFile(socket.id, to, file, progress);
  await sleep(1000);
  const pausedAt = progress.sent;
  const fileDatagramsOut = [...engine.log.iterate(socket.id)].filter(
    (record) => record.direction === 'out' && record.bytes.byteLength === 1000,
  ).length;
  await sleep(1000);
  const stillAt = progress.sent;
  await shape('100mbit');
  await fileSent;
  await backlog.sent;
  const expected = backlog.accepted.length + Math.ceil(file.byteLength / 1000);
  for (let tries = 0; tries < 200 && peer.received.length < expected; tries += 1) await sleep(50);
  await sleep(200);
  const arrived = Buffer.concat(peer.received);
  const inOrder = arrived.equals(Buffer.concat([...backlog.accepted, file]));
  peer.close();
  await call('session.remove', { sessionId: socket.id });
  return {
    backlog: backlog.accepted.length,
    full,
    pausedAt,
    stillAt,
    fileDatagramsOut,
    expected,
    arrived: peer.received.length,
    inOrder,
  };
}

/** A waiting datagram run ends with the socket's words when it closes, or stops on a cancel. */
async function endsWhenClosedOrCancelled() {
  await shape('8kbit');
  const peer = await receiver();
  const to = { host: '127.0.0.1', port: peer.port };
  const closing = await call('udp.bind', { localAddress: '127.0.0.1' });
  const closingBacklog = await fillQueue(closing.id, to);
  closingBacklog.sent.catch(() => {});
  const waitingForClose = call('udp.sendDatagrams', {
    sessionId: closing.id,
    payload: base64(randomBytes(5000)),
    to,
    datagramBytes: 1000,
    whenFull: 'wait',
  });
  await sleep(200);
  await call('session.close', { sessionId: closing.id });
  const closed = await failure(waitingForClose);

  const cancelling = await call('udp.bind', { localAddress: '127.0.0.1' });
  const backlog = await fillQueue(cancelling.id, to);
  const marked = Buffer.alloc(1000, 0xee);
  const waitingForCancel = call('udp.sendDatagrams', {
    sessionId: cancelling.id,
    payload: base64(Buffer.concat([marked, marked, marked])),
    to,
    datagramBytes: 1000,
    whenFull: 'wait',
  });
  await sleep(200);
  const cancelledCount = await call('session.cancelWaitingSends', { sessionId: cancelling.id });
  const cancelled = await failure(waitingForCancel);
  // The engine never handed the called-off datagrams to the socket.
  const markedSent = [...engine.log.iterate(cancelling.id)].filter(
    (record) => record.direction === 'out' && Buffer.from(record.bytes).equals(marked),
  ).length;
  backlog.sent.catch(() => {});
  peer.close();
  await call('session.remove', { sessionId: closing.id });
  await call('session.remove', { sessionId: cancelling.id });
  return { closed, cancelledCount, cancelled, markedSent };
}

const result = { waits: await waitsThenArrives(), ends: await endsWhenClosedOrCancelled() };
await engine.close();
console.log(JSON.stringify(result));
