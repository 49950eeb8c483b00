import { z } from 'zod';

/** Zendesk Support API v2 answers, as far as we read them (developer.zendesk.com/api-reference). */

const Id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const Instant = z.iso.datetime({ offset: true });

export const UsersPage = z.object({
  users: z.array(z.object({ id: Id, email: z.string().nullable().optional(), name: z.string().nullable().optional(), role: z.string().optional() })),
  next_page: z.string().nullable().optional(),
});

export const Ticket = z.object({ id: Id, requester_id: Id.nullable().optional(), created_at: Instant, updated_at: Instant, subject: z.string().nullable().optional() });

/** Cursor pagination: links.next while meta.has_more. */
const Cursor = {
  meta: z.object({ has_more: z.boolean() }).optional(),
  links: z.object({ next: z.string().nullable().optional() }).optional(),
};

export const TicketsPage = z.object({ tickets: z.array(Ticket), ...Cursor });

export const CommentsPage = z.object({
  comments: z.array(
    z.object({
      id: Id,
      public: z.boolean(),
      author_id: Id.nullable().optional(),
      body: z.string().nullable().optional(),
      plain_body: z.string().nullable().optional(),
      created_at: Instant,
    }),
  ),
  users: z.array(z.object({ id: Id, name: z.string().nullable().optional(), role: z.string().optional() })).optional(),
  ...Cursor,
});

export const TicketAnswer = z.object({ ticket: z.object({ id: Id }) });
