import { z } from 'zod';

/** A vendor timestamp (ISO 8601, any precision, with offset) → ISO UTC; unreadable fails the schema. */
export const VendorInstant = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)), 'an ISO-8601 timestamp')
  .transform((v) => new Date(v).toISOString());
