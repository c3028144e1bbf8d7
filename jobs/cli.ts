// npm run job -- <assess|reconcile|penalties|report|qris-recovery> [--region CODE] [--date YYYY-MM-DD]
// Works on the same embedded database whether or not `npm start` is running.
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../api/core/config';
import { systemClock } from '../api/core/clock';
import { createLogger } from '../api/core/logger';
import { isValidDate } from '../api/core/time';
import { openDatabase } from '../db/connect';
import { assessJob } from './assess';
import { reconcileJob } from './reconcile';
import { reportJob } from './report';
import { penaltiesJob } from './penalties';
import { qrisRecoveryJob } from './qris-recovery';

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
      console.log(
        `assess ${r.regionCode} ${r.businessDate}: ${r.created} created, ${r.creditApplied} settled from credit, ${r.stallsWithoutTariff} occupied stalls without a tariff`,
      );
    }
  });

program
  .command('reconcile')
  .description(
    'import the settlement inbox and reconcile (default: every date with new files, open items or never reconciled)',
  )
  .option('--region <CODE>', 'region code, e.g. MGL (default: all regions)')
  .option('--date <YYYY-MM-DD>', 'reconcile only this business date (after importing the inbox)', dateOption)
  .option('--inbox <DIR>', 'settlement inbox (default SETTLEMENT_INBOX, else <DATA_DIR>/inbox)')
  .option('--no-import', 'reconcile without reading the inbox')
  .action(async (opts: { region?: string; date?: string; inbox?: string; import: boolean }) => {
    const results = await withDeps((deps) =>
      reconcileJob(deps, { region: opts.region, date: opts.date, inbox: opts.inbox, skipImport: !opts.import }),
    );
    for (const r of results) {
      const fresh = r.imported.filter((i) => !i.duplicate);
      console.log(
        `reconcile ${r.region}: ${fresh.length} files imported (${fresh.reduce((n, i) => n + i.lines, 0)} lines), ${r.imported.length - fresh.length} already known, ${r.refused.length} refused`,
      );
      for (const f of r.refused) console.log(`  refused ${f.path}: line ${f.line}: ${f.reason}`);
      for (const s of r.reconciled) {
        const kinds = Object.entries(s.exceptions.byKind)
          .filter(([, v]) => v.open > 0)
          .map(([k, v]) => `${k} ${v.open}`);
        console.log(
          `  ${s.businessDate} ${s.status}: ${s.matched.count}/${s.ledger.count} payments settled (Rp ${s.matched.amount}), ${s.awaitingSettlement.count} awaiting, ${s.exceptions.open} open exceptions${kinds.length ? ` (${kinds.join(', ')})` : ''}`,
        );
      }
      if (r.reconciled.length === 0) console.log('  nothing to reconcile');
    }
    if (results.some((r) => r.refused.length > 0)) process.exitCode = 3;
  });

program
  .command('report')
  .description("write reports as issued PDFs to REPORTS_DIR (default: the daily ones of each region's local yesterday)")
  .option('--region <CODE>', 'region code, e.g. MGL (default: all regions)')
  .option(
    '--date <YYYY-MM-DD>',
    'the day reported on (as-of date for arrears; its month for monthly-realisation)',
    dateOption,
  )
  .option(
    '--kind <kind...>',
    'daily-reconciliation, daily-collection, monthly-realisation, arrears, strd, warning-letters',
  )
  .option('--out <DIR>', 'where to write (default REPORTS_DIR, else <DATA_DIR>/reports)')
  .action(async (opts: { region?: string; date?: string; kind?: string[]; out?: string }) => {
    const results = await withDeps((deps) =>
      reportJob(deps, { region: opts.region, date: opts.date, kinds: opts.kind, out: opts.out }),
    );
    for (const r of results) {
      for (const w of r.written) {
        console.log(
          w.file
            ? `report ${r.region} ${r.date} ${w.kind}: ${w.number}, ${w.pages} pages, ${w.file}`
            : `report ${r.region} ${r.date} ${w.kind}: skipped (${w.skipped})`,
        );
      }
    }
  });

program
  .command('penalties')
  .description(
    "charge the month's interest on overdue principal (default: as of each region's local today); idempotent",
  )
  .option('--region <CODE>', 'region code, e.g. MGL (default: all regions)')
  .option('--date <YYYY-MM-DD>', 'as-of date in the region', dateOption)
  .action(async (opts: { region?: string; date?: string }) => {
    const results = await withDeps((deps) => penaltiesJob(deps, opts));
    for (const r of results)
      console.log(
        `penalties ${r.regionCode} as of ${r.asOf}: ${r.charges} new monthly charges, Rp ${r.amount} posted in ${r.markets} markets`,
      );
  });

program
  .command('qris-recovery')
  .description('ask SNAP acquirers about pending QRIS codes that are due (lost notifications) and post the paid ones')
  .option('--region <CODE>', 'region code, e.g. MGL (default: all regions)')
  .action(async (opts: { region?: string }) => {
    const results = await withDeps((deps) => qrisRecoveryJob(deps, opts));
    for (const r of results)
      console.log(
        `qris-recovery ${r.region}: ${r.asked} asked, ${r.recovered} recovered, ${r.failed} failed (asked again next run)`,
      );
    if (results.some((r) => r.failed > 0)) process.exitCode = 3;
  });

program.parseAsync(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
