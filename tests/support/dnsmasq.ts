import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';

// Debian's dnsmasq as a second, independent DNS server on a random loopback
// port, serving only the records the test gives it (no upstream, no hosts file).

export interface Dnsmasq {
  port: number;
  server: string;
  close(): Promise<void>;
}

/** The full path of a command on PATH, or null when it is not installed. */
export function commandPath(command: string): string | null {
  for (const directory of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    try {
      execFileSync('test', ['-x', `${directory}/${command}`]);
      return `${directory}/${command}`;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

function waitForStart(child: ChildProcess): Promise<string | null> {
  return new Promise((resolve) => {
    let output = '';
    const timer = setTimeout(() => resolve(`dnsmasq did not start: ${output}`), 5000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // "started" comes once the sockets are bound; it still reads the records after.
      if (/cleared cache|read /.test(output) || /started, version/.test(output)) {
        setTimeout(() => {
          clearTimeout(timer);
          resolve(null);
        }, 200);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(`dnsmasq exited with ${code}: ${output}`);
    });
  });
}

/** Starts dnsmasq with `records` (dnsmasq options such as --txt-record=…); tries a few ports. */
export async function startDnsmasq(binary: string, records: string[]): Promise<Dnsmasq> {
  let lastProblem = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort();
    const child = spawn(
      binary,
      [
        '--no-daemon',
        '--conf-file=/dev/null',
        `--port=${port}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        '--no-resolv',
        '--no-hosts',
        '--pid-file',
        `--user=${userInfo().username}`,
        '--local-ttl=77',
        ...records,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const problem = await waitForStart(child);
    if (problem === null)
      return {
        port,
        server: `127.0.0.1:${port}`,
        close: () =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    child.kill('SIGKILL');
    lastProblem = problem;
  }
  throw new Error(lastProblem);
}
