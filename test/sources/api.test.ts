import { get, post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

describe('GET /api/sources and POST /api/sources/:name/sync', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url, { ZENDESK_SUBDOMAIN: 'northwind', ZENDESK_EMAIL: 'ops@northwind.example.com', ZENDESK_API_TOKEN: 'zd-token' }));
  });
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });

  it('lists every known source, enabled or not, before anything was pulled', async () => {
    const { status, json } = await get(`${receiver.url}/api/sources`, adminHeaders());
    expect(status).toBe(200);
    expect(json.sources).toEqual([
      { name: 'zendesk', kind: 'helpdesk', enabled: true, lastSyncAt: null, lastError: null, records: 0 },
      { name: 'gorgias', kind: 'helpdesk', enabled: false, lastSyncAt: null, lastError: null, records: 0 },
      { name: 'freshdesk', kind: 'helpdesk', enabled: false, lastSyncAt: null, lastError: null, records: 0 },
      { name: 'shopify', kind: 'store', enabled: false, lastSyncAt: null, lastError: null, records: 0 },
      { name: 'woocommerce', kind: 'store', enabled: false, lastSyncAt: null, lastError: null, records: 0 },
      { name: 'aftership', kind: 'tracking', enabled: false, lastSyncAt: null, lastError: null, records: 0 },
      { name: 'easypost', kind: 'tracking', enabled: false, lastSyncAt: null, lastError: null, records: 0 },
    ]);
  });

  it('queues a sync of an enabled source (202), refuses an unknown one (404) and a disabled one (409)', async () => {
    const queued = await post(`${receiver.url}/api/sources/zendesk/sync`, '', adminHeaders());
    expect(queued.status).toBe(202);
    expect(queued.json).toEqual({ sync: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' } });
    const jobs = await receiver.runtime.queues.sources.getJobs(['waiting', 'active', 'completed']);
    expect(jobs.map((j) => [j.name, j.data])).toContainEqual(['source.sync', { syncId: queued.json.sync.id, source: 'zendesk' }]);

    expect(await post(`${receiver.url}/api/sources/hubspot/sync`, '', adminHeaders())).toMatchObject({ status: 404, json: { error: 'source_not_found' } });
    expect(await post(`${receiver.url}/api/sources/gorgias/sync`, '', adminHeaders())).toMatchObject({ status: 409, json: { error: 'source_not_enabled' } });
  });

  it('asks for the admin token', async () => {
    expect((await get(`${receiver.url}/api/sources`)).status).toBe(401);
  });
});
