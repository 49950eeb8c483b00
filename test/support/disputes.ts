import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/pool';
import type { Provider } from '../../src/db/schema';

/** A dispute row as the event pipeline would have written it; overrides in column names. */
export async function insertDispute(db: Db, overrides: Record<string, unknown> = {}): Promise<string> {
  const row = {
    provider: 'stripe' as Provider,
    provider_dispute_id: `du_${randomBytes(6).toString('hex')}`,
    provider_payment_id: 'ch_3QkZq2LzW8xYp1Aa0n4dR7sT',
    amount_value: 4599,
    amount_currency: 'USD',
    reason: 'product_not_received',
    provider_reason: 'product_not_received',
    status: 'needs_response',
    provider_status: 'needs_response',
    stage: 'chargeback',
    due_by: new Date(Date.now() + 10 * 86_400_000),
    opened_at: new Date(),
    updated_at: new Date(),
    ...overrides,
  };
  return (await db.insertInto('disputes').values(row).returning('id').executeTakeFirstOrThrow()).id;
}
