import { z } from 'zod';

/** An EasyPost Tracker (pkg @easypost/api types/Tracker/*.d.ts; docs.easypost.com/docs/trackers), as much as we read. */

export const EasyPostTrackingDetail = z.object({
  message: z.string().nullish(),
  description: z.string().nullish(),
  status: z.string().nullish(),
  status_detail: z.string().nullish(),
  datetime: z.string().nullish(),
  tracking_location: z.object({ city: z.string().nullish(), state: z.string().nullish(), country: z.string().nullish(), zip: z.string().nullish() }).nullish(),
});

export const EasyPostTracker = z.object({
  id: z.string(),
  tracking_code: z.string(),
  status: z.string(),
  status_detail: z.string().nullish(),
  signed_by: z.string().nullish(),
  carrier: z.string().nullish(),
  public_url: z.string().nullish(),
  tracking_details: z.array(EasyPostTrackingDetail).nullish(),
});
export type EasyPostTracker = z.infer<typeof EasyPostTracker>;
