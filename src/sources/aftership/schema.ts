import { z } from 'zod';

/** An AfterShip tracking (Tracking API 2026-07, pkg @aftership/tracking-sdk src/model/Tracking.ts), as much as we read. */

export const AfterShipCheckpoint = z.object({
  checkpoint_time: z.string().nullish(),
  message: z.string().nullish(),
  location: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  postal_code: z.string().nullish(),
  country_region: z.string().nullish(),
  tag: z.string().nullish(),
  subtag_message: z.string().nullish(),
});

export const AfterShipTracking = z.object({
  id: z.string(),
  tracking_number: z.string(),
  slug: z.string().nullish(),
  tag: z.string().nullish(),
  subtag: z.string().nullish(),
  subtag_message: z.string().nullish(),
  shipment_delivery_date: z.string().nullish(),
  signed_by: z.string().nullish(),
  checkpoints: z.array(AfterShipCheckpoint).nullish(),
  proof_of_delivery: z.array(z.object({ type: z.string().nullish(), url: z.string().nullish() })).nullish(),
  destination_city: z.string().nullish(),
  destination_state: z.string().nullish(),
  destination_postal_code: z.string().nullish(),
  destination_country_region: z.string().nullish(),
});
export type AfterShipTracking = z.infer<typeof AfterShipTracking>;
