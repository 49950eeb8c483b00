import EasyPostClient from '@easypost/api';
import type { Logger } from '../../log';
import { easypostCarrier } from '../commerce/carriers';
import type { CarrierTracker, CarrierTracking } from '../commerce/types';
import { parseVendorPayload, vendorFailure } from '../errors';
import { easypostTracking } from './mapping';
import { EasyPostTracker } from './schema';

export interface EasyPostSettings {
  apiKey: string;
  /** Replaces https://api.easypost.com/v2/, for local fakes (the SDK concatenates paths: a trailing slash is kept). */
  apiBase: string;
}

export interface EasyPostDeps {
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  maxRateLimitWaits?: number;
}

const SOURCE = 'easypost';
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type EasyPostApi = InstanceType<typeof EasyPostClient>;

export function createEasyPostApi(settings: EasyPostSettings): EasyPostApi {
  return new EasyPostClient(settings.apiKey, { baseUrl: `${settings.apiBase.replace(/\/+$/, '')}/`, timeout: 15_000 });
}

/** EasyPost trackers: creating one for a code it already tracks returns that tracker, so registering twice is harmless. */
export class EasyPostCarrierTracker implements CarrierTracker {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly api: EasyPostApi, private readonly deps: EasyPostDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
  }

  async track(q: { carrier: string; trackingNumber: string; trackerId?: string }): Promise<CarrierTracking> {
    const carrier = easypostCarrier(q.carrier);
    if (q.trackerId) {
      const found = await this.call('the tracker', () => this.api.Tracker.retrieve(q.trackerId!), [404]);
      if (found !== 'refused') return this.parse(found);
    }
    const created = await this.call('a new tracker', () => this.api.Tracker.create({ tracking_code: q.trackingNumber, ...(carrier ? { carrier } : {}) }), [400, 422]);
    if (created === 'refused') return { status: 'unknown', reason: `EasyPost cannot track ${q.carrier} ${q.trackingNumber}` };
    return this.parse(created);
  }

  private parse(data: unknown): CarrierTracking {
    return easypostTracking(parseVendorPayload(EasyPostTracker, data, SOURCE, 'a tracker', 'data'));
  }

  /** One SDK call (it does not retry): 429 waited out briefly, the listed statuses returned as 'refused'. */
  private async call<T>(what: string, run: () => Promise<T>, expected: number[]): Promise<T | 'refused'> {
    const maxWaits = this.deps.maxRateLimitWaits ?? 5;
    for (let waits = 0; ; waits++) {
      try {
        return await run();
      } catch (err) {
        const e = err as { statusCode?: number; message?: string };
        const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
        if (expected.includes(status)) return 'refused';
        if (status === 429 && waits < maxWaits) {
          // The SDK keeps no response headers on its RateLimitError: back off 1 s, 2 s, 4 s …
          const wait = 1_000 * 2 ** waits;
          this.deps.log.info({ source: SOURCE, waitMs: wait }, 'easypost rate limited: waiting');
          await this.sleep(wait);
          continue;
        }
        throw vendorFailure(SOURCE, status, what, e.message ?? 'failed');
      }
    }
  }
}
