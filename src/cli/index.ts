import { Command } from 'commander';
import { ConfigError } from '../config';
import { CliError } from './context';
import { disputesCommand } from './disputes';
import { doctorCommand } from './doctor';
import { eventsCommand } from './events';
import { importCommand } from './import';
import { redriveCommand } from './redrive';
import { replayCommand } from './replay';
import { sourcesCommand, syncCommand } from './sources';

const program = new Command('rebuttal')
  .description('Rebuttal: replay provider events, inspect and re-drive them, list disputes, import merchant records, check your setup')
  .showHelpAfterError()
  .addCommand(replayCommand())
  .addCommand(eventsCommand())
  .addCommand(redriveCommand())
  .addCommand(disputesCommand())
  .addCommand(importCommand())
  .addCommand(doctorCommand())
  .addCommand(sourcesCommand())
  .addCommand(syncCommand());

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (err: unknown) => {
    // Expected failures are one line; anything else is a bug, shown with its stack.
    const expected = err instanceof CliError || err instanceof ConfigError;
    process.stderr.write(`rebuttal: ${expected ? (err as Error).message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
