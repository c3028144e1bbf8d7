// npm run bench -- [--terminals N] [--seconds S] [--warmup S] [--workers W] [--stalls N]
//                  [--days N] [--markets N] [--batch-size N] [--batch-days N] [--no-analyze] [--breakdown] [--pg-stats]
//                  [--api-profile DIR] [--data-dir DIR]
import { parseArgs } from 'node:util';

export interface BenchOptions {
  terminals: number;
  seconds: number;
  warmupS: number;
  /** API server processes (node cluster workers); 1 = a single process */
  workers: number;
  stallsPerTerminal: number;
  days: number;
  markets: number;
  /** payments per offline upload in the batch-upload phase; 0 skips it */
  batchSize: number;
  /** days of older assessments added before the batch-upload phase, for its payments to settle */
  batchDays: number;
  breakdown: boolean;
  /** ANALYZE the bench database when the card warmup ends (what autovacuum has long done in production) */
  analyze: boolean;
  /** load pg_stat_statements and print the costliest statements of the card phase */
  pgStats: boolean;
  /** write a V8 CPU profile of the API process(es) into this directory */
  apiProfile?: string;
  dataDir: string;
  /** settlement lines (and payments) for the reconciliation bench; 0 skips it */
  reconcileLines: number;
  /** the settlement file layouts the reconciliation bench runs, in order */
  reconcileLayouts: ('real' | 'rrn')[];
  /** occupied stalls for the arrears-report bench; 0 skips it */
  arrearsStalls: number;
  /** run one part only */
  only?: 'card' | 'reconcile' | 'arrears';
}

const USAGE = `usage: npm run bench -- [options]
  --terminals N   concurrent terminals (collectors) and baseline connections (default 32)
  --seconds S     measured seconds per phase (default 15)
  --warmup S      warmup seconds before each measured phase (default 3)
  --workers W     API server processes, node cluster (default 1)
  --stalls N      stalls per terminal (default 50)
  --days N        days of assessments before the run (default 14: enough open assessments that
                  payments keep settling them through the run instead of turning into credit)
  --markets N     markets in the region (default 4)
  --batch-size N  payments per offline upload (POST /payments/batch) in the batch-upload phase,
                  one upload at a time per terminal (default 50; 0 skips the phase)
  --batch-days N  days of older assessments added before that phase, so its payments settle
                  open days as the card payments do instead of turning into credit (default 46)
  --no-analyze    do not ANALYZE after the warmup: measure a fresh database whose cached plans were
                  made while the payments table was empty
  --breakdown     also measure the SQL function alone, the HTTP floor and the node-side costs
  --pg-stats      print the costliest SQL statements of the card phase (pg_stat_statements)
  --api-profile DIR  write a V8 CPU profile of the API process(es) into DIR
  --data-dir DIR  the bench cluster's directory, wiped at start (default ./data/bench-pg)
  --reconcile-lines N  settlement lines and payments for the reconciliation bench (default
                  1000000; 0 skips it)
  --reconcile-layout real|rrn|both  BNI's real layout (no RRN, matched by TID + date + approval
                  code + amount), the same with an RRN column (matched by RRN), or both (default)
  --arrears-stalls N  occupied stalls for the arrears report bench (default 50000; 0 skips it)
  --only card|reconcile|arrears  run one part only`;

function int(name: string, value: string | undefined, dflt: number, min: number, max: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}\n${USAGE}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      terminals: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      workers: { type: 'string' },
      stalls: { type: 'string' },
      days: { type: 'string' },
      markets: { type: 'string' },
      'batch-size': { type: 'string' },
      'batch-days': { type: 'string' },
      breakdown: { type: 'boolean', default: false },
      'no-analyze': { type: 'boolean', default: false },
      'pg-stats': { type: 'boolean', default: false },
      'api-profile': { type: 'string' },
      'data-dir': { type: 'string' },
      'reconcile-lines': { type: 'string' },
      'reconcile-layout': { type: 'string' },
      'arrears-stalls': { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const terminals = int('terminals', values.terminals, 32, 1, 1000);
  return {
    terminals,
    seconds: int('seconds', values.seconds, 15, 1, 3600),
    warmupS: int('warmup', values.warmup, 3, 0, 600),
    workers: int('workers', values.workers, 1, 1, 64),
    stallsPerTerminal: int('stalls', values.stalls, 50, 1, 10_000),
    days: int('days', values.days, 14, 1, 60),
    markets: Math.min(terminals, int('markets', values.markets, 4, 1, 100)),
    batchSize: int('batch-size', values['batch-size'], 50, 0, 500),
    batchDays: int('batch-days', values['batch-days'], 46, 0, 400),
    breakdown: values.breakdown ?? false,
    analyze: !values['no-analyze'],
    pgStats: values['pg-stats'] ?? false,
    apiProfile: values['api-profile'],
    dataDir: values['data-dir'] ?? './data/bench-pg',
    reconcileLines: int('reconcile-lines', values['reconcile-lines'], 1_000_000, 0, 20_000_000),
    reconcileLayouts: layoutOption(values['reconcile-layout']),
    arrearsStalls: int('arrears-stalls', values['arrears-stalls'], 50_000, 0, 1_000_000),
    only: onlyOption(values.only),
  };
}

function layoutOption(v: string | undefined): ('real' | 'rrn')[] {
  if (v === undefined || v === 'both') return ['real', 'rrn'];
  if (v === 'real' || v === 'rrn') return [v];
  throw new Error(`--reconcile-layout must be real, rrn or both\n${USAGE}`);
}

function onlyOption(v: string | undefined): 'card' | 'reconcile' | 'arrears' | undefined {
  if (v === undefined) return undefined;
  if (v === 'card' || v === 'reconcile' || v === 'arrears') return v;
  throw new Error(`--only must be card, reconcile or arrears\n${USAGE}`);
}
