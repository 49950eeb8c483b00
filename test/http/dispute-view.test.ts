import { Client } from 'pg';
import { SESSION_COOKIE, sessionValue } from '../../src/http/dashboard/session';
import { insertDispute } from '../support/disputes';
import { get } from '../support/http';
import { ADMIN_TOKEN, adminHeaders, createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

describe('one dispute, as staff read it (its page and GET /api/disputes/:id)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let sql: Client;
  const cookie = `${SESSION_COOKIE}=${sessionValue(ADMIN_TOKEN)}`;
  const page = async (disputeId: string) => {
    const res = await fetch(`${receiver.url}/disputes/${disputeId}`, { headers: { cookie } });
    // Anything else fails with the receiver's last log lines, which say why.
    if (res.status !== 200) throw new Error(`${res.status}: ${receiver.logs.lines.slice(-3).join('\n')}`);
    return res.text();
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url));
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await receiver.stop();
    await database.drop();
  });

  it('gathers an evidence packet for a dispute that has none yet, and shows it', async () => {
    const disputeId = await insertDispute(receiver.runtime.db);
    const html = await page(disputeId);
    const { rows } = await sql.query('select count(*)::int as packets from packets where dispute_id = $1', [disputeId]);
    expect(rows[0].packets).toBe(1);
    expect(html).toContain(`/api/disputes/${disputeId}/packet.pdf`);
  });

  it('gives a dispute older than recommendations one, computed and stored as it is read', async () => {
    const disputeId = await insertDispute(receiver.runtime.db);
    const { status, json } = await get(`${receiver.url}/api/disputes/${disputeId}`, adminHeaders());
    expect(status).toBe(200);
    expect(json.recommendation).toEqual(expect.objectContaining({ action: expect.any(String) }));
    const { rows } = await sql.query('select count(*)::int as stored from recommendations where dispute_id = $1', [disputeId]);
    expect(rows[0].stored).toBe(1);
  });

  it('shows the dispute and its packet as they stood at one moment, even when both change while it reads', async () => {
    const disputeId = await insertDispute(receiver.runtime.db, { provider_reason: 'product_not_received' });
    await page(disputeId); // its first packet

    // Hold the page between its read of the dispute and its read of the packet, and meanwhile
    // commit a new packet and a new reason, as a gathering and an update do.
    const writer = new Client({ connectionString: database.url });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query('lock table packets in access exclusive mode');
      const reading = page(disputeId);
      await waitFor(async () => (await sql.query("select 1 from pg_locks where relation = 'packets'::regclass and not granted")).rowCount, 5_000, 'the page to wait for the packet');
      await writer.query("update disputes set provider_reason = 'fraudulent' where id = $1", [disputeId]);
      await writer.query(
        `insert into packets (dispute_id, hash, packet, created_at)
         select dispute_id, 'newer', (packet - 'sentences') || '{"letter": "The newer letter."}', now() + interval '1 second'
         from packets where dispute_id = $1`,
        [disputeId],
      );
      await writer.query('commit');

      const during = await reading;
      expect(during).toContain('reason product_not_received');
      expect(during).not.toContain('The newer letter.');
    } finally {
      await writer.end();
    }

    const after = await page(disputeId);
    expect(after).toContain('reason fraudulent');
    expect(after).toContain('The newer letter.');
  });
});
