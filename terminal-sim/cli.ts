// npm run sim -- --api http://localhost:3000 --date 2026-11-23 --seed 42 --terminals 10 ...
// A simulated market day against a running API, then the banks' files in the inbox.
import { Command, InvalidArgumentError } from 'commander';
import { localDate } from './clock';
import { DEFAULT_INBOX, FAULT_KINDS, parseFaults, QRIS_PROTOCOLS, type QrisProtocol } from './options';
import { runSim } from './sim';
import { formatSummary } from './summary';

function whole(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

const program = new Command()
  .name('npm run sim --')
  .description(
    "A simulated market day: collectors, traders and banks against a running e-retribusi API, then the banks' files",
  )
  .option('--api <url>', 'the API', process.env.SIM_API ?? 'http://localhost:3000')
  // WIB is the westernmost zone: today there is never in the future for any Indonesian region.
  .option('--date <YYYY-MM-DD>', 'the business date (not in the future)', localDate(new Date(), 'Asia/Jakarta'))
  .option('--seed <n>', 'same seed, same day: same payments and byte-identical files', whole, 1)
  .option('--terminals <n>', 'terminals walking at once over all markets', whole, 10)
  .option('--region <code>', 'only this region (e.g. MGL)')
  .option('--faults <spec>', `faults per region, e.g. lost-queue=1,short-credit=1 (${FAULT_KINDS.join(', ')})`)
  .option(
    '--inbox <dir>',
    "where the banks' files go: <inbox>/<region>/<date>/",
    process.env.SETTLEMENT_INBOX ?? DEFAULT_INBOX,
  )
  .option('--stalls-per-terminal <n>', 'at most this many stalls on each route', whole)
  .option('--provision-stalls <n>', 'first import stalls and traders (CSV) until the region(s) have n stalls', whole)
  .option('--backfill-days <n>', 'also assess n days before the date, so traders have arrears', whole, 0)
  .option(
    '--qris-protocol <p>',
    `how the QRIS acquirer talks to the API (${QRIS_PROTOCOLS.join(', ')}); snap registers it and runs its SNAP API`,
    'simple-hmac',
  );

async function main(): Promise<void> {
  const o = program.parse().opts();
  const result = await runSim({
    api: o.api,
    date: o.date,
    seed: o.seed,
    terminals: o.terminals,
    region: o.region,
    faults: parseFaults(o.faults),
    inbox: o.inbox,
    stallsPerTerminal: o.stallsPerTerminal,
    provisionStalls: o.provisionStalls,
    backfillDays: o.backfillDays,
    qrisProtocol: o.qrisProtocol as QrisProtocol,
    progress: Boolean(process.stdout.isTTY),
    log: (line) => console.log(line),
  });
  console.log(formatSummary(result));
  if (result.errors.length) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(`sim failed: ${err.message}`);
  process.exitCode = 1;
});
