import { RECONCILE_JOB } from '../../src/alerts/jobs';
import { createAlert } from '../../src/alerts/repository';
import type { Db } from '../../src/db/pool';
import { insertDispute } from '../support/disputes';
import { waitFor } from '../support/services';
import { sleep, startAlertHarness, type AlertHarness } from './harness';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const inMs = (ms: number) => new Date(Date.now() + ms);
/** ALERT_THRESHOLDS=3s,1.5s: a deadline LEAD ms away has its first threshold 1 s from now. */
const T1 = 3_000;
const T2 = 1_500;
const LEAD = T1 + 1_000;
const FIRST = `threshold:${T1}`;
const SECOND = `threshold:${T2}`;

async function sentAcceptance(db: Db, disputeId: string): Promise<void> {
  const { id } = await db.insertInto('submissions').values({ dispute_id: disputeId, kind: 'accept', requested_by: 'staff' }).returning('id').executeTakeFirstOrThrow();
  await db.updateTable('submissions').set({ status: 'sent', sent_at: new Date() }).where('id', '=', id).execute();
}

async function submitted(db: Db, disputeId: string): Promise<void> {
  await db.updateTable('disputes').set({ submitted_at: new Date() }).where('id', '=', disputeId).execute();
}

const closedAs = (outcome: 'won' | 'lost') => async (db: Db, disputeId: string): Promise<void> => {
  await db.updateTable('disputes').set({ status: outcome, outcome, closed_at: new Date() }).where('id', '=', disputeId).execute();
};

