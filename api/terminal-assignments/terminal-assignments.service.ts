// Which collector carried which terminal from when to when: the Laporan Penerimaan Harian per
// Petugas credits each payment to the collector holding its terminal that day, so the collector
// answers for that money at the deposit (setoran). The database refuses two collectors on one
// terminal at once; an assignment is ended (effective_to set once), never rewritten.
import type { Deps } from '../core/deps';
import type { Principal } from '../auth/principal';
import { conflict, notFound } from '../core/errors';
import { assertManageRegion, assertReadMarket } from '../master-data/access';
import { fieldError, guarded } from '../core/db-errors';
import { findTerminalIn, type TerminalRow } from '../terminals/terminals.service';
import { findUserIn } from '../users/users.service';
import type { CreateAssignment, EndAssignment, TerminalAssignment } from './terminal-assignments.schemas';
import * as repo from './terminal-assignments.repository';

const constraints = {
  terminal_assignments_one_collector: () =>
    fieldError(
      409,
      'assignment-overlap',
      'effectiveFrom',
      'the terminal is already assigned to a collector during this period; end that assignment first',
    ),
  terminal_assignments_check: () =>
    fieldError(422, 'invalid-period', 'effectiveTo', 'effectiveTo must not be before effectiveFrom'),
};

async function loadTerminal(deps: Deps, terminalId: string): Promise<TerminalRow> {
  const t = await findTerminalIn(deps.knex, terminalId);
  if (!t) throw notFound('terminal');
  return t;
}

/** A terminal is carried by a collector of its own market: anyone else could not be asked for
 * its money. A deactivated account may still be recorded for a period that has ended (history
 * entered late), never open-ended. */
async function checkCollector(deps: Deps, t: TerminalRow, input: CreateAssignment): Promise<void> {
  const u = await findUserIn(deps.knex, input.collectorId);
  const refuse = (code: string, message: string) => fieldError(422, code, 'collectorId', message);
  if (!u) throw refuse('unknown-collector', 'no user with this id');
  if (u.role !== 'collector') throw refuse('not-a-collector', `this user is a ${u.role}, not a collector`);
  if (u.region_id !== t.region_id || u.market_id !== t.market_id) {
    throw refuse('collector-outside-market', "the collector works in another market than the terminal's");
  }
  if (!u.active && !input.effectiveTo)
    throw refuse('collector-inactive', 'this collector account is deactivated; give an effectiveTo for a past period');
}

export async function createAssignment(
  deps: Deps,
  p: Principal,
  terminalId: string,
  input: CreateAssignment,
): Promise<TerminalAssignment> {
  const t = await loadTerminal(deps, terminalId);
  assertManageRegion(p, t.region_id);
  await checkCollector(deps, t, input);
  const row = await guarded(
    () => repo.insertAssignment(deps.knex, { regionId: t.region_id, terminalId: t.id, ...input }),
    constraints,
  );
  return repo.fromRow(row);
}

export async function listAssignments(deps: Deps, p: Principal, terminalId: string): Promise<TerminalAssignment[]> {
  const t = await loadTerminal(deps, terminalId);
  assertReadMarket(p, t.region_id, t.market_id);
  return (await repo.listForTerminal(deps.knex, t.region_id, t.id)).map(repo.fromRow);
}

/** Ends an open assignment on its last day. The row is locked so two officers cannot both end it. */
export async function endAssignment(
  deps: Deps,
  p: Principal,
  assignmentId: string,
  input: EndAssignment,
): Promise<TerminalAssignment> {
  const found = await repo.findAssignment(deps.knex, assignmentId);
  if (!found) throw notFound('terminal assignment');
  assertManageRegion(p, found.region_id);
  await deps.knex.transaction(async (trx) => {
    const a = (await repo.lockAssignment(trx, found.region_id, assignmentId))!;
    if (a.effective_to !== null) {
      throw conflict('assignment-already-ended', `this assignment already ends on ${a.effective_to}`, [
        { field: 'effectiveTo', message: 'already set' },
      ]);
    }
    if (input.effectiveTo < a.effective_from) {
      throw fieldError(
        422,
        'invalid-period',
        'effectiveTo',
        `must not be before the assignment's start ${a.effective_from}`,
      );
    }
    await repo.setEnd(trx, found.region_id, assignmentId, input.effectiveTo);
  });
  return repo.fromRow((await repo.findAssignment(deps.knex, assignmentId))!);
}
