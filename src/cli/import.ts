import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Command } from 'commander';
import { importRecords } from '../evidence/import';
import { regatherForOrders } from '../evidence/regather';
import { QUEUES } from '../queue/names';
import { CliError, cliConfig, print, withDb, withQueue } from './context';

export const importCommand = () =>
  new Command('import')
    .description('import merchant records (orders, shipments, messages) from an NDJSON file, as POST /api/import does')
    .argument('<file>', 'NDJSON lines of {"type":"order"|"shipment"|"message","data":{…}}')
    .action(async (file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new CliError(`cannot read ${file}`);
      }
      const config = cliConfig();
      const report = await withDb(config, async (db) => {
        const result = await importRecords(db, text);
        await withQueue(
          config,
          (connection) => new Queue(QUEUES.evidence, { connection, prefix: config.queuePrefix }),
          (evidence) => regatherForOrders(db, evidence, result.changedOrders),
        ).catch(() => print('warning: Redis is away; open disputes will gather this evidence when they next change'));
        return result;
      });
      print(`accepted ${report.accepted}, rejected ${report.rejected.length}`);
      for (const rejected of report.rejected) print(`line ${rejected.line}: ${rejected.error}`);
      if (report.rejected.length) throw new CliError(`${report.rejected.length} line(s) rejected`);
    });
