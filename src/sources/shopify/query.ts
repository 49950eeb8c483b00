/**
 * Orders with what a dispute needs: customer, addresses, line items, fulfillments with tracking, and
 * the transactions whose authorizationCode/receiptJson carry the gateway's payment id. Newest first.
 * Requested cost per order ≈ 1 + 25 line items + 5 fulfillments × (1 + 5) + 10 transactions = 66 points,
 * so a page of 10 (≈ 670) stays under the 1000-point single-query cap.
 */
export const ORDERS_QUERY = /* GraphQL */ `
  query RebuttalOrders($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT, reverse: true) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        email
        phone
        createdAt
        processedAt
        clientIp
        totalPriceSet { shopMoney { amount currencyCode } }
        customer { firstName lastName }
        billingAddress { name address1 address2 city provinceCode zip countryCodeV2 }
        shippingAddress { name address1 address2 city provinceCode zip countryCodeV2 }
        lineItems(first: 25) { nodes { sku title quantity originalUnitPriceSet { shopMoney { amount currencyCode } } } }
        fulfillments(first: 5) { id createdAt status displayStatus deliveredAt trackingInfo(first: 5) { number company url } }
        transactions(first: 10) { id gateway kind status authorizationCode receiptJson processedAt amountSet { shopMoney { amount currencyCode } } }
      }
    }
  }
`;

/** Shopify search syntax: dates in quotes, space is AND (shopify.dev/api/usage/search-syntax). */
export function ordersSearch(q: { email?: string; from: string; to: string }): string {
  const terms = [`created_at:>='${q.from}'`, `created_at:<='${q.to}'`];
  if (q.email) terms.unshift(`email:"${q.email.replace(/["\\]/g, '')}"`);
  return terms.join(' ');
}
