// The public stall page a trader (or anyone) opens by scanning the sticker on the stall: what the
// stall's current occupant owes today and from earlier days, and the last payments. It names
// nobody: no trader name, NIK, phone, card number or receipt link (a receipt names its trader).
// Found by the sticker's random code, never by the stall's id or code.
import { Router } from 'express';
import type { Deps } from '../core/deps';
import { Decimal } from '../core/money';
import { businessDate } from '../core/time';
import { occupant, openAssessments, stallCredit } from '../collection/collection.repository';
import { waktuLokal } from '../../reports/format';
import { channelLabel, html, type Html, rupiah, tanggal } from './html';
import { plainPage } from './layout';
import * as repo from './pages.repository';
import { publicCodeParams } from './pages.schemas';
import { errorPage } from './page-errors';

export interface PublicStall {
  code: string;
  market: string;
  region: string;
  asOfLabel: string;
  today: string;
  occupied: boolean;
  todayDue: { amount: string; open: string } | null;
  arrears: { principal: string; days: number; penalty: string };
  total: string;
  credit: string;
  payments: { at: string; amount: string; channel: string; voided: boolean }[];
}

export async function publicStall(deps: Deps, publicCode: string): Promise<PublicStall | undefined> {
  const stall = await repo.stallByPublicCode(deps.knex, publicCode);
  if (!stall) return undefined;
  const where = await deps
    .knex('markets as m')
    .join('regions as r', 'r.id', 'm.region_id')
    .where('m.id', stall.market_id)
    .first('m.name as market', 'r.name as region', 'r.time_zone');
  const now = deps.clock.now();
  const today = businessDate(now, where.time_zone);
  const base = {
    code: stall.code,
    market: where.market,
    region: where.region,
    asOfLabel: waktuLokal(now, where.time_zone),
    today,
  };
  const who = await occupant(deps.knex, stall.region_id, stall.id, today);
  if (!who) {
    return {
      ...base,
      occupied: false,
      todayDue: null,
      arrears: { principal: '0.00', days: 0, penalty: '0.00' },
      total: '0.00',
      credit: '0.00',
      payments: [],
    };
  }
  // What the current occupant owes on this stall: a previous occupant's debts stay theirs.
  const [open, credit, penalty, payments] = await Promise.all([
    openAssessments(deps.knex, stall.region_id, stall.id, who.trader_id),
    stallCredit(deps.knex, stall.region_id, stall.id, who.trader_id),
    repo.penaltyCharged(deps.knex, stall.region_id, stall.id, who.trader_id, today),
    repo.stallPayments(deps.knex, stall.region_id, stall.id, 5, who.trader_id),
  ]);
  const todayRow = open.find((a: { business_date: string }) => a.business_date === today);
  const todayAssessment =
    todayRow ??
    (await deps
      .knex('assessments')
      .where({ region_id: stall.region_id, stall_id: stall.id, business_date: today })
      .first('amount', 'open_amount'));
  const earlier = open.filter((a: { business_date: string }) => a.business_date < today);
  const principal = earlier.reduce(
    (acc: Decimal, a: { open_amount: string }) => acc.plus(a.open_amount),
    new Decimal(0),
  );
  const todayOpen = new Decimal(todayRow?.open_amount ?? 0);
  return {
    ...base,
    occupied: true,
    todayDue: todayAssessment
      ? { amount: new Decimal(todayAssessment.amount).toFixed(2), open: todayOpen.toFixed(2) }
      : null,
    arrears: { principal: principal.toFixed(2), days: earlier.length, penalty: new Decimal(penalty).toFixed(2) },
    total: principal.plus(penalty).plus(todayOpen).toFixed(2),
    credit: new Decimal(credit).toFixed(2),
    payments: payments.map((p) => ({
      at: waktuLokal(new Date(p.paid_at), where.time_zone),
      amount: p.amount,
      channel: p.channel,
      voided: p.voided,
    })),
  };
}

export function publicStallPage(v: PublicStall): string {
  const owes = new Decimal(v.total).gt(0);
  const today: Html = !v.todayDue
    ? html`<span class="muted">tidak ada tagihan hari ini</span>`
    : new Decimal(v.todayDue.open).isZero()
      ? html`${rupiah(v.todayDue.amount)} <span class="badge b-ok">lunas</span>`
      : html`${rupiah(v.todayDue.open)} <span class="badge b-bad">belum dibayar</span>`;
  return plainPage(
    `Los ${v.code}`,
    html`<h1>Los ${v.code}</h1><p class="sub">${v.market} · ${v.region}</p>
${
  !v.occupied
    ? html`<p class="note info">Tempat usaha ini sedang tidak ditempati; tidak ada tagihan.</p>`
    : html`
<p class="note ${owes ? 'bad' : 'ok'}" id="owed">${owes ? html`Yang harus dibayar: <strong>${rupiah(v.total)}</strong>` : html`✔ Tidak ada tagihan terutang.`}</p>
<dl class="kv"><dt>Tagihan hari ini (${tanggal(v.today)})</dt><dd>${today}</dd>
<dt>Tunggakan hari sebelumnya</dt><dd>${rupiah(v.arrears.principal)}${v.arrears.days ? html` <span class="muted">(${v.arrears.days} hari)</span>` : ''}</dd>
${new Decimal(v.arrears.penalty).gt(0) ? html`<dt>Sanksi bunga (denda)</dt><dd>${rupiah(v.arrears.penalty)}</dd>` : ''}
${new Decimal(v.credit).gt(0) ? html`<dt>Titipan (lebih bayar)</dt><dd>${rupiah(v.credit)}</dd>` : ''}</dl>
<h2>Pembayaran terakhir</h2>
${
  v.payments.length === 0
    ? html`<p class="muted">Belum ada pembayaran.</p>`
    : html`<div class="scroll"><table><thead><tr><th scope="col">Waktu</th><th scope="col">Cara bayar</th><th scope="col" class="num">Jumlah</th></tr></thead><tbody>
${v.payments.map((p) => html`<tr><td>${p.at}</td><td>${channelLabel(p.channel)}${p.voided ? html` <span class="badge b-bad">dibatalkan</span>` : ''}</td><td class="num">${rupiah(p.amount)}</td></tr>`)}
</tbody></table></div>`
}`
}
<p class="muted">Per ${v.asOfLabel}. Bayar kepada petugas pasar dengan kartu debit atau QRIS; setiap pembayaran mendapat e-karcis yang dapat diperiksa keasliannya.</p>`,
  );
}

export function publicStallRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/los/:publicCode', async (req, res) => {
    const parsed = publicCodeParams.safeParse(req.params);
    const v = parsed.success ? await publicStall(deps, parsed.data.publicCode) : undefined;
    // What is owed changes with every payment: never from a cache; and not for search engines.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    if (!v) return void res.status(404).type('html').send(errorPage(404, 'Kode los pada stiker ini tidak dikenal.'));
    res.type('html').send(publicStallPage(v));
  });
  return r;
}
