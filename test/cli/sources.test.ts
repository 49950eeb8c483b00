import { execFile } from 'node:child_process';
import { Queue } from 'bullmq';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, type Db } from '../../src/db/pool';
import { insertDispute } from '../support/disputes';
import { createTestDatabase, REDIS_URL, uniqueName } from '../support/services';
import { ROOT } from '../support/spawn-server';

const run = promisify(execFile);

describe('rebuttal sources and rebuttal sync', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  const prefix = uniqueName('test');
  const rebuttal = (args: string[], env: Record<string, string> = {}) =>
    run('node', [path.join(ROOT, 'bin/rebuttal.cjs'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, REDIS_URL, QUEUE_PREFIX: prefix, ...env },
    }).then(
      ({ stdout }) => ({ code: 0, out: stdout.trim() }),
      (err: { code: number; stderr: string }) => ({ code: err.code, out: err.stderr.trim() }),
    );
  const ZENDESK = { ZENDESK_SUBDOMAIN: 'northwind', ZENDESK_EMAIL: 'ops@northwind.example.com', ZENDESK_API_TOKEN: 'zd-token' };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
  });
  afterAll(async () => {
    const queue = new Queue('sources', { connection: { url: REDIS_URL }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await db.destroy();
    await database.drop();
  });

  it('lists every source with whether it is enabled, its last sync, records and last error', async () => {
    const disputeId = await insertDispute(db);
    await db.insertInto('source_pulls').values({ source: 'zendesk', dispute_id: disputeId, trigger: 'opened', status: 'error', records: 0, changed: 0, query: '"x"', error: "zendesk refused the credentials (401): Couldn't authenticate you" }).execute();
    const { code, out } = await rebuttal(['sources'], ZENDESK);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^name\s+kind\s+enabled\s+last sync\s+records\s+last error$/);
    expect(lines[1]).toMatch(/^zendesk\s+helpdesk\s+yes\s+\d{4}-\d{2}-\d{2}T\S+\s+0\s+zendesk refused the credentials \(401\)/);
    expect(lines[2]).toMatch(/^gorgias\s+helpdesk\s+no\s+-\s+0/);
  });

  it('queues a sync for an enabled source, and says what to fix otherwise', async () => {
    expect(await rebuttal(['sync', 'zendesk'], ZENDESK)).toMatchObject({ code: 0, out: expect.stringMatching(/^zendesk: sync [0-9a-f-]{36} queued$/) });
    expect(await rebuttal(['sync', 'gorgias'], ZENDESK)).toEqual({ code: 1, out: 'rebuttal: gorgias is not enabled: set its credentials' });
    expect(await rebuttal(['sync'])).toEqual({ code: 1, out: 'rebuttal: no evidence source is enabled: set its credentials (see README, "Evidence sources")' });
    expect(await db.selectFrom('source_syncs').select(['source', 'status']).execute()).toEqual([{ source: 'zendesk', status: 'queued' }]);
  });
});
