// The console's status board: a period × unit grid of the same states as
// /trangthai, for the person's subtrees, narrowed to one unit's subtree,
// one template or one year. The SQL is the committee's (committee/queries).
import type { Prisma, Tx } from "../db/database.ts";
import { inScope, type CommitteeScope } from "../committee/scope.ts";
import { resolveSlices, stateCounts, unitStates, type Slice, type UnitState } from "../committee/queries.ts";

export interface BoardQuery {
  rootId?: number;
  templateId?: number;
  year?: number;
}

export interface SliceTotals {
  total: number;
  counts: Record<UnitState, number>;
}

export interface BoardRow {
  unitId: number;
  unitCode: string;
  unitName: string;
  parentName: string | null;
  /** One per slice, in the slices' order; null when the unit has no report in that slice. */
  states: (UnitState | null)[];
}

export interface Board {
  slices: Slice[];
  totals: SliceTotals[];
  rows: BoardRow[];
}

export interface BoardFilters {
  /** The subtree roots and their direct children, to narrow the board to. */
  units: { id: number; name: string; depth: number }[];
  templates: { id: number; title: string }[];
  years: number[];
}

/** The board, or null when the unit asked for lies outside the person's scope. */
export async function loadBoard(db: Prisma | Tx, scope: CommitteeScope, q: BoardQuery, now: Date): Promise<Board | null> {
  if (q.rootId !== undefined && !(await inScope(db, scope, q.rootId))) return null;
  const roots = q.rootId === undefined ? scope.unitIds : [q.rootId];
  const slices = await resolveSlices(
    db,
    roots,
    { ...(q.year !== undefined && { period: { kind: "year", year: q.year } }), ...(q.templateId !== undefined && { templateId: q.templateId }) },
    now,
  );
  if (slices.length === 0) return { slices, totals: [], rows: [] };
  // One after the other: the embedded database is one session.
  const counts = await stateCounts(db, roots, slices, now);
  const units = await unitStates(db, roots, slices, now, { onlyOpen: false, perSlice: Number.MAX_SAFE_INTEGER });
  const totals: SliceTotals[] = slices.map(() => ({
    total: 0,
    counts: { submitted_on_time: 0, submitted_late: 0, in_progress: 0, not_started: 0, overdue: 0 },
  }));
  for (const c of counts) {
    const t = totals[c.ord - 1];
    if (!t) continue;
    t.total += c.n;
    t.counts[c.state] += c.n;
  }
  const byUnit = new Map<number, BoardRow>();
  for (const u of units) {
    let row = byUnit.get(u.unitId);
    if (!row) {
      row = { unitId: u.unitId, unitCode: u.unitCode, unitName: u.unitName, parentName: u.parentName, states: slices.map(() => null) };
      byUnit.set(u.unitId, row);
    }
    row.states[u.ord - 1] = u.state;
  }
  const collator = new Intl.Collator("vi");
  const rows = [...byUnit.values()].sort(
    (a, b) => collator.compare(a.parentName ?? "", b.parentName ?? "") || collator.compare(a.unitName, b.unitName) || a.unitId - b.unitId,
  );
  return { slices, totals, rows };
}

export async function boardFilters(db: Prisma | Tx, scope: CommitteeScope): Promise<BoardFilters> {
  const units = await db.unitClosure.findMany({
    where: { ancestorId: { in: scope.unitIds }, depth: { lte: 1 }, descendant: { active: true } },
    select: { depth: true, descendant: { select: { id: true, name: true } } },
  });
  const templates = await db.template.findMany({ where: { active: true }, select: { id: true, title: true }, orderBy: { title: "asc" } });
  const years = await db.period.findMany({ distinct: ["year"], select: { year: true }, orderBy: { year: "desc" } });
  const collator = new Intl.Collator("vi");
  return {
    units: units
      .map((u) => ({ id: u.descendant.id, name: u.descendant.name, depth: u.depth }))
      .sort((a, b) => a.depth - b.depth || collator.compare(a.name, b.name)),
    templates,
    years: years.map((y) => y.year),
  };
}
