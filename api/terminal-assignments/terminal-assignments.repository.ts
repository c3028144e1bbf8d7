import type { Db } from '../../db/knex';
import type { TerminalAssignment } from './terminal-assignments.schemas';

export interface AssignmentRow {
  region_id: string;
  id: string;
  terminal_id: string;
  collector_id: string;
  effective_from: string;
  effective_to: string | null;
  created_at: Date;
  collector_name: string;
  collector_username: string;
}

export function fromRow(r: AssignmentRow): TerminalAssignment {
  return {
    id: r.id,
    regionId: r.region_id,
    terminalId: r.terminal_id,
    collectorId: r.collector_id,
    collectorName: r.collector_name,
    collectorUsername: r.collector_username,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    createdAt: r.created_at.toISOString(),
  };
}

/** An assignment with the collector's names, as every response shows it. */
const withCollector = (db: Db) =>
  db('terminal_assignments as a')
    .join('users as u', 'u.id', 'a.collector_id')
    .select('a.*', 'u.display_name as collector_name', 'u.username as collector_username');

export async function insertAssignment(
  db: Db,
  a: { regionId: string; terminalId: string; collectorId: string; effectiveFrom: string; effectiveTo?: string | null },
): Promise<AssignmentRow> {
  const [row] = await db('terminal_assignments')
    .insert({
      region_id: a.regionId,
      terminal_id: a.terminalId,
      collector_id: a.collectorId,
      effective_from: a.effectiveFrom,
      effective_to: a.effectiveTo ?? null,
    })
    .returning('id');
  return (await findAssignment(db, row.id))!;
}

export async function findAssignment(db: Db, id: string): Promise<AssignmentRow | undefined> {
  return withCollector(db).where('a.id', id).first();
}

/** The bare row, locked: ending an assignment checks it is still open, then sets its end. */
export async function lockAssignment(
  db: Db,
  regionId: string,
  id: string,
): Promise<{ effective_from: string; effective_to: string | null } | undefined> {
  return db('terminal_assignments')
    .where({ region_id: regionId, id })
    .forUpdate()
    .first('effective_from', 'effective_to');
}

export async function setEnd(db: Db, regionId: string, id: string, effectiveTo: string): Promise<void> {
  await db('terminal_assignments').where({ region_id: regionId, id }).update({ effective_to: effectiveTo });
}

export async function listForTerminal(db: Db, regionId: string, terminalId: string): Promise<AssignmentRow[]> {
  return withCollector(db)
    .where({ 'a.region_id': regionId, 'a.terminal_id': terminalId })
    .orderBy('a.effective_from', 'desc');
}
