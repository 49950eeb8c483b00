import { ConfigError } from '../../src/env';
import { createLogger } from '../../src/log';
import { AfterShipTracker, createAfterShipApi } from '../../src/sources/aftership/client';
import { aftership } from '../../src/sources/aftership/module';
import { createEasyPostApi, EasyPostCarrierTracker } from '../../src/sources/easypost/client';
import { easypost } from '../../src/sources/easypost/module';
import type { CarrierTracker } from '../../src/sources/commerce/types';
import { SourceAuthFailed, SourceUnavailable } from '../../src/sources/errors';
import { AFTERSHIP_KEY, AFTERSHIP_TRACKINGS, FakeAfterShip } from '../fakes/aftership';
import { EASYPOST_KEY, EASYPOST_TRACKERS, FakeEasyPost } from '../fakes/easypost';
import { fixtureJson } from '../support/fixtures';

const log = createLogger('silent');
const NUMBER = '1Z84W7E90312345671';

type Harness = {
  name: string;
  fake: FakeAfterShip | FakeEasyPost;
  tracker: (key?: string) => CarrierTracker;
  stage: (stage: 'in_transit' | 'delivered') => void;
  createPath: string;
};

const waits: number[] = [];
const sleep = async (ms: number) => void waits.push(ms);

const afterShipFake = new FakeAfterShip();
const easyPostFake = new FakeEasyPost();
const harnesses: Harness[] = [
  {
    name: 'AfterShip (@aftership/tracking-sdk)',
    fake: afterShipFake,
    tracker: (key = AFTERSHIP_KEY) => new AfterShipTracker(createAfterShipApi({ apiKey: key, apiBase: afterShipFake.url }), { log, sleep }),
    stage: (stage) => afterShipFake.parcels.set(NUMBER, fixtureJson<any>('aftership/parcel-ups-1Z84W7E90312345671.json')[stage]),
    createPath: AFTERSHIP_TRACKINGS,
  },
  {
    name: 'EasyPost (@easypost/api)',
    fake: easyPostFake,
    tracker: (key = EASYPOST_KEY) => new EasyPostCarrierTracker(createEasyPostApi({ apiKey: key, apiBase: `${easyPostFake.url}/v2` }), { log, sleep }),
    stage: (stage) => easyPostFake.parcels.set(NUMBER, fixtureJson<any>('easypost/parcel-ups-1Z84W7E90312345671.json')[stage]),
    createPath: EASYPOST_TRACKERS,
  },
];

beforeAll(async () => {
  await afterShipFake.start();
  await easyPostFake.start();
});
afterAll(async () => {
  await afterShipFake.close();
  await easyPostFake.close();
});

describe.each(harnesses)('$name against its local fake', (h) => {
  beforeEach(() => {
    h.fake.requests.length = 0;
    waits.length = 0;
  });

  it('registers an in-transit parcel, then reads it by id until the carrier says delivered', async () => {
    h.stage('in_transit');
    const first = await h.tracker().track({ carrier: 'UPS', trackingNumber: NUMBER });
    expect(first).toMatchObject({ status: 'in_transit', trackerId: expect.any(String) });
    expect(first.status !== 'unknown' && first.events.map((e) => e.status)).toEqual(['Shipper created a label' + (h.name.startsWith('AfterShip') ? ', UPS has not received the package yet.' : ''), 'Departed from Facility']);
    expect(first.status !== 'unknown' && 'deliveredAt' in first).toBe(false);

    h.stage('delivered');
    const trackerId = first.status === 'unknown' ? undefined : first.trackerId;
    const second = await h.tracker().track({ carrier: 'UPS', trackingNumber: NUMBER, trackerId });
    expect(second).toMatchObject({
      status: 'delivered',
      trackerId,
      deliveredAt: '2026-10-06T21:12:00.000Z',
      signedBy: 'A CHEN',
      deliveryLocation: { city: expect.stringMatching(/san francisco/i), state: 'CA', postalCode: '94110', country: 'US' },
    });
    expect(second.status !== 'unknown' && second.events.at(-1)).toEqual({ at: '2026-10-06T21:12:00.000Z', status: 'DELIVERED - Front Door', location: expect.stringContaining('94110') });
    expect(h.fake.calls('POST', h.createPath)).toHaveLength(1);
  });

  it('a number the aggregator cannot find is "unknown", after one registration and no retry', async () => {
    const result = await h.tracker().track({ carrier: 'Yanwen', trackingNumber: 'UG000000000CN' });
    expect(result.status).toBe('unknown');
    expect(h.fake.requests).toHaveLength(1);
  });

  it('a wrong key is SourceAuthFailed (permanent)', async () => {
    await expect(h.tracker('bad-key-000').track({ carrier: 'UPS', trackingNumber: NUMBER })).rejects.toBeInstanceOf(SourceAuthFailed);
  });

  it('429 is waited out and the call repeated; a 5xx is retryable by the job', async () => {
    h.stage('in_transit');
    h.fake.script('POST', h.createPath, { status: 429, json: h.name.startsWith('AfterShip') ? { meta: { code: 429, message: 'Too many requests', type: 'TooManyRequests' }, data: {} } : { error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded', errors: [] } }, headers: { 'retry-after': '1' } });
    const result = await h.tracker().track({ carrier: 'UPS', trackingNumber: `${NUMBER}` });
    expect(result.status).not.toBe('unknown');
    expect(waits).toEqual([1000]);
    h.fake.script('POST', h.createPath, { status: 503, json: h.name.startsWith('AfterShip') ? { meta: { code: 503, message: 'Service unavailable', type: 'InternalError' }, data: {} } : { error: { code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable', errors: [] } } });
    await expect(h.tracker().track({ carrier: 'UPS', trackingNumber: 'NEW0000000001' })).rejects.toBeInstanceOf(SourceUnavailable);
  });
});

describe('TRACKING_PROVIDER chooses the aggregator', () => {
  it.each([
    [{}, undefined, undefined],
    [{ AFTERSHIP_API_KEY: 'k' }, 'https://api.aftership.com', undefined],
    [{ EASYPOST_API_KEY: 'k', EASYPOST_API_BASE: 'http://127.0.0.1:9/v2/' }, undefined, 'http://127.0.0.1:9/v2'],
    [{ TRACKING_PROVIDER: 'easypost', AFTERSHIP_API_KEY: 'a', EASYPOST_API_KEY: 'e' }, undefined, 'https://api.easypost.com/v2'],
  ])('%j → aftership %s, easypost %s', (env, aftershipBase, easypostBase) => {
    expect(aftership.settings(env)?.apiBase).toBe(aftershipBase);
    expect(easypost.settings(env)?.apiBase).toBe(easypostBase);
  });

  it('TRACKING_PROVIDER=aftership without its key, or an unknown provider, stops start-up naming the variable', () => {
    expect(() => aftership.settings({ TRACKING_PROVIDER: 'aftership' })).toThrow(ConfigError);
    expect(() => aftership.settings({ TRACKING_PROVIDER: 'shippo' })).toThrow(/TRACKING_PROVIDER|aftership, easypost/);
  });
});