describe('deadline alerts follow the dispute: rescheduled, cancelled, once across restarts and downtime', () => {
  let h: AlertHarness;
  beforeAll(async () => {
    h = await startAlertHarness({ ALERT_THRESHOLDS: '3s,1500ms' });
  });
  afterAll(() => h.close());

  it('a deadline moved later replaces the pending thresholds with ones for the new deadline', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    await h.change(id, 'opened');
    await waitFor(async () => (await h.pendingThresholds(id)).length === 2, 10_000, 'the first schedule');

    const later = inMinutes(20);
    await h.runtime.db.updateTable('disputes').set({ due_by: later }).where('id', '=', id).execute();
    await h.change(id, 'deadline_changed');
    await h.changesHandled(id);

    const jobs = await h.pendingThresholds(id);
    expect(jobs.map((j) => [j.data.thresholdMs, j.data.dueBy]).sort()).toEqual([
      [T2, later.toISOString()],
      [T1, later.toISOString()],
    ]);
    const firesAt = jobs.map((j) => j.timestamp + (j.opts.delay ?? 0)).sort();
    const expected = [later.getTime() - T1, later.getTime() - T2];
    firesAt.forEach((at, i) => expect(Math.abs(at - expected[i]!)).toBeLessThan(50));
  });

  it('an answered dispute loses its pending thresholds while another dispute keeps its own', async () => {
    const answered = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    const other = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    await Promise.all([h.change(answered, 'opened'), h.change(other, 'opened')]);
    await waitFor(async () => (await h.pendingThresholds(answered)).length === 2 && (await h.pendingThresholds(other)).length === 2, 10_000, 'both schedules');

    await submitted(h.runtime.db, answered);
    await h.change(answered, 'answered');
    await h.changesHandled(answered);

    expect(await h.pendingThresholds(answered)).toEqual([]);
    expect(await h.pendingThresholds(other)).toHaveLength(2);
    const recorded = await h.runtime.db.selectFrom('alert_schedules').select('job_ids').where('dispute_id', '=', answered).executeTakeFirstOrThrow();
    expect(recorded.job_ids).toEqual([]);
  });

  it('a deadline moved a few seconds later fires the thresholds of the new deadline only', async () => {
    const first = inMs(LEAD + 1_000);
    const id = await insertDispute(h.runtime.db, { due_by: first });
    await h.change(id, 'opened');
    await waitFor(async () => (await h.pendingThresholds(id)).length === 2, 5_000, 'the first schedule');
    const later = new Date(first.getTime() + 1_000);
    await h.runtime.db.updateTable('disputes').set({ due_by: later }).where('id', '=', id).execute();
    await h.change(id, 'deadline_changed');

    const alerts = await h.allSent(id, 3);
    expect(alerts.map((a) => [a.kind, a.dueBy])).toEqual([
      ['opened', null],
      [FIRST, later.toISOString()],
      [SECOND, later.toISOString()],
    ]);
  });

  it.each([
    ['won', closedAs('won'), 'closed', ['opened', 'outcome']],
    ['lost', closedAs('lost'), 'closed', ['opened', 'outcome']],
    ['submitted', submitted, 'answered', ['opened']],
    ['accepted', sentAcceptance, 'answered', ['opened']],
  ] as const)('a dispute %s cancels its pending thresholds', async (_case, happen, change, expected) => {
    const id = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    await h.change(id, 'opened');
    await waitFor(async () => (await h.pendingThresholds(id)).length === 2, 10_000, 'the schedule');

    await happen(h.runtime.db, id);
    await h.change(id, change);
    await h.changesHandled(id);

    expect(await h.pendingThresholds(id)).toEqual([]);
    await h.allSent(id, expected.length);
    expect(await h.kinds(id)).toEqual(expected);
  });

  it('a threshold job that fires after the dispute was submitted sends nothing', async () => {
    const due = inMs(LEAD);
    const id = await insertDispute(h.runtime.db, { due_by: due });
    await h.change(id, 'opened');
    await waitFor(async () => (await h.pendingThresholds(id)).length === 2, 5_000, 'the schedule');
    // Submitted, but the 'answered' change has not arrived (or was lost): the job checks when it fires.
    await submitted(h.runtime.db, id);
    await sleep(due.getTime() - T2 - Date.now() + 500);
    expect(await h.pendingThresholds(id)).toEqual([]);
    expect(await h.kinds(id)).toEqual(['opened']);
  });

  it('restarting the worker mid-schedule sends nothing twice', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: inMs(LEAD) });
    await h.change(id, 'opened');
    await h.allSent(id, 2); // opened, then the first threshold
    await h.stopWorker();
    h.startWorker();
    await h.change(id, 'opened'); // a change delivered again after the restart

    await h.allSent(id, 3);
    await sleep(1_000);
    expect(await h.kinds(id)).toEqual(['opened', FIRST, SECOND]);
    expect(h.postsTo('/hook', id)).toHaveLength(3);
    expect(h.postsTo('/slack', id)).toHaveLength(3);
    expect(h.mailsAbout(id)).toHaveLength(3);
  });

  it('after downtime, of the thresholds passed while down only the most urgent is sent', async () => {
    const due = inMs(LEAD);
    const id = await insertDispute(h.runtime.db, { due_by: due });
    await h.change(id, 'opened');
    await h.allSent(id, 1);
    await h.stopWorker();
    await sleep(due.getTime() - T2 - Date.now() + 300); // both thresholds pass while no worker runs
    h.startWorker();

    await h.allSent(id, 2);
    await sleep(1_000);
    expect(await h.kinds(id)).toEqual(['opened', SECOND]);
    expect(h.postsTo('/hook', id)).toHaveLength(2);
  });

  it('a dispute that arrives with several thresholds already passed gets the most urgent one only', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: inMs(T2 - 500) });
    await h.change(id, 'opened');

    await h.allSent(id, 2);
    await sleep(800);
    expect(await h.kinds(id)).toEqual(['opened', SECOND]);
  });

  it('a submission failure is told once per failure, however often the change is delivered', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    const failedAt = new Date().toISOString();
    await h.change(id, 'submission_failed', failedAt);
    await h.change(id, 'submission_failed', failedAt);
    await h.allSent(id, 1);
    await h.change(id, 'submission_failed', new Date(Date.now() + 1_000).toISOString());

    const alerts = await h.allSent(id, 2);
    expect(alerts.map((a) => a.kind)).toEqual(['submission_failed', 'submission_failed']);
    expect(h.postsTo('/hook', id)).toHaveLength(2);
  });

  it('an alert recorded just before a crash, its deliveries never enqueued, is delivered when raised again', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    await createAlert(h.runtime.db, { disputeId: id, kind: 'opened', dueBy: null, channels: ['email', 'slack', 'webhook'] });
    await h.change(id, 'opened');

    await h.allSent(id, 1);
    expect(h.postsTo('/hook', id)).toHaveLength(1);
  });

  it('changes handled at the same time leave exactly the thresholds of the latest deadline', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    const published: Array<Promise<void>> = [h.change(id, 'opened')];
    let latest = inMinutes(10);
    for (let i = 1; i <= 30; i++) {
      latest = new Date(latest.getTime() + 1_000);
      await h.runtime.db.updateTable('disputes').set({ due_by: latest }).where('id', '=', id).execute();
      published.push(h.change(id, 'deadline_changed'));
      await sleep(i % 3 === 0 ? 25 : 5); // changes keep arriving while earlier ones are being handled
    }
    await Promise.all(published);
    await h.changesHandled(id);

    const jobs = await h.pendingThresholds(id);
    expect(jobs.map((j) => j.data.dueBy)).toEqual([latest.toISOString(), latest.toISOString()]);
  });

  it('when Redis has lost the delayed jobs, the schedule is rebuilt from PostgreSQL', async () => {
    const open = await insertDispute(h.runtime.db, { due_by: inMinutes(10) });
    const submitted = await insertDispute(h.runtime.db, { due_by: inMinutes(10), submitted_at: new Date() });
    await h.change(open, 'opened');
    await waitFor(async () => (await h.pendingThresholds(open)).length === 2, 10_000, 'the schedule');
    for (const job of await h.pendingThresholds(open)) await job.remove();

    await h.runtime.queues.alerts.add(RECONCILE_JOB, {});
    await waitFor(async () => (await h.pendingThresholds(open)).length === 2, 10_000, 'the schedule rebuilt');
    expect(await h.pendingThresholds(submitted)).toEqual([]);
    expect(await h.kinds(open)).toEqual(['opened']);
  });
});
