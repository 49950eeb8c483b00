import { Queue } from 'bullmq';
import { Command } from 'commander';
import { createLogger } from '../log';
import { listersOf } from '../ports';
import { createProviderRegistry } from '../providers';
import { QUEUES } from '../queue/names';
import { webhooksMissingAlert } from '../reconcile/alert';
import { reconcile } from '../reconcile/run';
import { CliError, cliConfig, print, table, withDb, withEventQueue, withQueue } from './context';

export const reconcileCommand = () =>
  new Command('reconcile')
    .description("read each configured provider's dispute list now and process what no webhook delivered (as the scheduled run does)")
    .action(async () => {
      const config = cliConfig();
      const listers = listersOf(createProviderRegistry(config.providers).ports);
      if (listers.size === 0) {
        throw new CliError('no provider API credentials are set: set STRIPE_SECRET_KEY, PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET, or SQUARE_ACCESS_TOKEN');
      }
      // The run's own log lines would interleave with the table: only problems are worth showing here.
      const log = createLogger('error');
      const result = await withDb(config, (db) =>
        withEventQueue(config, (events) =>
          withQueue(config, (connection) => new Queue(QUEUES.alerts, { connection, prefix: config.queuePrefix }), (alerts) =>
            reconcile({ db, log, listers, events, webhooksMissing: webhooksMissingAlert(db, alerts) }),
          ),
        ),
      );
      if (!result.ran) throw new CliError(`${result.reason}; try again once it has finished`);
      print(table([['provider', 'listed', 'found', 'result'], ...result.providers.map((p) => [p.provider, String(p.listed), String(p.found), p.error ?? 'ok'])]));
      const failed = result.providers.filter((p) => p.error);
      if (failed.length > 0) throw new CliError(`${failed.map((p) => `${p.provider}: ${p.error}`).join('; ')}`);
    });
