import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CliError } from '../../src/cli/context';
import { collectFixtures, detectProvider, replay } from '../../src/cli/replay';
import { loadConfig } from '../../src/config';
import type { BuiltInProviderName as Provider } from '../../src/providers';
import { createProviderRegistry, providerModule } from '../../src/providers';
import type { JsonObject } from '../../src/providers/types';
import { DEV_KEYS, FIXTURES, fixtureJson, fixtureText } from '../support/fixtures';

const SETTINGS = {
  STRIPE_WEBHOOK_SECRETS: 'whsec_replay_unit_0123456789,whsec_second_one_abcdef',
  SQUARE_SIGNATURE_KEYS: 'sq-replay-unit-key',
  SQUARE_WEBHOOK_URL: 'https://merchant.example.com/webhooks/square',
  PAYPAL_WEBHOOK_ID: 'WH-REPLAY-UNIT',
  PAYPAL_CERT_FILE: DEV_KEYS.paypalCertFile,
};
const config = loadConfig(SETTINGS);
const { verifiers } = createProviderRegistry(config.providers);
const eventTime = (provider: Provider, payload: JsonObject) => providerModule(provider).replay.eventTime(payload);
const freshen = (provider: Provider, payload: JsonObject, offsetMs: number) => providerModule(provider).replay.freshen(payload, offsetMs);
const providerEventId = (provider: Provider, payload: JsonObject) => providerModule(provider).replay.eventId(payload);

const relative = (file: string) => path.relative(FIXTURES, file);
const scenario = (name: string) => path.join(FIXTURES, 'scenarios', name);
const SCENARIOS: Array<[Provider, string]> = (['stripe', 'paypal', 'square'] as const).flatMap((p) =>
  ['won', 'lost', 'inquiry-to-chargeback'].map((story): [Provider, string] => [p, `${p}-${story}`]),
);

