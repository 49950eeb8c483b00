import { Client } from 'pg';
import { createDb, type Db } from '../../src/db/pool';
import { findDispute } from '../../src/disputes/repository';
import { recommendationsFor } from '../../src/resolution/recommendations';
import { insertDispute } from '../support/disputes';
import { createTestDatabase, testConfig, waitFor } from '../support/services';

describe('a recommendation computed on first read (a dispute older than recommendations)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Db;
  let sql: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDb(database.url, { max: 3 });
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await db.destroy();
    await database.drop();
  });

  it('never replaces the one the workers stored meanwhile from newer evidence', async () => {
    const disputeId = await insertDispute(db);
    const asRead = (await findDispute(db, disputeId))!;
    const newer = { action: 'fight', winProbability: 0.61, expectedRecovery: { value: 5000, currency: 'USD' }, costs: { value: 1500, currency: 'USD' }, reasons: ['stored by the workers'] };

    // The workers store theirs after the read found none and before the read stores its own.
    const worker = new Client({ connectionString: database.url });
    await worker.connect();
    try {
      await worker.query('begin');
      await worker.query('insert into recommendations (dispute_id, data, computed_at) values ($1, $2, now())', [disputeId, JSON.stringify(newer)]);
      const reading = recommendationsFor(db, [asRead], testConfig(database.url).resolution);
      await waitFor(async () => (await sql.query("select 1 from pg_locks where locktype = 'transactionid' and not granted")).rowCount, 5_000, 'the read to wait on the workers’ row');
      await worker.query('commit');

      expect((await reading).get(disputeId)).toEqual(newer);
    } finally {
      await worker.end();
    }
    const { rows } = await sql.query('select data from recommendations where dispute_id = $1', [disputeId]);
    expect(rows).toEqual([{ data: newer }]);
  });
});
