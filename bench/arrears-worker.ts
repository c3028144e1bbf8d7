// The timed part of the arrears bench, alone in its process so that its peak memory is its own:
// the month's penalty run, then the region's Daftar Tunggakan as a streamed PDF and as CSV,
// each written to a file. Prints one JSON line for bench/arrears.ts.
import { createWriteStream, statSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { loadConfig } from '../api/core/config';
import { systemClock } from '../api/core/clock';
import { createLogger } from '../api/core/logger';
import { createKnex } from '../db/knex';
import { runPenalties } from '../api/arrears/penalties.service';
import { issuePdf, writeCsv } from '../reports/document';
import { reportDefinition } from '../reports/registry';

async function main(): Promise<void> {
  const url = process.env.BENCH_DB_URL!;
  const regionId = process.env.BENCH_REGION!;
  const asOf = process.env.BENCH_AS_OF!;
  const dir = process.env.BENCH_DIR!;
  const knex = createKnex(url, 4);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
  } as NodeJS.ProcessEnv);
  const deps = { knex, config, clock: systemClock, logger: createLogger('silent') };
  try {
    const def = reportDefinition('arrears')!;
    let t = Date.now();
    const penalties = await runPenalties(deps, regionId, asOf);
    const penaltyMs = Date.now() - t;
    const penaltyFloorMs = await penaltyFloor(knex, regionId, asOf);
    t = Date.now();
    const pdfFile = path.join(dir, 'arrears.pdf');
    const doc = await issuePdf(deps, def, { regionId, asOf }, createWriteStream(pdfFile), 'bench');
    const pdfMs = Date.now() - t;
    t = Date.now();
    const csvFile = path.join(dir, 'arrears.csv');
    let rows = 0;
    const sink = createWriteStream(csvFile);
    const counting = new Transform({
      transform(chunk: Buffer, _e, cb) {
        for (const b of chunk) if (b === 10) rows++;
        cb(null, chunk);
      },
    });
    counting.pipe(sink);
    await writeCsv(deps, def, { regionId, asOf }, counting);
    await new Promise<void>((r) => sink.on('finish', () => r()));
    const csvMs = Date.now() - t;
    // maxRSS is in kilobytes: the most this process ever held in memory.
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      JSON.stringify({
        penaltyMs,
        penaltyCharges: Number(penalties.charges),
        penaltyFloorMs,
        pdfMs,
        pdfPages: doc.pages,
        pdfMb: statSync(pdfFile).size / 2 ** 20,
        csvMs,
        rows: rows - 2 /* header and TOTAL */,
        peakRssMb,
      }),
    );
  } finally {
    await knex.destroy();
  }
}

// The floor of the penalty run: an INSERT ... SELECT of the very rows it inserted into a table of
// the same shape and indexes (logged, so the same WAL), without the run's computation, journal
// entries or credit applied. Dropped afterwards.
async function penaltyFloor(knex: ReturnType<typeof createKnex>, regionId: string, asOf: string): Promise<number> {
  await knex.raw('drop table if exists bench_penalty_floor');
  await knex.raw('create table bench_penalty_floor (like penalty_charges including defaults including indexes)');
  try {
    const t = Date.now();
    await knex.raw(
      'insert into bench_penalty_floor select * from penalty_charges where region_id = ? and charged_on = ?',
      [regionId, asOf],
    );
    return Date.now() - t;
  } finally {
    await knex.raw('drop table bench_penalty_floor');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
