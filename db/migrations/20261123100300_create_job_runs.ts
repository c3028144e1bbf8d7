import type { Knex } from 'knex';

// Scheduled jobs claim their period here, so that with several API instances each job runs
// once per region and period. A claim that never finished (a crashed instance) can be taken
// over after a while; the jobs themselves are idempotent, so finishing the work is safe.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table job_runs (
      job text not null check (job ~ '^[a-z-]{2,40}$'),
      region_id uuid not null references regions(id),
      period text not null,
      claimed_by text not null,
      claimed_at timestamptz not null default now(),
      finished_at timestamptz,
      result jsonb,
      error text,
      attempts int not null default 1,
      primary key (region_id, job, period)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists job_runs');
}
