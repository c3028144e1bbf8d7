// Demand letters (issue 6): a warning (surat teguran) once an assessment is warning_after_days
// past due, then an STRD (principal + penalty, due date) once the warning's grace has passed and
// the warned days are still unpaid. One letter per trader and market per kind per run; numbers
// are gapless per region, kind and year. Running it again on the same day issues nothing new.
import type { Deps } from '../core/deps';
import type { Db } from '../../db/knex';
import { assertReadMarket, assertReadRegion, canManageRegion, type Principal } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../core/errors';
import { businessDate } from '../core/time';
import { Decimal, formatMoney } from '../core/money';
import { regionOfMarket } from '../master-data/access';
import { findRegionIn } from '../regions/regions.service';
import type { IssueBody, LetterDetail, LetterKind, LetterView, ListLettersQuery } from './letters.schemas';
import * as repo from './letters.repository';

export type { LetterFilter, LetterRow, LetterTotals, MonthRow, StatusRow, WarnedByRow } from './letters.repository';
export type { LetterDetail, LetterStatus, LetterView } from './letters.schemas';

export interface IssueLettersInput {
  regionId: string;
  marketId: string;
  /** The region-local date the letters are issued on and computed as of. */
  asOf: string;
  /** Who asked (a user id, or the job). */
  issuedBy: string | null;
}

export interface IssuedLetter {
  id: string;
  kind: LetterKind;
  number: string;
  seq: number;
  trader: { id: string; name: string };
  principal: string;
  penalty: string;
  total: string;
  dueOn: string;
  items: number;
}

export interface IssueResult {
  regionId: string;
  marketId: string;
  asOf: string;
  issued: { warning: number; strd: number };
  letters: IssuedLetter[];
}

/** Issues every letter due in one market as of a local date, in one transaction. */
export async function issueLetters(deps: Deps, input: IssueLettersInput): Promise<IssueResult> {
  const region = await findRegionIn(deps.knex, input.regionId);
  if (!region) throw notFound('region', { field: 'regionId' });
  // What is unpaid on a later date is not known yet: a letter cannot be dated ahead.
  if (input.asOf > businessDate(deps.clock.now(), region.time_zone)) {
    throw badRequest('as-of-in-future', "asOf is after the region's local today", { field: 'asOf', value: input.asOf });
  }
  await repo.refreshStatistics(deps.knex);
  return deps.knex.transaction((trx) => issueLettersIn(trx, input));
}

/** issueLetters inside the caller's transaction: its letters and numbers commit or roll back with it. */
export async function issueLettersIn(trx: Db, input: IssueLettersInput): Promise<IssueResult> {
  const { regionId, marketId, asOf } = input;
  // Two runs for one market wait for each other; the second then finds everything already
  // issued (each assessment is in at most one letter of a kind: the unique key is the last guard).
  await repo.lockMarketLetters(trx, regionId, marketId);
  const rules = await repo.letterRules(trx, regionId, marketId, asOf);
  if (!rules) throw notFound('market', { field: 'marketId', value: marketId });
  const current = !(await repo.entriesAfter(trx, regionId, asOf));
  const args = {
    regionId,
    marketId,
    asOf,
    regionCode: rules.regionCode,
    issuedBy: input.issuedBy,
    current,
    cutoff: rules.warningCutoff,
  };
  // Always STRD before warning: concurrent runs take the two counters in the same order.
  const strd = await repo.issueKind(trx, 'strd', { ...args, dueOn: rules.strdDueOn });
  const warning = await repo.issueKind(trx, 'warning', { ...args, dueOn: rules.warningDueOn });
  const view =
    (kind: LetterKind, dueOn: string) =>
    (r: repo.IssuedRow): IssuedLetter => ({
      id: r.id,
      kind,
      number: r.number,
      seq: Number(r.seq),
      trader: { id: r.trader_id, name: r.trader_name },
      principal: formatMoney(r.principal),
      penalty: formatMoney(r.penalty),
      total: formatMoney(new Decimal(r.principal).plus(r.penalty)),
      dueOn,
      items: Number(r.items),
    });
  return {
    regionId,
    marketId,
    asOf,
    issued: { warning: warning.length, strd: strd.length },
    letters: [...strd.map(view('strd', rules.strdDueOn)), ...warning.map(view('warning', rules.warningDueOn))],
  };
}

function toView(r: repo.LetterRow): LetterView {
  return {
    id: r.id,
    regionId: r.region_id,
    kind: r.kind,
    number: r.number,
    year: Number(r.year),
    seq: Number(r.seq),
    market: { id: r.market_id, code: r.market_code, name: r.market_name },
    trader: { id: r.trader_id, name: r.trader_name, address: r.trader_address },
    issuedOn: r.issued_on,
    issuedAt: new Date(r.issued_at).toISOString(),
    dueOn: r.due_on,
    principal: formatMoney(r.principal),
    penalty: formatMoney(r.penalty),
    total: formatMoney(r.total),
    status: r.status,
    paid: formatMoney(r.paid),
    outstanding: formatMoney(r.outstanding),
    follows: r.follows_letter_id
      ? { id: r.follows_letter_id, number: r.follows_number ?? '', issuedOn: r.follows_issued_on ?? '' }
      : null,
    issuedBy: r.issued_by,
    items: Number(r.items),
    stalls: r.stalls ?? [],
  };
}

