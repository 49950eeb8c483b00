import { z } from 'zod';

/** WooCommerce REST v3 orders, as much as we read (woocommerce-rest-api-docs, wp-api-v3/_orders.md). */

const Party = z.object({
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company: z.string().nullish(),
  address_1: z.string().nullish(),
  address_2: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  postcode: z.string().nullish(),
  country: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});

const Meta = z.object({ id: z.number().optional(), key: z.string(), value: z.unknown() });

export const WooOrder = z.object({
  id: z.number().int(),
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  currency: z.string(),
  total: z.string(),
  date_created_gmt: z.string(),
  date_paid_gmt: z.string().nullish(),
  transaction_id: z.string().nullish(),
  payment_method: z.string().nullish(),
  customer_ip_address: z.string().nullish(),
  billing: Party,
  shipping: Party,
  line_items: z.array(z.object({ name: z.string(), sku: z.string().nullish(), quantity: z.number().int(), total: z.string() })),
  meta_data: z.array(Meta).default([]),
});
export type WooOrder = z.infer<typeof WooOrder>;

export const WooOrders = z.array(WooOrder);

/** One item of the Shipment Tracking extension's order meta `_wc_shipment_tracking_items`. */
export const WooTrackingItem = z.object({
  tracking_provider: z.string().nullish(),
  custom_tracking_provider: z.string().nullish(),
  tracking_number: z.string(),
  date_shipped: z.union([z.string(), z.number()]).nullish(),
  tracking_id: z.string().nullish(),
});

export const WooNotes = z.array(z.object({ id: z.number(), note: z.string(), date_created_gmt: z.string().nullish(), customer_note: z.boolean().nullish() }));
export type WooNote = z.infer<typeof WooNotes>[number];
