// Run inside a network namespace the test creates (see udp-path-mtu.test.ts), where
// loopback's MTU is 1280: sockscope UDP sessions send datagrams larger than the path
// allows, over IPv4 and IPv6. Prints one JSON object of what each send did.
import { call, engine } from './probe-engine';

/** Sends `size` bytes from one session to another on `host`; what the send and the receiver saw. */
async function oversized(host: string, size: number) {
  const receiver = await call('udp.bind', { localAddress: host });
  const sender = await call('udp.bind', { localAddress: host });
  let sent: string;
  try {
    const { bytes } = await call('session.send', {
      sessionId: sender.id,
      payload: { format: 'hex', text: '41'.repeat(size) },
      to: { host, port: receiver.local!.port },
    });
    sent = `sent ${bytes}`;
  } catch (error) {
    sent = (error as { code: string }).code;
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
  const sizes = [...engine.log.iterate(receiver.id)]
    .filter((record) => record.direction === 'in')
    .map((record) => record.bytes.byteLength);
  return { sent, received: sizes };
}

const result = { v4: await oversized('127.0.0.1', 3000), v6: await oversized('::1', 3000) };
await engine.close();
console.log(JSON.stringify(result));