export async function listLetters(deps: Deps, filter: repo.LetterFilter): Promise<LetterView[]> {
  return (await repo.findLetters(deps.knex, filter)).map(toView);
}

/** A letter with every stall-day it demands; undefined when no letter has this id. */
export async function letterDetail(deps: Deps, letterId: string): Promise<LetterDetail | undefined> {
  const where = await repo.letterRegion(deps.knex, letterId);
  if (!where) return undefined;
  const [row] = await repo.findLetters(deps.knex, { regionId: where.region_id, letterId });
  const items = await repo.letterItems(deps.knex, where.region_id, letterId);
  return {
    ...toView(row),
    lines: items.map((i) => ({
      assessmentId: i.assessment_id,
      stallId: i.stall_id,
      stallCode: i.stall_code,
      businessDate: i.business_date,
      principal: formatMoney(i.principal),
      penalty: formatMoney(i.penalty),
      paid: formatMoney(new Decimal(i.principal).plus(i.penalty).minus(i.outstanding)),
      outstanding: formatMoney(i.outstanding),
    })),
  };
}

/** Letters go out for a market: its manager, an officer of its region, or the admin. */
export function mayIssueLetters(p: Principal, regionId: string, marketId: string): boolean {
  const ownMarket = p.role === 'manager' && p.regionId === regionId && p.marketId === marketId;
  return ownMarket || canManageRegion(p, regionId);
}

/** POST /markets/:marketId/letters: every letter due in the market as of asOf (default: the
 * region's local today), for a caller who may issue them there. */
export async function issueMarketLetters(
  deps: Deps,
  p: Principal,
  marketId: string,
  body: IssueBody,
): Promise<IssueResult> {
  const market = await repo.findMarket(deps.knex, marketId);
  if (!market) throw notFound('market', { field: 'marketId' });
  if (!mayIssueLetters(p, market.region_id, market.id)) throw forbidden('this market is outside your scope');
  const asOf = body.asOf ?? businessDate(deps.clock.now(), market.time_zone);
  return issueLetters(deps, { regionId: market.region_id, marketId, asOf, issuedBy: p.sub });
}

/** GET /letters: a market's letters (a manager's own, named or not) or a region's. */
export async function lettersFor(deps: Deps, p: Principal, q: ListLettersQuery): Promise<LetterView[]> {
  const marketId = q.marketId ?? (p.role === 'manager' ? p.marketId : undefined);
  let regionId = q.regionId;
  if (marketId) {
    // The market says which region it is in: scope is checked against that, never the caller's.
    regionId = await regionOfMarket(deps, marketId, regionId);
    assertReadMarket(p, regionId, marketId);
  } else {
    regionId ??= p.regionId;
    if (!regionId) throw badRequest('region-required', 'regionId is required', { field: 'regionId' });
    assertReadRegion(p, regionId);
  }
  return listLetters(deps, { ...q, regionId, marketId });
}

/** GET /letters/:letterId: the letter, for a caller who may read its market. */
export async function letterFor(deps: Deps, p: Principal, letterId: string): Promise<LetterDetail> {
  const letter = await letterDetail(deps, letterId);
  if (!letter) throw notFound('letter', { field: 'letterId' });
  assertReadMarket(p, letter.regionId, letter.market.id);
  return letter;
}

// ---- what the STRD and warning-letter documents read (reports/kinds/letters.ts) ----

export const regionMarket = (deps: Deps, regionId: string, marketId: string) =>
  repo.regionMarket(deps.knex, regionId, marketId);

export const letterTotals = (deps: Deps, regionId: string, marketId: string, kind: LetterKind, issuedOn: string) =>
  repo.letterTotals(deps.knex, regionId, marketId, kind, issuedOn);

/** The letter rows themselves (not their API view): a document prints every column. */
export const letterRows = (deps: Deps, f: repo.LetterFilter) => repo.findLetters(deps.knex, f);

export const letterMonths = (deps: Deps, regionId: string, letterIds: string[]) =>
  repo.letterMonths(deps.knex, regionId, letterIds);

export const warningsOf = (deps: Deps, regionId: string, strdIds: string[]) =>
  repo.warningsOf(deps.knex, regionId, strdIds);

/** The status of letters a page lists from its own query (a stall's letters), by id. */
export async function letterStatuses(
  deps: Deps,
  regionId: string,
  letterIds: string[],
): Promise<Map<string, repo.StatusRow>> {
  const rows = await repo.letterStatuses(deps.knex, regionId, letterIds);
  return new Map(rows.map((r) => [r.id, r]));
}
