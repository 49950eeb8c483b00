import { randomBytes } from 'node:crypto';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const AFTERSHIP_KEY = 'asat_5f0c1e2d3c4b5a69788796a5b4c3d2e1';
export const AFTERSHIP_TRACKINGS = '/tracking/2026-07/trackings';

/** What the carrier has scanned so far for one number; tests move it along. */
export interface CarrierParcel {
  slug: string;
  tag: string;
  checkpoints: Array<Record<string, unknown>>;
  signed_by?: string | null;
  shipment_delivery_date?: string | null;
  proof_of_delivery?: Array<{ type: string; url: string }>;
}

const meta = (code: number, message: string, type: string) => ({ meta: { code, message, type }, data: {} });

/**
 * AfterShip Tracking API 2026-07: `as-api-key` checked, create (flat body; 4003 when it exists),
 * get by id, list by tracking_numbers. A number no carrier knows stays Pending with no checkpoints.
 */
export class FakeAfterShip extends RecordingServer {
  readonly parcels = new Map<string, CarrierParcel>();
  private readonly trackings = new Map<string, { id: string; tracking_number: string; slug: string }>();

  constructor(readonly apiKey = AFTERSHIP_KEY) {
    super([
      ['POST', AFTERSHIP_TRACKINGS, (r) => this.authorized(r, () => this.create(r))],
      ['GET', AFTERSHIP_TRACKINGS, (r) => this.authorized(r, () => this.list(r))],
      ['GET', `${AFTERSHIP_TRACKINGS}/:id`, (r, { id }) => this.authorized(r, () => this.byId(id!))],
    ]);
  }

  /** The tracking as AfterShip would show it now. */
  tracking(t: { id: string; tracking_number: string; slug: string }) {
    const parcel = this.parcels.get(t.tracking_number);
    return {
      id: t.id,
      legacy_id: t.id.slice(0, 24),
      tracking_number: t.tracking_number,
      slug: parcel?.slug ?? t.slug,
      active: parcel?.tag !== 'Delivered',
      tag: parcel?.tag ?? 'Pending',
      subtag: parcel ? `${parcel.tag}_001` : 'Pending_001',
      subtag_message: parcel ? parcel.tag : 'No information yet',
      checkpoints: parcel?.checkpoints ?? [],
      signed_by: parcel?.signed_by ?? null,
      shipment_delivery_date: parcel?.shipment_delivery_date ?? null,
      proof_of_delivery: parcel?.proof_of_delivery ?? [],
      created_at: '2026-10-20T00:00:00+00:00',
      updated_at: new Date().toISOString(),
    };
  }

  private authorized(r: RecordedRequest, then: () => FakeAnswer): FakeAnswer {
    if (r.headers['as-api-key'] !== this.apiKey) return { status: 401, json: meta(401, 'Invalid API key.', 'Unauthorized') };
    return then();
  }

  private create(r: RecordedRequest): FakeAnswer {
    const number = r.json?.tracking_number;
    if (!number) return { status: 400, json: meta(4007, 'Tracking number is required.', 'BadRequest') };
    if ([...this.trackings.values()].some((t) => t.tracking_number === number)) return { status: 400, json: meta(4003, 'Tracking already exists.', 'BadRequest') };
    const tracking = { id: randomBytes(12).toString('hex'), tracking_number: number, slug: r.json.slug ?? 'unknown' };
    this.trackings.set(tracking.id, tracking);
    return { status: 201, json: { meta: { code: 201 }, data: this.tracking(tracking) } };
  }

  private list(r: RecordedRequest): FakeAnswer {
    const numbers = (r.query.get('tracking_numbers') ?? '').split(',').filter(Boolean);
    const found = [...this.trackings.values()].filter((t) => numbers.includes(t.tracking_number));
    return { status: 200, json: { meta: { code: 200 }, data: { pagination: { total: found.length, has_next_page: false }, trackings: found.map((t) => this.tracking(t)) } } };
  }

  private byId(id: string): FakeAnswer {
    const tracking = this.trackings.get(id);
    if (!tracking) return { status: 404, json: meta(4004, 'Tracking does not exist.', 'NotFound') };
    return { status: 200, json: { meta: { code: 200 }, data: this.tracking(tracking) } };
  }
}
