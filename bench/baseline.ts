// The yardstick: what this machine's Postgres commits when N connections each insert one row per
// transaction (single-statement autocommit, so every op is one round trip and one WAL flush).
// A card payment is at least that: one durable transaction. The target is half of it.
import pg from 'pg';
import { drive, type PhaseOptions, type PhaseResult } from './driver';

export async function baselineInsert(url: string, opts: PhaseOptions): Promise<PhaseResult> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(
    `create table bench_baseline (id bigserial primary key, note text not null, at timestamptz not null)`,
  );
  await setup.end();

  const clients = await connectAll(url, opts.concurrency);
  try {
    return await drive(opts, async (loop, seq) => {
      await clients[loop].query('insert into bench_baseline (note, at) values ($1, now())', [
        `terminal ${loop} op ${seq}`,
      ]);
      return { ok: true };
    });
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

export async function connectAll(url: string, n: number): Promise<pg.Client[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const c = new pg.Client({ connectionString: url, application_name: 'e-retribusi-bench' });
      await c.connect();
      return c;
    }),
  );
}
