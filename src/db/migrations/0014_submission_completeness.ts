import { type Kysely, sql } from 'kysely';

/**
 * What an evidence submission sent is a fact of the submission: the completeness of the packet it
 * sent, recorded when it is sent. Insights read it from the submission instead of searching the
 * packets for the newest one stored before each sending (the slowest part of that query).
 * Submissions sent before this migration get it from the packets, by that same rule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table submissions add column completeness real`.execute(db);
  await sql`
    update submissions s set completeness = (
      select p.completeness from packets p where p.dispute_id = s.dispute_id and p.created_at <= s.sent_at
      order by p.created_at desc limit 1)
    where s.status = 'sent' and s.kind = 'submit'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table submissions drop column completeness`.execute(db);
}
