import { spawn } from 'node:child_process';
import { dropDatabase } from '../../src/db/pool';
import { clearQueues, demoDatabaseUrl } from '../../src/demo';
import { SandboxRefused, startSandbox } from '../../src/sandbox';
import { freePort } from '../support/redis-server';
import { POSTGRES_BASE, REDIS_URL, uniqueName, waitFor } from '../support/services';
import { ROOT } from '../support/spawn-server';

/** `npm run demo` as a newcomer runs it: `node --import tsx src/demo.ts`, signals reaching it. */
function spawnDemo(env: Record<string, string>) {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('npm run demo', () => {
  const databaseUrl = `${POSTGRES_BASE}/${uniqueName('rebuttal_test')}`;
  const queuePrefix = uniqueName('demo');
  afterAll(async () => {
    await dropDatabase(demoDatabaseUrl(databaseUrl));
    await clearQueues(REDIS_URL, `${queuePrefix}-demo`);
  });

  it('starts the sandbox, replays the stories, takes a submission from each provider to under review, and stops on SIGTERM', async () => {
    const port = await freePort();
    const demo = spawnDemo({ PORT: String(port), DATABASE_URL: databaseUrl, QUEUE_PREFIX: queuePrefix });
    try {
      await waitFor(async () => {
        if (demo.child.exitCode !== null) throw new Error(`the demo exited early:\n${demo.output()}`);
        return demo.output().includes('Ctrl-C stops the demo');
      }, 120_000, 'the demo to be ready');
      const out = demo.output();
      expect(out).toContain(`Dashboard:  http://localhost:${port}/`);
      expect(out).toMatch(/Replayed 9 scenario stories/);
      const token = /Token:\s+(\S+)/.exec(out)![1]!;
      const open = [...out.matchAll(/^\s+(stripe|paypal|square)\s.*?(\d+)%\s+http:\S+\/disputes\/([0-9a-f-]{36})$/gm)].map((m) => ({ provider: m[1]!, completeness: Number(m[2]), id: m[3]! }));
      // The merchant records match the open disputes: each can be submitted with complete evidence.
      expect(open.map((d) => d.provider).sort()).toEqual(['paypal', 'square', 'stripe']);
      expect(open.every((d) => d.completeness === 100)).toBe(true);

      const api = `http://127.0.0.1:${port}/api`;
      const headers = { authorization: `Bearer ${token}` };
      for (const d of open) {
        const answer = await fetch(`${api}/disputes/${d.id}/submit`, { method: 'POST', headers });
        expect(answer.status).toBe(202);
      }
      const states = await waitFor(async () => {
        const all = await Promise.all(open.map(async (d) => (await (await fetch(`${api}/disputes/${d.id}`, { headers })).json()) as any));
        return all.every((d) => d.status === 'under_review') ? all : undefined;
      }, 60_000, 'every submitted dispute under review');
      expect(states.map((d) => [d.provider, d.status, d.submissions[0].status]).sort()).toEqual([
        ['paypal', 'under_review', 'sent'],
        ['square', 'under_review', 'sent'],
        ['stripe', 'under_review', 'sent'],
      ]);
      for (const provider of ['stripe', 'paypal', 'square']) expect(demo.output()).toMatch(new RegExp(`sandbox ${provider}: evidence received for \\S+; sent \\S+ → 200`));
    } finally {
      if (demo.child.exitCode === null) demo.child.kill('SIGTERM');
    }
    await expect(demo.exited).resolves.toBe(0);
    expect(demo.output()).toContain('Stopping the demo');
  }, 240_000);

  it('the provider sandbox refuses to start in production', async () => {
    await expect(startSandbox('production')).rejects.toThrow(SandboxRefused);
    const demo = spawnDemo({ NODE_ENV: 'production', DATABASE_URL: databaseUrl, QUEUE_PREFIX: uniqueName('demo') });
    await expect(demo.exited).resolves.toBe(1);
    expect(demo.output()).toContain('refuses to start when NODE_ENV=production');
  }, 120_000);
});
