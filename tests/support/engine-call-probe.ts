// Run where the test cannot be (a namespace, fewer privileges): makes one engine call,
// COMMAND with ARGS_JSON, and prints its envelope as one JSON line.
import { Engine } from '../../src/main/engine';
import { dispatch } from '../../src/main/router';

const [command = 'app.info', args = '{}'] = process.argv.slice(2);
const engine = await Engine.start({ transport: 'web', version: 'probe' });
const envelope = await dispatch(engine, command, JSON.parse(args));
process.stdout.write(`${JSON.stringify(envelope)}\n`);
await engine.close();
process.exit(0);
