import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { alertSignature } from '../../src/alerts/channels/webhook';
import { listAlerts } from '../../src/alerts/repository';
import { publishDisputeChange } from '../../src/queue/dispute-changes';
import type { DisputeChange } from '../../src/queue/names';
import { startWorkers } from '../../workers';
import { RecordingServer } from '../fakes/recording-server';
import { insertDispute } from '../support/disputes';
import { createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

const WEBHOOK_SECRET = 'alert-webhook-secret-0123';

describe('deadline alerts on email, Slack and a signed webhook', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let receiver: TestReceiver;
  let workers: { close(): Promise<void> } | undefined;
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        mails.push(raw);
        done();
      });
    },
  });
  const sinks = new RecordingServer([
    ['POST', '/slack', () => ({ status: 200, json: 'ok' })],
    ['POST', '/hook', () => ({ status: 204 })],
  ]);
  const change = (disputeId: string, kind: DisputeChange['change']) =>
    publishDisputeChange(receiver.runtime.queues, { disputeId, change: kind, at: new Date().toISOString() });
  const kinds = async (disputeId: string) => (await listAlerts(receiver.runtime.db, disputeId)).map((a) => a.kind);
  const allSent = (disputeId: string, count: number) =>
    waitFor(async () => {
      const alerts = await listAlerts(receiver.runtime.db, disputeId);
      return alerts.length === count && alerts.every((a) => a.deliveries.length === 3 && a.deliveries.every((d) => d.status === 'sent')) ? alerts : undefined;
    }, 20_000, `${count} alerts delivered`);
  const postsFor = (path: string, disputeId: string) => sinks.calls('POST', path).filter((r) => r.rawBody.toString().includes(disputeId));

  beforeAll(async () => {
    database = await createTestDatabase();
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    await sinks.start();
    receiver = await startTestReceiver(
      testConfig(database.url, {
        ALERT_THRESHOLDS: '4s,2s',
        ALERT_TIMEZONE: 'Europe/Madrid',
        PUBLIC_URL: 'https://disputes.example.com',
        SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
        ALERT_EMAIL_FROM: 'rebuttal@example.com',
        ALERT_EMAIL_TO: 'disputes@example.com,owner@example.com',
        SLACK_WEBHOOK_URL: `${sinks.url}/slack`,
        ALERT_WEBHOOK_URL: `${sinks.url}/hook`,
        ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
      { jobOptions: { alerts: { attempts: 4, backoff: { type: 'fixed', delay: 150 } } } },
    );
    workers = startWorkers(receiver.runtime);
  });
  afterAll(async () => {
    await workers?.close();
    await receiver.stop();
    await sinks.close();
    await new Promise((resolve) => smtp.close(() => resolve(undefined)));
    await database.drop();
  });

  it('a new dispute, then each threshold in order, once each on each channel; the webhook signature verifies', async () => {
    const id = await insertDispute(receiver.runtime.db, { due_by: new Date(Date.now() + 5_500), amount_value: 5000, amount_currency: 'JPY' });
    await change(id, 'opened');
    await change(id, 'opened');
    const alerts = await allSent(id, 3);
    expect(alerts.map((a) => a.kind)).toEqual(['opened', 'threshold:4000', 'threshold:2000']);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await kinds(id)).toEqual(['opened', 'threshold:4000', 'threshold:2000']);

    const hooks = postsFor('/hook', id);
    expect(hooks).toHaveLength(3);
    for (const hook of hooks) expect(hook.headers['rebuttal-signature']).toBe(alertSignature(hook.rawBody.toString(), WEBHOOK_SECRET));
    expect(JSON.parse(hooks[0]!.rawBody.toString())).toMatchObject({ type: 'dispute.alert.opened', disputeId: id, dispute: { amount: '¥5,000' }, link: `https://disputes.example.com/disputes/${id}` });
    const slack = postsFor('/slack', id);
    expect(slack).toHaveLength(3);
    expect(slack[1]!.json.blocks[2].elements[0]).toMatchObject({ type: 'button', url: `https://disputes.example.com/disputes/${id}` });
    const mine = mails.filter((m) => m.includes(id));
    expect(mine).toHaveLength(3);
    expect(mine[1]).toMatch(/Subject: .*4s[ _]left[ _]to[ _]answer[ _]Stripe[ _]dispute/);
    expect(mine[1]).toContain('To: disputes@example.com, owner@example.com');
    expect(mine[1]).toMatch(/Europe\/Madrid|CET|GMT\+1/);
  });

  it('a deadline moved later reschedules the thresholds for the new deadline', async () => {
    const id = await insertDispute(receiver.runtime.db, { due_by: new Date(Date.now() + 60_000) });
    await change(id, 'opened');
    await allSent(id, 1);
    const later = new Date(Date.now() + 120_000);
    await receiver.runtime.db.updateTable('disputes').set({ due_by: later }).where('id', '=', id).execute();
    await change(id, 'deadline_changed');
    await waitFor(async () => {
      const jobs = (await receiver.runtime.queues.alerts.getJobs(['delayed'])).filter((j) => j.data.disputeId === id);
      return jobs.length === 2 && jobs.every((j) => j.data.dueBy === later.toISOString());
    }, 10_000, 'the thresholds for the new deadline');
  });

  it.each([
    ['won', { status: 'won', outcome: 'won', closed_at: new Date() }, 'closed', ['opened', 'outcome']],
    ['submitted', { submitted_at: new Date() }, 'answered', ['opened']],
  ] as const)('a dispute %s cancels its pending alerts', async (_case, update, kind, expected) => {
    const id = await insertDispute(receiver.runtime.db, { due_by: new Date(Date.now() + 60_000) });
    await change(id, 'opened');
    await allSent(id, 1);
    await receiver.runtime.db.updateTable('disputes').set(update).where('id', '=', id).execute();
    await change(id, kind);
    await waitFor(async () => (await receiver.runtime.queues.alerts.getJobs(['delayed'])).every((j) => j.data.disputeId !== id), 10_000, 'cancellation');
    await allSent(id, expected.length);
    expect(await kinds(id)).toEqual(expected);
  });

  it('a channel failing twice then succeeding delivers once, its attempts recorded', async () => {
    const id = await insertDispute(receiver.runtime.db, { due_by: new Date(Date.now() + 60_000) });
    sinks.script('POST', '/slack', { status: 500, json: 'oops' }, { status: 503, json: 'busy' });
    await change(id, 'opened');
    const [alert] = await allSent(id, 1);
    expect(alert!.deliveries.find((d) => d.channel === 'slack')).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(alert!.deliveries.find((d) => d.channel === 'email')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(postsFor('/slack', id)).toHaveLength(3);
  });

  it('after a restart mid-schedule, thresholds passed while down fire once, the most urgent only', async () => {
    const id = await insertDispute(receiver.runtime.db, { due_by: new Date(Date.now() + 5_000) });
    await change(id, 'opened');
    await allSent(id, 1);
    await workers!.close();
    await new Promise((r) => setTimeout(r, 3_500));
    workers = startWorkers(receiver.runtime);
    await allSent(id, 2);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await kinds(id)).toEqual(['opened', 'threshold:2000']);
    expect(postsFor('/hook', id)).toHaveLength(2);
  });
});
