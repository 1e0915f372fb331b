// Run inside a network namespace the test creates (see udp-multicast.test.ts),
// where a veth pair v0/v1 is up with 10.77.0.1/24 and .3/24 on v0 and IPv6
// link-local addresses: sockscope UDP sessions join, send and leave multicast
// groups and broadcast there. Prints one JSON object of what each step saw.
import { call, engine } from './probe-engine';

const settle = () => new Promise((resolve) => setTimeout(resolve, 250));
const text = (value: string) => ({ format: 'text' as const, text: value });

/** What a session received, as text, in order. */
function received(sessionId: string): string[] {
  return [...engine.log.iterate(sessionId)]
    .filter((record) => record.direction === 'in')
    .map((record) => Buffer.from(record.bytes).toString());
}

function senders(sessionId: string): string[] {
  return [...engine.log.iterate(sessionId)]
    .filter((record) => record.direction === 'in')
    .map((record) => record.remote?.address ?? '');
}

async function failure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
    return { code: 'none', message: 'did not fail' };
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
}

const result: Record<string, unknown> = {};

// IPv4, any-source: join, receive, leave, no longer receive.
{
  const receiver = await call('udp.bind', { localAddress: '0.0.0.0', reuseAddress: true });
  const port = receiver.local!.port;
  const joined = await call('udp.join', {
    sessionId: receiver.id,
    group: '239.1.2.3',
    interface: '10.77.0.1',
  });
  const sender = await call('udp.bind', {
    localAddress: '10.77.0.1',
    multicastInterface: '10.77.0.1',
    multicastTtl: 1,
  });
  const to = { host: '239.1.2.3', port };
  await call('session.send', { sessionId: sender.id, payload: text('v4-joined'), to });
  await settle();
  const left = await call('udp.leave', {
    sessionId: receiver.id,
    group: '239.1.2.3',
    interface: '10.77.0.1',
  });
  await call('session.send', { sessionId: sender.id, payload: text('v4-after-leave'), to });
  await settle();
  result.v4 = {
    memberships: joined.memberships,
    afterLeave: left.memberships,
    received: received(receiver.id),
  };

  // Loopback off at the sender: a member on this host no longer hears it.
  await call('udp.join', { sessionId: receiver.id, group: '239.1.2.3', interface: '10.77.0.1' });
  await call('udp.setOptions', { sessionId: sender.id, multicastLoopback: false });
  await call('session.send', { sessionId: sender.id, payload: text('v4-no-loopback'), to });
  await call('udp.setOptions', { sessionId: sender.id, multicastLoopback: true });
  await call('session.send', { sessionId: sender.id, payload: text('v4-loopback'), to });
  await settle();
  const senderInfo = await call('session.info', { sessionId: sender.id });
  result.loopback = {
    received: received(receiver.id),
    options: senderInfo.kind === 'udp' ? senderInfo.options : null,
  };
  const leftAll = await call('udp.leaveAll', { sessionId: receiver.id });
  result.leaveAll = leftAll.memberships;
  result.notMember = await failure(() =>
    call('udp.leave', { sessionId: receiver.id, group: '239.1.2.3', interface: '10.77.0.1' }),
  );
}

// IPv4, source-specific: only the named source's datagrams arrive.
{
  const receiver = await call('udp.bind', { localAddress: '0.0.0.0' });
  const port = receiver.local!.port;
  const joined = await call('udp.join', {
    sessionId: receiver.id,
    group: '232.1.1.1',
    source: '10.77.0.1',
    interface: '10.77.0.1',
  });
  const to = { host: '232.1.1.1', port };
  for (const [from, words] of [
    ['10.77.0.1', 'ssm-from-source'],
    ['10.77.0.3', 'ssm-from-other'],
  ] as const) {
    const sender = await call('udp.bind', { localAddress: from, multicastInterface: '10.77.0.1' });
    await call('session.send', { sessionId: sender.id, payload: text(words), to });
  }
  await settle();
  result.ssm = { memberships: joined.memberships, received: received(receiver.id) };
}

// IPv6 with a scope: join ff12::1234 on v0, send to it through v0.
{
  const receiver = await call('udp.bind', { localAddress: '::', reuseAddress: true });
  const port = receiver.local!.port;
  const joined = await call('udp.join', {
    sessionId: receiver.id,
    group: 'ff12::1234',
    interface: '::%v0',
  });
  const sender = await call('udp.bind', {
    localAddress: '::',
    multicastInterface: '::%v0',
    multicastTtl: 1,
  });
  await call('session.send', {
    sessionId: sender.id,
    payload: text('v6-joined'),
    to: { host: 'ff12::1234%v0', port },
  });
  await settle();
  await call('udp.leaveAll', { sessionId: receiver.id });
  await call('session.send', {
    sessionId: sender.id,
    payload: text('v6-after-leave'),
    to: { host: 'ff12::1234%v0', port },
  });
  await settle();
  result.v6 = {
    memberships: joined.memberships,
    received: received(receiver.id),
    senders: senders(receiver.id),
  };
}

// Broadcast: refused without the option, delivered with it (directed and limited).
{
  const receiver = await call('udp.bind', { localAddress: '0.0.0.0' });
  const port = receiver.local!.port;
  const quiet = await call('udp.bind', { localAddress: '10.77.0.1' });
  result.broadcastOff = await failure(() =>
    call('session.send', {
      sessionId: quiet.id,
      payload: text('b-off'),
      to: { host: '10.77.0.255', port },
    }),
  );
  const loud = await call('udp.bind', { localAddress: '0.0.0.0', broadcast: true });
  await call('session.send', {
    sessionId: loud.id,
    payload: text('b-directed'),
    to: { host: '10.77.0.255', port },
  });
  await call('session.send', {
    sessionId: loud.id,
    payload: text('b-limited'),
    to: { host: '255.255.255.255', port },
  });
  await settle();
  result.broadcast = { received: received(receiver.id), option: loud.options.broadcast };
}

process.stdout.write(`${JSON.stringify(result)}\n`);
await engine.close();
process.exit(0);
