import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './redis-server';
import { ADMIN_TOKEN, REDIS_URL, queuePrefix, waitFor } from './services';

export const ROOT = path.join(__dirname, '..', '..');

export interface SpawnedServer {
  url: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `src/start.ts` as `npm start` runs it (`node --import tsx`, so signals reach the server itself),
 * in a child process with its own settings.
 */
export async function spawnServer(env: Record<string, string>, role: 'all' | 'receiver' | 'worker' = 'all'): Promise<SpawnedServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts', role], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix('spawned'),
      ADMIN_TOKEN,
      RECONCILE_INTERVAL: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  if (role !== 'worker') {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
        return fetch(`${url}/healthz`).then((r) => r.ok, () => false);
      },
      90_000,
      'the server to listen',
    ).catch((err: unknown) => {
      child.kill('SIGKILL'); // a server that never listened must not outlive the test
      throw err;
    });
  }
  return {
    url,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
