import { randomBytes } from 'node:crypto';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const EASYPOST_KEY = 'EZTK4c1f0e2d3b5a69788796a5b4c3d2e1';
export const EASYPOST_TRACKERS = '/v2/trackers';

export interface EasyPostParcel {
  carrier: string;
  status: string;
  tracking_details: Array<Record<string, unknown>>;
  signed_by?: string | null;
}

/**
 * EasyPost Trackers: Basic auth with the key as user, create (a second create of the same code
 * returns the same tracker), retrieve by id. A code no carrier knows has status "unknown".
 */
export class FakeEasyPost extends RecordingServer {
  readonly parcels = new Map<string, EasyPostParcel>();
  private readonly trackers = new Map<string, { id: string; tracking_code: string; carrier: string }>();

  constructor(readonly apiKey = EASYPOST_KEY) {
    super([
      ['POST', EASYPOST_TRACKERS, (r) => this.authorized(r, () => this.create(r))],
      ['GET', `${EASYPOST_TRACKERS}/:id`, (r, { id }) => this.authorized(r, () => this.retrieve(id!))],
    ]);
  }

  tracker(t: { id: string; tracking_code: string; carrier: string }) {
    const parcel = this.parcels.get(t.tracking_code);
    return {
      id: t.id,
      object: 'Tracker',
      mode: 'test',
      tracking_code: t.tracking_code,
      status: parcel?.status ?? 'unknown',
      status_detail: parcel ? 'status_update' : 'unknown',
      signed_by: parcel?.signed_by ?? null,
      carrier: parcel?.carrier ?? t.carrier,
      public_url: `https://track.easypost.com/${t.id}`,
      tracking_details: parcel?.tracking_details ?? [],
      created_at: '2026-10-20T00:00:00Z',
      updated_at: new Date().toISOString(),
    };
  }

  private authorized(r: RecordedRequest, then: () => FakeAnswer): FakeAnswer {
    if (r.headers.authorization !== `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`) {
      return { status: 401, json: { error: { code: 'APIKEY.INACTIVE', message: 'This api key is no longer active. Please use a different api key or reactivate this key.', errors: [] } } };
    }
    return then();
  }

  private create(r: RecordedRequest): FakeAnswer {
    const code = r.json?.tracker?.tracking_code;
    if (!code) return { status: 422, json: { error: { code: 'TRACKER.TRACKING_CODE.INVALID', message: 'Invalid tracking code.', errors: [] } } };
    const existing = [...this.trackers.values()].find((t) => t.tracking_code === code);
    const tracker = existing ?? { id: `trk_${randomBytes(16).toString('hex')}`, tracking_code: code, carrier: r.json.tracker.carrier ?? 'USPS' };
    this.trackers.set(tracker.id, tracker);
    return { status: existing ? 200 : 201, json: this.tracker(tracker) };
  }

  private retrieve(id: string): FakeAnswer {
    const tracker = this.trackers.get(id);
    if (!tracker) return { status: 404, json: { error: { code: 'NOT_FOUND', message: 'The requested resource could not be found.', errors: [] } } };
    return { status: 200, json: this.tracker(tracker) };
  }
}
