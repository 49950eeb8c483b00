import type { Db } from '../db/pool';
import { ImportLine } from './records';
import { OrderNotFound, putMessage, putOrder, putShipment } from './repository';

export interface ImportReport {
  accepted: number;
  rejected: Array<{ line: number; error: string }>;
  /** Orders whose records changed: their open disputes gather evidence again. */
  changedOrders: string[];
}

function describe(error: unknown): string {
  const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
  if (issues?.length) return issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/**
 * NDJSON lines of {"type":"order"|"shipment"|"message","data":{…}}. Each line applies in its own
 * transaction or not at all; lines are counted from 1; the same file twice changes nothing.
 */
export async function importRecords(db: Db, ndjson: string): Promise<ImportReport> {
  const report: ImportReport = { accepted: 0, rejected: [], changedOrders: [] };
  const changed = new Set<string>();
  const lines = ndjson.split(/\r?\n/);
  for (const [index, text] of lines.entries()) {
    if (text.trim() === '') continue;
    const line = index + 1;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      report.rejected.push({ line, error: 'not JSON' });
      continue;
    }
    const parsed = ImportLine.safeParse(json);
    if (!parsed.success) {
      report.rejected.push({ line, error: describe(parsed.error) });
      continue;
    }
    const record = parsed.data;
    try {
      const didChange = await db.transaction().execute(async (trx) => {
        if (record.type === 'order') {
          const { orderId, ...order } = record.data;
          return putOrder(trx, orderId, order, 'import');
        }
        if (record.type === 'shipment') {
          const { orderId, shipmentId, ...shipment } = record.data;
          return putShipment(trx, orderId, shipmentId, shipment, 'import');
        }
        const { orderId, messageId, ...message } = record.data;
        return putMessage(trx, orderId, messageId, message);
      });
      report.accepted++;
      if (didChange) changed.add(record.data.orderId);
    } catch (err) {
      if (err instanceof OrderNotFound) report.rejected.push({ line, error: `${err.message} (import the order first)` });
      else throw err;
    }
  }
  report.changedOrders = [...changed];
  return report;
}
