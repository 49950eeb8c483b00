import { alertSignature, verifyAlertWebhook } from '../../src/alerts/channels/webhook';
import { insertDispute } from '../support/disputes';
import { waitFor } from '../support/services';
import { PUBLIC_URL, WEBHOOK_SECRET, sleep, startAlertHarness, type AlertHarness } from './harness';

describe('alerts reach staff on email, Slack and a signed webhook', () => {
  let h: AlertHarness;
  beforeAll(async () => {
    h = await startAlertHarness({ ALERT_THRESHOLDS: '4s,2s' });
  });
  afterAll(() => h.close());

  it('a new dispute, then each threshold in order, once each on each channel', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: new Date(Date.now() + 5_500), amount_value: 5000, amount_currency: 'JPY' });
    await h.change(id, 'opened');
    await h.change(id, 'opened');

    const alerts = await h.allSent(id, 3);
    expect(alerts.map((a) => a.kind)).toEqual(['opened', 'threshold:4000', 'threshold:2000']);
    await sleep(2_000); // past the deadline: nothing more comes
    expect(await h.kinds(id)).toEqual(['opened', 'threshold:4000', 'threshold:2000']);

    expect(h.postsTo('/hook', id).map((p) => JSON.parse(p.rawBody.toString()).kind)).toEqual(['opened', 'threshold:4000', 'threshold:2000']);
    expect(h.postsTo('/slack', id)).toHaveLength(3);
    expect(h.mailsAbout(id)).toHaveLength(3);
    for (const alert of alerts) {
      for (const delivery of alert.deliveries) expect(delivery).toMatchObject({ status: 'sent', attempts: 1, lastError: null, deliveredAt: expect.any(String) });
    }
  });

  it('the webhook is signed over its exact body, carries a timestamp and the alert id, and verifies', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: new Date('2030-03-01T09:30:00Z'), amount_value: 1234, amount_currency: 'KWD', reason: 'fraud' });
    await h.change(id, 'opened');
    const [alert] = await h.allSent(id, 1);

    const [hook] = h.postsTo('/hook', id);
    const raw = hook!.rawBody.toString();
    expect(hook!.headers['rebuttal-signature']).toBe(alertSignature(raw, WEBHOOK_SECRET));
    expect(verifyAlertWebhook(raw, hook!.headers['rebuttal-signature'] as string, WEBHOOK_SECRET)).toBe(true);
    expect(verifyAlertWebhook(raw.replace('KWD', 'USD'), hook!.headers['rebuttal-signature'] as string, WEBHOOK_SECRET)).toBe(false);
    expect(verifyAlertWebhook(raw, hook!.headers['rebuttal-signature'] as string, 'another-secret')).toBe(false);
    const tenMinutesLater = new Date(Date.now() + 10 * 60_000);
    expect(verifyAlertWebhook(raw, hook!.headers['rebuttal-signature'] as string, WEBHOOK_SECRET, tenMinutesLater)).toBe(false);

    expect(JSON.parse(raw)).toMatchObject({
      type: 'dispute.alert.opened',
      alertId: alert!.id,
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      disputeId: id,
      link: `${PUBLIC_URL}/disputes/${id}`,
      dispute: {
        provider: 'stripe',
        amount: 'KWD\u00a01.234',
        reason: 'the cardholder says they did not make this payment',
        dueBy: '2030-03-01T09:30:00.000Z',
        dueByLocal: '1 Mar 2030, 10:30 CET',
      },
    });
  });

  it('Slack gets Block Kit blocks with a button to the dispute; email goes to every address with the local deadline', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: new Date('2030-07-01T09:30:00Z'), evidence_completeness: 0.5, evidence_missing: JSON.stringify(['proof_of_delivery']) });
    await h.change(id, 'opened');
    const [alert] = await h.allSent(id, 1);

    const [slack] = h.postsTo('/slack', id);
    expect(slack!.json.text).toMatch(/^New Stripe dispute: \$45\.99, product not received/);
    expect(slack!.json.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'actions']);
    expect(slack!.json.blocks[1].text.text).toContain('Evidence 50% complete; missing: proof of delivery.');
    expect(slack!.json.blocks[2].elements[0]).toMatchObject({ type: 'button', url: `${PUBLIC_URL}/disputes/${id}` });

    const [mail] = h.mailsAbout(id);
    expect(mail).toContain('To: disputes@example.com, owner@example.com');
    expect(mail).toContain(`Message-ID: <alert-${alert!.id}@rebuttal>`);
    expect(mail).toContain('2030-07-01T09:30:00Z (UTC), 1 Jul 2030, 11:30 CEST');
    expect(mail).toContain(`${PUBLIC_URL}/disputes/${id}`);
  });

  it('a channel failing twice then succeeding delivers once, its attempts and last error recorded', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: new Date(Date.now() + 600_000) });
    h.sinks.script('POST', '/slack', { status: 500, json: 'oops' }, { status: 503, json: 'busy' });
    await h.change(id, 'opened');

    const [alert] = await h.allSent(id, 1);
    expect(alert!.deliveries.find((d) => d.channel === 'slack')).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(alert!.deliveries.find((d) => d.channel === 'email')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(h.postsTo('/slack', id)).toHaveLength(3);
    expect(h.postsTo('/hook', id)).toHaveLength(1);
  });

  it('a channel that keeps failing ends as failed with its last error, the others unaffected', async () => {
    const id = await insertDispute(h.runtime.db, { due_by: new Date(Date.now() + 600_000) });
    h.sinks.script('POST', '/hook', ...Array.from({ length: 4 }, () => ({ status: 502, json: 'bad gateway' })));
    await h.change(id, 'opened');

    const [alert] = await waitFor(async () => {
      const alerts = await h.alertsOf(id);
      return alerts[0]?.deliveries.find((d) => d.channel === 'webhook')?.status === 'failed' ? alerts : undefined;
    }, 10_000, 'the webhook delivery given up');
    expect(alert!.deliveries.find((d) => d.channel === 'webhook')).toMatchObject({ status: 'failed', attempts: 4, lastError: expect.stringContaining('502'), deliveredAt: null });
    expect(alert!.deliveries.filter((d) => d.status === 'sent').map((d) => d.channel)).toEqual(['email', 'slack']);
  });
});
