import { z } from 'zod';

/** The Admin GraphQL answer to ORDERS_QUERY (query.ts), as much of it as we read. */

const MoneyBag = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });

const MailingAddress = z
  .object({
    name: z.string().nullish(),
    address1: z.string().nullish(),
    address2: z.string().nullish(),
    city: z.string().nullish(),
    provinceCode: z.string().nullish(),
    zip: z.string().nullish(),
    countryCodeV2: z.string().nullish(),
  })
  .nullish();

export const ShopifyOrder = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  createdAt: z.string(),
  processedAt: z.string().nullish(),
  clientIp: z.string().nullish(),
  totalPriceSet: MoneyBag,
  customer: z.object({ firstName: z.string().nullish(), lastName: z.string().nullish() }).nullish(),
  billingAddress: MailingAddress,
  shippingAddress: MailingAddress,
  lineItems: z.object({
    nodes: z.array(z.object({ sku: z.string().nullish(), title: z.string(), quantity: z.number().int(), originalUnitPriceSet: MoneyBag.nullish() })),
  }),
  fulfillments: z.array(
    z.object({
      id: z.string(),
      createdAt: z.string(),
      status: z.string().nullish(),
      displayStatus: z.string().nullish(),
      deliveredAt: z.string().nullish(),
      trackingInfo: z.array(z.object({ number: z.string().nullish(), company: z.string().nullish(), url: z.string().nullish() })),
    }),
  ),
  transactions: z.array(
    z.object({
      id: z.string(),
      gateway: z.string().nullish(),
      kind: z.string(),
      status: z.string(),
      authorizationCode: z.string().nullish(),
      receiptJson: z.string().nullish(),
      processedAt: z.string().nullish(),
      amountSet: MoneyBag,
    }),
  ),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

export const OrdersPage = z.object({
  orders: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
    nodes: z.array(ShopifyOrder),
  }),
});
export type OrdersPage = z.infer<typeof OrdersPage>;

/** `extensions.cost` on every answer: how full the leaky bucket is (shopify.dev … graphql-admin/rate-limits). */
export const QueryCost = z
  .object({
    requestedQueryCost: z.number().nullish(),
    actualQueryCost: z.number().nullish(),
    throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }).partial().nullish(),
  })
  .partial();
export type QueryCost = z.infer<typeof QueryCost>;
