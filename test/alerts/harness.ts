import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import { THRESHOLD_JOB } from '../../src/alerts/jobs';
import { listAlerts } from '../../src/alerts/repository';
import { publishDisputeChange } from '../../src/queue/dispute-changes';
import type { DisputeChange } from '../../src/queue/names';
import { startAlertWorker } from '../../workers/alerts';
import { RecordingServer } from '../fakes/recording-server';
import { createTestDatabase, startTestReceiver, testConfig, waitFor, type TestReceiver } from '../support/services';

/** A mail as a person reads it: quoted-printable soft breaks and escapes undone (headers kept as sent). */
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

export const WEBHOOK_SECRET = 'alert-webhook-secret-0123';
export const PUBLIC_URL = 'https://disputes.example.com';

/**
 * Rebuttal's alert worker against a real SMTP server and local HTTP sinks for Slack and the
 * webhook, on a fresh database and its own queue prefix. Every channel is configured.
 */
export async function startAlertHarness(env: Record<string, string>) {
  const database = await createTestDatabase();
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, done) {
      let raw = '';
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(decodeQuotedPrintable(Buffer.concat(chunks).toString('latin1')));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const sinks = new RecordingServer([
    ['POST', '/slack', () => ({ status: 200, json: 'ok' })],
    ['POST', '/hook', () => ({ status: 204 })],
  ]);
  await sinks.start();
  const receiver: TestReceiver = await startTestReceiver(
    testConfig(database.url, {
      ALERT_TIMEZONE: 'Europe/Madrid',
      PUBLIC_URL,
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      ALERT_EMAIL_FROM: 'rebuttal@example.com',
      ALERT_EMAIL_TO: 'disputes@example.com,owner@example.com',
      SLACK_WEBHOOK_URL: `${sinks.url}/slack`,
      ALERT_WEBHOOK_URL: `${sinks.url}/hook`,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...env,
    }),
    // Retries in milliseconds rather than seconds, so a failing channel recovers within the test.
    { jobOptions: { alerts: { attempts: 4, backoff: { type: 'fixed', delay: 150 } } } },
  );
  const { runtime } = receiver;
  let worker: Worker | undefined = startAlertWorker(runtime);

  const alertsOf = (disputeId: string) => listAlerts(runtime.db, disputeId);
  const h = {
    runtime,
    sinks,
    mails,
    change: (disputeId: string, change: DisputeChange['change'], at = new Date().toISOString()) =>
      publishDisputeChange(runtime.queues, { disputeId, change, at }),
    alertsOf,
    kinds: async (disputeId: string) => (await alertsOf(disputeId)).map((a) => a.kind),
    /** Waits until the dispute has exactly `count` alerts, each sent on all three channels. */
    allSent: (disputeId: string, count: number, timeoutMs = 15_000) =>
      waitFor(
        async () => {
          const alerts = await alertsOf(disputeId);
          return alerts.length === count && alerts.every((a) => a.deliveries.length === 3 && a.deliveries.every((d) => d.status === 'sent')) ? alerts : undefined;
        },
        timeoutMs,
        `${count} alert(s) delivered for ${disputeId}`,
      ),
    postsTo: (path: '/slack' | '/hook', disputeId: string) => sinks.calls('POST', path).filter((r) => r.rawBody.toString().includes(disputeId)),
    mailsAbout: (disputeId: string) => mails.filter((m) => m.includes(disputeId)),
    /** The dispute's threshold jobs still waiting to fire. */
    pendingThresholds: async (disputeId: string) =>
      (await runtime.queues.alerts.getJobs(['delayed', 'waiting'])).filter((j) => j.name === THRESHOLD_JOB && j.data.disputeId === disputeId),
    /** Waits until no dispute change for this dispute is waiting or running. */
    changesHandled: (disputeId: string) =>
      waitFor(
        async () =>
          (await runtime.queues.alerts.getJobs(['waiting', 'active', 'delayed', 'prioritized'])).every(
            (j) => !j.name.startsWith('dispute.') || j.data.disputeId !== disputeId,
          ),
        10_000,
        `the changes of ${disputeId} handled`,
      ),
    async stopWorker() {
      await worker?.close();
      worker = undefined;
    },
    startWorker() {
      worker = startAlertWorker(runtime);
    },
    async close() {
      await worker?.close();
      await receiver.stop();
      await sinks.close();
      await new Promise((resolve) => smtp.close(() => resolve(undefined)));
      await database.drop();
    },
  };
  return h;
}

export type AlertHarness = Awaited<ReturnType<typeof startAlertHarness>>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
