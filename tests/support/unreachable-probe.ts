// Run inside a network namespace the test creates (see tcp-unreachable.test.ts):
// connects a sockscope TCP client session to HOST:PORT and prints what it reports.
import { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';

const [host = '127.0.0.1', port = '7'] = process.argv.slice(2);
const engine = await Engine.start({ transport: 'web', version: 'probe' });
const envelope = await dispatch(engine, 'tcp.connect', { host, port: Number(port) });
process.stdout.write(`${JSON.stringify(envelope.ok ? envelope.result : envelope.error)}\n`);
await engine.close();
process.exit(0);
