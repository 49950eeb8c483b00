import { z } from 'zod';
import type { DisputeLister } from '../../ports';
import type { PaypalApi } from './client';
import { PaypalDispute, paypalDisputeFacts } from './normalize';

/** PayPal's largest page. */
const PAGE_SIZE = 50;

const DisputeList = z.object({
  items: z.array(z.looseObject({ dispute_id: z.string(), status: z.string().optional(), update_time: z.string().optional() })).default([]),
  links: z.array(z.object({ href: z.string(), rel: z.string() }).loose()).default([]),
});

/** PayPal's HATEOAS link is absolute; only its path and query are followed, at PAYPAL_API_BASE. */
function nextPath(links: Array<{ href: string; rel: string }>): string | undefined {
  const next = links.find((l) => l.rel === 'next');
  if (!next) return undefined;
  const url = new URL(next.href, 'https://api-m.paypal.com');
  return `${url.pathname}${url.search}`;
}

/**
 * `GET /v1/customer/disputes?update_time_after=…`, following `rel:"next"` links. A list item is a
 * summary: a resolved one lacks its outcome, so that dispute is read whole.
 */
export function paypalLister(api: PaypalApi, options: { pageSize?: number } = {}): DisputeLister {
  return async function* listPaypalDisputes(since) {
    const query = new URLSearchParams({ update_time_after: since.toISOString(), page_size: String(options.pageSize ?? PAGE_SIZE) });
    let path: string | undefined = `/v1/customer/disputes?${query}`;
    while (path) {
      const page = DisputeList.parse(await api.call('GET', path));
      for (const item of page.items) {
        const resource = item.status === 'RESOLVED' ? await api.getDispute(item.dispute_id) : item;
        const dispute = PaypalDispute.parse(resource);
        // One instant, one id: PayPal writes times with and without milliseconds.
        const updatedAt = new Date(dispute.update_time ?? dispute.create_time ?? since).toISOString();
        const payload = {
          id: `reconcile:${dispute.dispute_id}:${updatedAt}`,
          event_type: 'CUSTOMER.DISPUTE.UPDATED',
          create_time: updatedAt,
          resource_type: 'dispute',
          resource,
        };
        yield { providerEventId: payload.id, type: payload.event_type, payload, facts: paypalDisputeFacts(dispute, updatedAt) };
      }
      path = nextPath(page.links);
    }
  };
}
