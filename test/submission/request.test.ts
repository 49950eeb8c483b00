import { insertDispute } from '../support/disputes';
import { post } from '../support/http';
import { adminHeaders, createTestDatabase, startTestReceiver, testConfig, type TestReceiver } from '../support/services';

describe('POST /api/disputes/:id/submit and /accept', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  const insert = (overrides: Record<string, unknown> = {}) => insertDispute(receiver.runtime.db, overrides);
  const call = (id: string, action: 'submit' | 'accept') => post(`${receiver.url}/api/disputes/${id}/${action}`, '', adminHeaders());

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startTestReceiver(testConfig(database.url));
  });
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });

  it('ten concurrent submit calls make one submission and one job', async () => {
    const id = await insert();
    const answers = await Promise.all(Array.from({ length: 10 }, () => call(id, 'submit')));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(new Set(answers.map((a) => a.json.submission.id)).size).toBe(1);
    expect(answers[0]!.json.submission).toMatchObject({ status: 'queued', kind: 'submit' });
    const rows = await receiver.runtime.db.selectFrom('submissions').selectAll().where('dispute_id', '=', id).execute();
    expect(rows).toHaveLength(1);
    const jobs = await receiver.runtime.queues.submissions.getJobs(['waiting', 'delayed']);
    expect(jobs.filter((j) => j.data.submissionId === rows[0]!.id)).toHaveLength(1);
  });

  it('refuses an accept while a submission is under way', async () => {
    const id = await insert();
    expect((await call(id, 'submit')).status).toBe(202);
    expect(await call(id, 'accept')).toMatchObject({ status: 409, json: { error: 'dispute_not_answerable' } });
  });

  it.each([
    ['closed', { status: 'lost', outcome: 'lost', closed_at: new Date() }],
    ['under review', { status: 'under_review' }],
    ['past due', { due_by: new Date(Date.now() - 60_000) }],
    ['already answered', { submitted_at: new Date() }],
  ])('answers 409 for a dispute %s, and records nothing', async (_case, overrides) => {
    const id = await insert(overrides);
    const answer = await call(id, 'submit');
    expect(answer).toMatchObject({ status: 409, json: { error: 'dispute_not_answerable', details: [{ message: expect.any(String) }] } });
    expect(await receiver.runtime.db.selectFrom('submissions').selectAll().where('dispute_id', '=', id).execute()).toEqual([]);
  });

  it('answers 409 once the submission was sent', async () => {
    const id = await insert();
    const first = await call(id, 'submit');
    await receiver.runtime.db.updateTable('submissions').set({ status: 'sent', sent_at: new Date() }).where('id', '=', first.json.submission.id).execute();
    expect(await call(id, 'submit')).toMatchObject({ status: 409, json: { error: 'dispute_not_answerable' } });
  });

  it('answers 404 for an unknown dispute', async () => {
    expect((await call('00000000-0000-4000-8000-000000000000', 'submit')).status).toBe(404);
    expect((await call('nope', 'accept')).status).toBe(404);
  });
});
