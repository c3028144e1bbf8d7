// npm run job -- <assess|reconcile|penalties|report> [--region CODE] [--date YYYY-MM-DD]
// Works on the same embedded database whether or not `npm start` is running.
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../api/config';
import { systemClock } from '../api/shared/clock';
import { createLogger } from '../api/shared/logger';
import { isValidDate } from '../api/shared/time';
import { openDatabase } from '../db/connect';
import { assessJob } from './assess';

function dateOption(v: string): string {
  if (!isValidDate(v)) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return v;
}

async function withDeps<T>(fn: (deps: Parameters<typeof assessJob>[0]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    return await fn({ knex: db.knex, config, clock: systemClock, logger: createLogger(config.LOG_LEVEL) });
  } finally {
    await db.close();
  }
}

const program = new Command('job').description('run an e-retribusi job once');

program
  .command('assess')
  .description("create the day's assessments (default: each region's local today)")
  .option('--region <CODE>', 'region code, e.g. MGL (default: all regions)')
  .option('--date <YYYY-MM-DD>', 'business date in the region', dateOption)
  .action(async (opts: { region?: string; date?: string }) => {
    const results = await withDeps((deps) => assessJob(deps, opts));
    for (const r of results) {
      console.log(`assess ${r.regionCode} ${r.businessDate}: ${r.created} created, ${r.creditApplied} settled from credit, ${r.stallsWithoutTariff} occupied stalls without a tariff`);
    }
  });

for (const name of ['reconcile', 'penalties', 'report']) {
  program
    .command(name)
    .allowUnknownOption()
    .description(`${name} (not built yet)`)
    .action(() => {
      console.error(`job ${name} is not built yet`);
      process.exitCode = 2;
    });
}

program.parseAsync(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
