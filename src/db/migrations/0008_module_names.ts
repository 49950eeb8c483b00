import { type Kysely, sql } from 'kysely';

/**
 * Providers and alert channels are modules registered in code (src/providers/index.ts,
 * src/alerts/channels/index.ts), so the schema no longer spells out their names: it keeps the
 * shape of a module name, and the code refuses a name no module has before anything is written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table events drop constraint events_provider_check,
      add constraint events_provider_name check (provider ~ '^[a-z][a-z0-9_]{1,31}$');
    alter table disputes drop constraint disputes_provider_check,
      add constraint disputes_provider_name check (provider ~ '^[a-z][a-z0-9_]{1,31}$');
    alter table alert_deliveries drop constraint alert_deliveries_channel_check,
      add constraint alert_deliveries_channel_name check (channel ~ '^[a-z][a-z0-9_]{1,31}$');
  `.execute(db);
}
