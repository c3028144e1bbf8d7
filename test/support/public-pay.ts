// A stall whose trader pays from the sticker's public page (issue 16): Rp 3.000 a day, assessed on
// 10 September, 20 October and today (Wednesday 18 November 2026, 10.00 WIB, the clock fixed),
// sanksi bunga 1% a month charged as of today (three months on 10 September's fee, one on 20
// October's), a QRIS acquirer that signs its notifications, and a card terminal for the same
// market. A second stall in the same market is there to be refused.
import request from 'supertest';
import type { Knex } from 'knex';
import { assessDay } from '../../api/assessments/assessment.service';
import { runPenalties } from '../../api/arrears/penalties.service';
import type { Config } from '../../api/core/config';
import { fixedClock, testApp, tokenFor } from './app';
import * as make from './make';
import { notify, paidBody, QRIS_SECRET } from './qris';
import { cardScenario } from './scenario';

export const NOW = '2026-11-18T03:00:00Z';
export const TODAY = '2026-11-18';
export const DAYS = ['2026-09-10', '2026-10-20', TODAY];

export type PublicPayWorld = Awaited<ReturnType<typeof publicPayWorld>>;

export async function publicPayWorld(
  knex: Knex,
  o: { config?: Partial<Config>; allocationOrder?: 'oldest-month' | 'penalty-first' } = {},
) {
  const s = await cardScenario(knex, { areaM2: '6', rate: '500' });
  if (o.allocationOrder)
    await knex('regions').where({ id: s.region.id }).update({ allocation_order: o.allocationOrder });
  const qris = await make.acquirer(knex, s.region.id, { channel: 'qris', mdrRate: '0', secret: QRIS_SECRET });
  await make.penaltyRule(knex, s.region.id, { legalBasis: 'Perda uji 2024' });
  const other = await make.stall(knex, s.region.id, s.market.id, { areaM2: '6' });
  await make.tenancy(knex, s.region.id, other.id, (await make.trader(knex, s.region.id)).id);
  const clock = fixedClock(NOW);
  const { app, deps } = testApp(knex, { clock, config: o.config ?? {} });
  for (const day of DAYS) await assessDay(deps, s.region.code, day);
  await runPenalties(deps, s.region.id, TODAY);
  const publicCode = async (stallId: string) =>
    (await knex('stalls').where({ id: stallId }).first('public_code')).public_code as string;
  const code = await publicCode(s.stall.id);
  const otherCode = await publicCode(other.id);
  const terminalToken = tokenFor(
    {
      role: 'terminal',
      sub: s.terminal.id,
      terminalId: s.terminal.id,
      regionId: s.region.id,
      marketId: s.market.id,
    },
    clock.now().getTime(),
  );

  /** Asks for a code as the page's script does (JSON), from an address when given. */
  const askCode = (bagian: string, o: { code?: string; from?: string; body?: object } = {}) => {
    const r = request(app)
      .post(`/los/${o.code ?? code}/qris`)
      .set('accept', 'application/json')
      .send(o.body ?? { bagian });
    return o.from ? r.set('x-forwarded-for', o.from) : r;
  };
  /** The bank's signed notification that the code was paid now (by the fixed clock). */
  const bankPays = (reference: string, amount: string, o: { rrn?: string } = {}) =>
    notify(app, qris.code, paidBody(reference, amount, { paidAt: clock.now().toISOString(), rrn: o.rrn }), {
      timestamp: String(Math.floor(clock.now().getTime() / 1000)),
    });
  const intentRow = (intentId: string) => knex('qris_intents').where({ region_id: s.region.id, id: intentId }).first();
  const intentCount = async (where: Record<string, unknown> = {}) =>
    Number(
      (
        await knex('qris_intents')
          .where({ region_id: s.region.id, ...where })
          .count('* as n')
          .first()
      )?.n,
    );
  return {
    ...s,
    terminalToken,
    qris,
    other,
    code,
    otherCode,
    clock,
    app,
    deps,
    askCode,
    bankPays,
    intentRow,
    intentCount,
  };
}
