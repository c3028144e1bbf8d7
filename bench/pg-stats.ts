// --pg-stats: which statements inside the ledger function cost what. Loads pg_stat_statements
// (track = all, so statements run inside PL/pgSQL functions and triggers are counted too) and
// track_functions; costs a few percent of throughput, so the headline figures of such a run
// are a little low.
import pg from 'pg';

export const PG_STATS_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
  track_functions: 'all',
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export function resetPgStats(url: string): Promise<void> {
  return withClient(url, async (c) => {
    await c.query('create extension if not exists pg_stat_statements');
    await c.query('select pg_stat_statements_reset(), pg_stat_reset()');
  });
}

/** Top statements by total time per payment (nested ones included, so totals overlap). */
export function reportPgStats(url: string, payments: number, log: (line: string) => void, top = 25): Promise<void> {
  return withClient(url, async (c) => {
    const fns = await c.query(
      `select funcname, calls, total_time, self_time from pg_stat_user_functions order by self_time desc limit 10`,
    );
    log(`pg-stats functions (ms per payment: total / self, calls per payment)`);
    for (const f of fns.rows) {
      log(
        `  ${(f.total_time / payments).toFixed(3).padStart(7)} / ${(f.self_time / payments).toFixed(3).padStart(7)}  x${(f.calls / payments).toFixed(1).padStart(4)}  ${f.funcname}`,
      );
    }
    const st = await c.query(
      `select calls, total_exec_time, toplevel, regexp_replace(query, '\\s+', ' ', 'g') as q
         from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
        order by total_exec_time desc limit $1`,
      [top],
    );
    log(`pg-stats statements (ms per payment, calls per payment; nested statements are inside their callers)`);
    for (const s of st.rows) {
      log(
        `  ${(s.total_exec_time / payments).toFixed(3).padStart(7)}  x${(s.calls / payments).toFixed(1).padStart(4)}  ${s.toplevel ? 'top ' : '    '} ${String(s.q).slice(0, 150)}`,
      );
    }
  });
}