interface Received {
  provider: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/** Stands in for the receiver: keeps each delivery and answers as the receiver would (new, then duplicate). */
function captureReceiver() {
  const received: Received[] = [];
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const provider = req.url!.replace('/webhooks/', '');
      received.push({ provider, body, headers: req.headers });
      const id = providerEventId(provider as Provider, JSON.parse(body));
      const duplicate = seen.has(id);
      seen.add(id);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: true, eventId: `stored-${id}`, ...(duplicate ? { duplicate } : {}) }));
    });
  });
  return {
    received,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('finding fixtures', () => {
  it('takes a folder’s .json files in name order, then its subfolders, and leaves out keys, API answers and merchant records', () => {
    expect(collectFixtures([scenario('square-won')]).map(relative)).toEqual([
      'scenarios/square-won/01-dispute.created.json',
      'scenarios/square-won/02-dispute.evidence.created.json',
      'scenarios/square-won/03-dispute.state.updated.processing.json',
      'scenarios/square-won/04-dispute.state.updated.won.json',
    ]);
    const everything = collectFixtures([FIXTURES]).map(relative);
    expect(everything.filter((f) => /^(keys|merchant|paypal\/api)\//.test(f))).toEqual([]);
    expect(everything).toContain('stripe/charge.dispute.created.json');
    expect(everything.indexOf('scenarios/stripe-won/01-charge.dispute.created.json')).toBeLessThan(everything.indexOf('scenarios/stripe-won/02-charge.dispute.funds_withdrawn.json'));
  });

  it('takes files in the order given', () => {
    const files = ['stripe/charge.dispute.updated.json', 'stripe/charge.dispute.created.json'].map((f) => path.join(FIXTURES, f));
    expect(collectFixtures(files)).toEqual(files);
  });

  it('names a path that does not exist', () => {
    expect(() => collectFixtures(['fixtures/nowhere'])).toThrow(new CliError('no such file or folder: fixtures/nowhere'));
  });
});

describe('telling the provider from the payload', () => {
  it.each(SCENARIOS)('recognizes every %s event of %s', (provider, name) => {
    for (const file of collectFixtures([scenario(name)])) expect(detectProvider(JSON.parse(fixtureText(relative(file))))?.name).toBe(provider);
  });

  it('recognizes none in what is not a webhook event', () => {
    expect(detectProvider(fixtureJson('paypal/api/get-dispute.PP-D-21903.json'))).toBeUndefined();
    expect(detectProvider([])).toBeUndefined();
    expect(detectProvider('text')).toBeUndefined();
  });
});

describe('fresh copies of an event', () => {
  const HOUR = 3_600_000;

  it.each(SCENARIOS)('%s (%s): a new id shaped like the provider’s, every time moved by the same offset, nothing else changed', (provider, name) => {
    for (const file of collectFixtures([scenario(name)])) {
      const original = JSON.parse(fixtureText(relative(file)));
      const fresh = freshen(provider, original, 0);
      const id = providerEventId(provider, fresh);
      expect(id).not.toBe(providerEventId(provider, original));
      expect(id).toMatch({ stripe: /^evt_[A-Za-z0-9]{24}$/, paypal: /^WH-[0-9A-Z]{17}-[0-9A-Z]{17}$/, square: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/ }[provider]);
      const withOldId = JSON.parse(JSON.stringify(fresh).replaceAll(id, providerEventId(provider, original)));
      expect(withOldId).toEqual(original);
      expect(eventTime(provider, freshen(provider, original, 5 * HOUR))).toBe(eventTime(provider, original) + 5 * HOUR);
    }
  });

  it('moves the deadline and every other time of a Stripe dispute, keeps amounts', () => {
    const original = fixtureJson<any>('scenarios/stripe-won/05-charge.dispute.funds_reinstated.json');
    const fresh = freshen('stripe', original, 10 * HOUR) as any;
    const later = 10 * 3600;
    expect(fresh.created).toBe(original.created + later);
    expect(fresh.data.object.created).toBe(original.data.object.created + later);
    expect(fresh.data.object.evidence_details.due_by).toBe(original.data.object.evidence_details.due_by + later);
    expect(fresh.data.object.balance_transactions.map((t: any) => [t.created, t.available_on, t.amount])).toEqual(
      original.data.object.balance_transactions.map((t: any) => [t.created + later, t.available_on + later, t.amount]),
    );
  });

  it('moves PayPal’s times in their own format and renames the event in its links', () => {
    const original = fixtureJson<any>('scenarios/paypal-won/02-CUSTOMER.DISPUTE.UPDATED.json');
    const fresh = freshen('paypal', original, 2 * HOUR) as any;
    expect(original.create_time).toBe('2026-11-11T14:05:11Z');
    expect(fresh.create_time).toBe('2026-11-11T16:05:11Z');
    expect(fresh.resource.update_time).toBe('2026-11-11T16:05:11Z');
    expect(fresh.resource.seller_response_due_date).toBe('2026-11-21T16:05:11.000Z');
    expect(fresh.resource.messages[0].time_posted).toBe('2026-11-03T16:05:11Z');
    expect(fresh.links.map((l: any) => l.href).every((href: string) => href.includes(fresh.id))).toBe(true);
  });

  it('keeps a Square dispute’s version, the order key of its updates', () => {
    const original = fixtureJson<any>('scenarios/square-won/04-dispute.state.updated.won.json');
    const fresh = freshen('square', original, HOUR) as any;
    expect(fresh.data.object.object.version).toBe(original.data.object.object.version);
    expect(fresh.data.object.object.due_at).toBe('2026-11-20T15:05:11Z');
  });
});

describe('replaying fixtures to a receiver', () => {
  const receiver = captureReceiver();
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    url = await receiver.start();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
    lines.length = 0;
  });
  const verify = (r: Received) => verifiers.get(r.provider)!.verify(Buffer.from(r.body), r.headers);

  it('sends each file’s exact bytes, signed so the receiver’s own verifiers accept them, one line per event', async () => {
    const paths = ['stripe-won', 'paypal-lost', 'square-inquiry-to-chargeback'].map(scenario);
    expect(await replay(config, paths, { to: url }, (l) => lines.push(l))).toBe(true);
    const files = collectFixtures(paths);
    expect(receiver.received.map((r) => r.provider)).toEqual(files.map((f) => detectProvider(JSON.parse(fixtureText(relative(f))))?.name));
    expect(receiver.received.map((r) => r.body)).toEqual(files.map((f) => fixtureText(relative(f))));
    for (const delivery of receiver.received) await expect(verify(delivery)).resolves.toBeUndefined();
    expect(lines[0]).toBe(`${files[0]}  stripe  evt_1QkZrALzW8xYp1AaQ2w9xV3b  200  new stored-evt_1QkZrALzW8xYp1AaQ2w9xV3b`);
    expect(lines).toHaveLength(files.length);
  });

  it('says when the receiver already had an event', async () => {
    await replay(config, [scenario('stripe-lost')], { to: url }, (l) => lines.push(l));
    await replay(config, [scenario('stripe-lost')], { to: url }, (l) => lines.push(l));
    expect(lines.slice(2).every((l) => /  200  duplicate of stored-evt_/.test(l))).toBe(true);
  });

  it('with --fresh, sends signed events with new ids whose times start now and keep their order', async () => {
    const before = Date.now();
    await replay(config, [scenario('paypal-won'), scenario('square-won')], { to: url, fresh: true }, (l) => lines.push(l));
    const sent = receiver.received.map((r) => ({ provider: r.provider as Provider, payload: JSON.parse(r.body) }));
    for (const delivery of receiver.received) await expect(verify(delivery)).resolves.toBeUndefined();
    const times = sent.map((s) => eventTime(s.provider, s.payload));
    // the earliest of all the events replayed is now; each story keeps its order and its gaps
    expect(Math.min(...times)).toBeGreaterThanOrEqual(before - 1000);
    expect(Math.min(...times)).toBeLessThanOrEqual(Date.now());
    const originals = collectFixtures([scenario('paypal-won'), scenario('square-won')]).map((f) => JSON.parse(fixtureText(relative(f))));
    const offsets = sent.map((s, i) => times[i]! - eventTime(s.provider, originals[i]));
    expect(new Set(offsets).size).toBe(1);
    expect(lines.every((l) => /  200  new /.test(l))).toBe(true);
  });

  it('stops at the first event it cannot deliver, with one line saying where it tried', async () => {
    const closed = captureReceiver();
    const deadUrl = await closed.start();
    await closed.close();
    await expect(replay(config, [scenario('stripe-won')], { to: deadUrl }, (l) => lines.push(l))).rejects.toThrow(
      new CliError(`cannot reach the receiver at ${deadUrl} (ECONNREFUSED): start it with \`npm start\` or pass --to`),
    );
    expect(lines).toHaveLength(1);
  });

  it('names the setting a provider needs before it can sign', async () => {
    const noSquare = loadConfig({ ...SETTINGS, SQUARE_SIGNATURE_KEYS: '' });
    await expect(replay(noSquare, [scenario('square-won')], { to: url }, (l) => lines.push(l))).rejects.toThrow(
      new CliError('cannot sign square events: SQUARE_SIGNATURE_KEYS and SQUARE_WEBHOOK_URL must be set'),
    );
    expect(receiver.received).toEqual([]);
  });

  it('refuses a file whose provider it cannot tell, before sending anything', async () => {
    const apiAnswer = path.join(FIXTURES, 'paypal/api/get-dispute.PP-D-21903.json');
    await expect(replay(config, [scenario('stripe-won'), apiAnswer], { to: url }, (l) => lines.push(l))).rejects.toThrow(/cannot tell which provider sent it/);
    expect(receiver.received).toEqual([]);
  });
});
