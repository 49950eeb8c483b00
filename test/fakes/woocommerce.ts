import { fixtureJson } from '../support/fixtures';
import { RecordingServer, type FakeAnswer, type RecordedRequest } from './recording-server';

export const WOO_KEY = 'ck_8f2b1c9d4e7a6b5c3d2e1f0a9b8c7d6e5f4a3b2c';
export const WOO_SECRET = 'cs_1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
export const WOO_ORDERS = '/wp-json/wc/v3/orders';

const wooError = (status: number, code: string, message: string): FakeAnswer => ({ status, json: { code, message, data: { status } } });

/** WooCommerce REST v3 orders and notes: Basic auth, page/per_page with X-WP-Total(Pages), search, after/before (GMT). */
export class FakeWooCommerce extends RecordingServer {
  readonly orders: any[];
  readonly notes: Record<string, any[]>;

  constructor(readonly key = WOO_KEY, readonly secret = WOO_SECRET) {
    super([
      ['GET', WOO_ORDERS, (r) => this.authorized(r, () => this.list(r))],
      ['GET', `${WOO_ORDERS}/:id/notes`, (r, { id }) => this.authorized(r, () => ({ status: 200, json: this.notes[id!] ?? [] }))],
    ]);
    const fixture = fixtureJson<{ orders: any[]; notes: Record<string, any[]> }>('woocommerce/orders.json');
    this.orders = structuredClone(fixture.orders);
    this.notes = structuredClone(fixture.notes);
  }

  private authorized(r: RecordedRequest, then: () => FakeAnswer): FakeAnswer {
    const expected = `Basic ${Buffer.from(`${this.key}:${this.secret}`).toString('base64')}`;
    if (r.headers.authorization !== expected) return wooError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    return then();
  }

  private list(r: RecordedRequest): FakeAnswer {
    const perPage = Math.min(100, Number(r.query.get('per_page') ?? 10));
    const page = Number(r.query.get('page') ?? 1);
    const search = r.query.get('search')?.toLowerCase();
    const gmt = (v: string) => Date.parse(/Z$/.test(v) ? v : `${v}Z`);
    const after = r.query.get('after');
    const before = r.query.get('before');
    const matching = this.orders
      .filter((o) => !search || JSON.stringify([o.billing, o.shipping, o.number]).toLowerCase().includes(search))
      .filter((o) => !after || gmt(o.date_created_gmt) > Date.parse(after))
      .filter((o) => !before || gmt(o.date_created_gmt) < Date.parse(before))
      .sort((a, b) => gmt(b.date_created_gmt) - gmt(a.date_created_gmt));
    const totalPages = Math.max(1, Math.ceil(matching.length / perPage));
    return {
      status: 200,
      json: matching.slice((page - 1) * perPage, page * perPage),
      headers: { 'x-wp-total': String(matching.length), 'x-wp-totalpages': String(totalPages) },
    };
  }
}
