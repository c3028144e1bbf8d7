// The feed's reads. Each takes the regions it may show with each region's business date of
// today (they differ across WIB, WITA and WIT), so one round trip covers every region.
import type { Db } from '../../db/knex';
import type { PaymentChannel, PaymentEvent } from './feed.schemas';

export interface RegionRow {
  id: string;
  code: string;
  name: string;
  time_zone: string;
}

export interface RegionToday {
  regionId: string;
  today: string;
}

export async function listRegions(db: Db, regionId?: string): Promise<RegionRow[]> {
  const q = db('regions').select('id', 'code', 'name', 'time_zone').orderBy('code');
  if (regionId) q.where({ id: regionId });
  return q;
}

// The regions and their today, as a relation to join against.
const TODAY = `d(region_id, today) as (select * from unnest(cast(:regions as uuid[]), cast(:days as date[])))`;
const bind = (days: RegionToday[]) => ({ regions: days.map((d) => d.regionId), days: days.map((d) => d.today) });

export interface MarketAssessmentRow {
  region_id: string;
  id: string;
  code: string;
  name: string;
  stalls: string;
  amount: string;
  paid: string;
  partly: string;
}

/** Every active market with today's assessments: count, sum, fully and partly paid. */
export async function marketAssessments(db: Db, days: RegionToday[]): Promise<MarketAssessmentRow[]> {
  const { rows } = await db.raw(
    `with ${TODAY}
     select m.region_id, m.id, m.code, m.name,
            count(a.id) as stalls, coalesce(sum(a.amount), 0)::text as amount,
            count(a.id) filter (where a.open_amount = 0) as paid,
            count(a.id) filter (where a.open_amount > 0 and a.open_amount < a.amount) as partly
       from d
       join markets m on m.region_id = d.region_id and m.active
       left join assessments a on a.region_id = m.region_id and a.market_id = m.id and a.business_date = d.today
      group by m.region_id, m.id, m.code, m.name
      order by m.code`,
    bind(days),
  );
  return rows;
}

export interface ChannelRow {
  region_id: string;
  market_id: string;
  channel: PaymentChannel;
  count: string;
  amount: string;
}

/** Today's payments per market and channel; a voided payment was never collected. */
export async function collectedByChannel(db: Db, days: RegionToday[]): Promise<ChannelRow[]> {
  const { rows } = await db.raw(
    `with ${TODAY}
     select p.region_id, p.market_id, p.channel, count(*) as count, sum(p.amount)::text as amount
       from d
       join markets m on m.region_id = d.region_id
       join payments p on p.region_id = m.region_id and p.market_id = m.id and p.business_date = d.today
      where not exists (select 1 from payment_voids v where v.region_id = p.region_id and v.payment_id = p.id)
      group by 1, 2, 3`,
    bind(days),
  );
  return rows;
}

export interface RunRow {
  region_id: string;
  business_date: string;
  /** the summary's own status: closed, awaiting or open */
  status: string;
}

/** The reconciliation runs of the `back` days before each region's today. */
export async function recentRuns(db: Db, days: RegionToday[], back: number): Promise<RunRow[]> {
  const { rows } = await db.raw(
    `with ${TODAY}
     select r.region_id, r.business_date::text as business_date, r.summary->>'status' as status
       from d
       join reconciliation_runs r on r.region_id = d.region_id
        and r.business_date between d.today - cast(:back as int) and d.today - 1`,
    { ...bind(days), back },
  );
  return rows;
}

export interface PaymentNotice {
  region_id: string;
  id: string;
}

/** The display fields of announced payments, in the order given; never a trader or a card. */
export async function paymentEvents(db: Db, notices: PaymentNotice[]): Promise<PaymentEvent[]> {
  const { rows } = await db.raw(
    `select p.id, p.region_id, r.code as region_code, p.market_id, m.code as market_code, m.name as market_name,
            s.code as stall_code, p.amount::text as amount, p.channel, p.business_date::text as business_date,
            p.paid_at, p.recorded_at
       from unnest(cast(:regions as uuid[]), cast(:ids as uuid[])) with ordinality as n(region_id, id, ord)
       join payments p on p.region_id = n.region_id and p.id = n.id
       join regions r on r.id = p.region_id
       join markets m on m.region_id = p.region_id and m.id = p.market_id
       join stalls s on s.region_id = p.region_id and s.id = p.stall_id
      order by n.ord`,
    { regions: notices.map((n) => n.region_id), ids: notices.map((n) => n.id) },
  );
  return rows.map(
    (r: Record<string, string & Date>): PaymentEvent => ({
      paymentId: r.id,
      regionId: r.region_id,
      regionCode: r.region_code,
      marketId: r.market_id,
      marketCode: r.market_code,
      marketName: r.market_name,
      stallCode: r.stall_code,
      amount: r.amount,
      channel: r.channel as PaymentChannel,
      businessDate: r.business_date,
      paidAt: new Date(r.paid_at).toISOString(),
      recordedAt: new Date(r.recorded_at).toISOString(),
    }),
  );
}

/** The latest payments of each region's today (voided ones left out), newest first, in the
 * stream's own shape: what a screen opened now shows before the stream brings more. */
export async function latestPayments(db: Db, days: RegionToday[], limit: number): Promise<PaymentEvent[]> {
  const { rows } = await db.raw(
    `with ${TODAY}
     select p.region_id, p.id
       from d
       join payments p on p.region_id = d.region_id and p.business_date = d.today
      where not exists (select 1 from payment_voids v where v.region_id = p.region_id and v.payment_id = p.id)
      order by p.recorded_at desc, p.id desc
      limit cast(:limit as int)`,
    { ...bind(days), limit },
  );
  return rows.length ? paymentEvents(db, rows) : [];
}

/**
 * One relay step, run by each instance that has viewers, every RELAY_MS, as one round trip:
 * renew the watch lease, take up to 1000 announcements no other instance is taking, and NOTIFY
 * them in order. synchronous_commit off: only this transaction notifies, and it need not wait
 * for its (tiny) WAL to reach disk. The lease outlives the last viewer by 10 s; what was announced
 * then and not relayed within 15 s is dropped unheard rather than shown late as news.
 */
export const RELAY_SQL = `
  begin;
  set local synchronous_commit = off;
  insert into feed_watch (id, until) values (true, now() + interval '10 seconds')
    on conflict (id) do update set until = greatest(feed_watch.until, excluded.until);
  with gone as (
    delete from payment_announcements
     where seq in (select seq from payment_announcements order by seq limit 1000 for update skip locked)
    returning seq, region_id, payment_id, announced_at)
  select pg_notify('payments', json_build_object('region_id', region_id, 'id', payment_id)::text)
    from (select * from gone where announced_at > now() - interval '15 seconds' order by seq) g;
  commit;`;
