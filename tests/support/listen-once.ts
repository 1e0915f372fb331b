// Runs one tcp.listen through a fresh engine and prints the envelope as JSON: the
// permission-denied test runs it without the capability to bind low ports.
//   tsx listen-once.ts HOST PORT
import { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';

const [host = '127.0.0.1', port = '0'] = process.argv.slice(2);
const engine = await Engine.start({ transport: 'web', version: 'test' });
const envelope = await dispatch(engine, 'tcp.listen', { host, port: Number(port) });
process.stdout.write(`${JSON.stringify(envelope)}\n`);
await engine.close();
process.exit(0);
