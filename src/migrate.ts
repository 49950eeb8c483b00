import { loadConfig } from './config';
import { migrateDatabase } from './db/migrate';

migrateDatabase(loadConfig().databaseUrl).then(
  (applied) => {
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'nothing to apply\n');
  },
  (err) => {
    process.stderr.write(`migration failed: ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  },
);
