import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { post } from '../support/http';
import { freePort } from '../support/redis-server';
import { createTestDatabase, waitFor } from '../support/services';
import { ROOT, spawnServer } from '../support/spawn-server';

/** The first line on the combined output that is not a pino JSON log line. */
const plainLines = (output: string) => output.split('\n').filter((l) => l.trim() && !l.startsWith('{'));

describe('the process, as an operator meets it', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('a port already in use stops the server with a non-zero exit and one line naming PORT', async () => {
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const failure = await spawnServer({ DATABASE_URL: database.url, PORT: String(port) }).then(
        () => undefined,
        (err: Error) => err.message,
      );
      expect(failure).toContain('server exited early');
      const lines = plainLines(failure!.replace(/^.*server exited early:\n/s, ''));
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^cannot listen \\(PORT=${port}, HOST=127\\.0\\.0\\.1\\): port ${port} .* already in use`))]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('a HOST that is not an address of this machine stops the server with one line naming HOST', async () => {
    const failure = await spawnServer({ DATABASE_URL: database.url, HOST: '192.0.2.123' }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    const lines = plainLines(failure!.replace(/^.*server exited early:\n/s, ''));
    expect(lines).toEqual([expect.stringMatching(/^cannot listen \(PORT=\d+, HOST=192\.0\.2\.123\): HOST 192\.0\.2\.123 is not an address of this machine/)]);
  });

  it('says where it listens and what is enabled in one start line, and a quiet server\'s log lines reach stdout within a second', async () => {
    const server = await spawnServer({ DATABASE_URL: database.url, STRIPE_WEBHOOK_SECRETS: 'whsec_process_0123456789', SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/slack' });
    try {
      // The server answers /healthz: its start line must already be on stdout (or within a second).
      const startLine = await waitFor(async () => server.output().split('\n').find((l) => l.includes('"listening on')), 1_000, 'the start line');
      const parsed = JSON.parse(startLine);
      expect(parsed).toMatchObject({
        role: 'all',
        url: server.url.replace('127.0.0.1', '127.0.0.1'),
        dashboardUrl: `${server.url}/`,
        providers: ['stripe'],
        alertChannels: ['slack'],
      });
      // One line at low volume: a webhook with a bad signature logs its refusal.
      const before = server.output().length;
      const sentAt = Date.now();
      const answer = await post(`${server.url}/webhooks/stripe`, '{}', { 'stripe-signature': 't=1,v1=00' });
      expect(answer.status).toBe(400);
      await waitFor(async () => server.output().length > before, 1_000 - (Date.now() - sentAt), 'the log line of the refused webhook');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    // What was logged while shutting down is flushed before the process ends.
    const last = server.output().trim().split('\n').filter((l) => l.startsWith('{')).at(-1)!;
    expect(server.output()).toContain('shutting down');
    expect(() => JSON.parse(last)).not.toThrow();
  });

  it('log lines still in the buffer when the process crashes reach stdout', async () => {
    // A few small lines: far below the buffer's size, so only the exit flush can write them.
    const script = `const log = require('./src/log').createLogger('info');
      for (let i = 0; i < 3; i++) log.info({ i }, 'line before the crash');
      setTimeout(() => { throw new Error('boom'); }, 20);`;
    const crashed = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT }).then(
      () => undefined,
      (err: { code: number; stdout: string }) => err,
    );
    expect(crashed?.code).not.toBe(0);
    expect(crashed!.stdout.split('\n').filter((l) => l.includes('line before the crash'))).toHaveLength(3);
  });
});
