import { z } from 'zod';
import { VendorInstant } from '../instant';

/** Gorgias REST answers, as far as we read them (developers.gorgias.com/reference). */

const Id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const Cursor = z.object({ next_cursor: z.string().nullable().optional() }).optional();

export const CustomersPage = z.object({
  data: z.array(z.object({ id: Id, email: z.string().nullable().optional(), name: z.string().nullable().optional() })),
  meta: Cursor,
});

export const Ticket = z.object({ id: Id, created_datetime: VendorInstant, updated_datetime: VendorInstant.nullable().optional(), subject: z.string().nullable().optional() });
export const TicketsPage = z.object({ data: z.array(Ticket), meta: Cursor });

export const MessagesPage = z.object({
  data: z.array(
    z.object({
      id: Id,
      public: z.boolean(),
      from_agent: z.boolean(),
      channel: z.string(),
      sender: z.object({ name: z.string().nullable().optional(), email: z.string().nullable().optional() }).nullable().optional(),
      body_text: z.string().nullable().optional(),
      stripped_text: z.string().nullable().optional(),
      created_datetime: VendorInstant,
      sent_datetime: VendorInstant.nullable().optional(),
    }),
  ),
  meta: Cursor,
});

export const Created = z.object({ id: Id });
