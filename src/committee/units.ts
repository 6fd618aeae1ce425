// Finding the unit a person means: its code, or a fragment of its name typed
// without diacritics, looked for inside their subtrees only. Matching happens
// here, not in SQL, so "%" or "_" typed by a person are plain characters.
import type { Tx } from "../db/database.ts";
import { Prisma as P } from "../db/generated/client.ts";
import { fold } from "../forms/answers.ts";
import type { CommitteeScope } from "./scope.ts";

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export type UnitLookup =
  | { kind: "found"; unit: UnitRef }
  /**
   * Nothing inside the person's subtrees. `elsewhere` says whether the query
   * names a unit outside them; it is for the audit log only, never for the
   * person, who must not learn what lies outside their scope.
   */
  | { kind: "none"; elsewhere: boolean }
  | { kind: "many"; units: UnitRef[] };

interface UnitRow extends UnitRef {
  shortName: string | null;
}

export async function findUnit(tx: Tx, scope: CommitteeScope, query: string): Promise<UnitLookup> {
  const q = fold(query);
  if (q === "") return { kind: "none", elsewhere: false };
  const inside = await tx.$queryRaw<UnitRow[]>(P.sql`
    SELECT u.id, u.code, u.name, u."shortName"
    FROM "UnitClosure" c JOIN "Unit" u ON u.id = c."descendantId"
    WHERE c."ancestorId" = ANY(${scope.unitIds}::int[]) AND u.active
    ORDER BY u.name, u.id`);
  const found = match(inside, q);
  if (found.length === 1) return { kind: "found", unit: found[0]! };
  if (found.length > 1) return { kind: "many", units: found };
  // Asked whether or not the unit exists, so both answers take the same work.
  const all = await tx.unit.findMany({ where: { active: true }, select: { id: true, code: true, name: true, shortName: true } });
  return { kind: "none", elsewhere: match(all, q).length > 0 };
}

function match(units: readonly UnitRow[], q: string): UnitRef[] {
  const byCode = units.filter((u) => fold(u.code) === q);
  if (byCode.length > 0) return byCode.map(ref);
  const names = (u: UnitRow) => [fold(u.name), ...(u.shortName === null ? [] : [fold(u.shortName)])];
  // A name typed in full wins over longer names that contain it.
  const exact = units.filter((u) => names(u).includes(q));
  const hits = exact.length > 0 ? exact : units.filter((u) => names(u).some((n) => n.includes(q)));
  return hits.map(ref);
}

const ref = ({ id, code, name }: UnitRow): UnitRef => ({ id, code, name });
