import { z } from 'zod';
import { VendorInstant } from '../instant';

/** Freshdesk API v2 answers, as far as we read them (developers.freshdesk.com/api). */

const Id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

export const Ticket = z.object({
  id: Id,
  subject: z.string().nullable().optional(),
  requester_id: Id.nullable().optional(),
  created_at: VendorInstant,
  updated_at: VendorInstant,
  description_text: z.string().nullable().optional(),
  tags: z.array(z.string()).nullable().optional(),
});
export const Tickets = z.array(Ticket);

export const Conversations = z.array(
  z.object({
    id: Id,
    body_text: z.string().nullable().optional(),
    private: z.boolean(),
    incoming: z.boolean(),
    user_id: Id.nullable().optional(),
    from_email: z.string().nullable().optional(),
    created_at: VendorInstant,
  }),
);

export const Created = z.object({ id: Id });
