// Finding the unit a person means: its code, or a fragment of its name typed
// without diacritics, looked for inside their subtree first.
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
  | { kind: "none" }
  /** It exists, but outside the person's subtrees. */
  | { kind: "outside" }
  | { kind: "many"; units: UnitRef[] };

interface UnitRow extends UnitRef {
  shortName: string | null;
}

export async function findUnit(tx: Tx, scope: CommitteeScope, query: string): Promise<UnitLookup> {
  const q = fold(query);
  if (q === "") return { kind: "none" };
  const byCode = await tx.unit.findFirst({
    where: { code: { equals: q, mode: "insensitive" }, active: true },
    select: { id: true, code: true, name: true },
  });
  if (byCode) {
    const inside = await tx.unitClosure.count({ where: { descendantId: byCode.id, ancestorId: { in: scope.unitIds } } });
    return inside > 0 ? { kind: "found", unit: byCode } : { kind: "outside" };
  }
  const inside = await tx.$queryRaw<UnitRow[]>(P.sql`
    SELECT u.id, u.code, u.name, u."shortName"
    FROM "UnitClosure" c JOIN "Unit" u ON u.id = c."descendantId"
    WHERE c."ancestorId" = ANY(${scope.unitIds}::int[]) AND u.active
    ORDER BY u.name, u.id`);
  const found = match(inside, q);
  if (found.length === 1) return { kind: "found", unit: found[0]! };
  if (found.length > 1) return { kind: "many", units: found };
  const all = await tx.unit.findMany({ where: { active: true }, select: { id: true, code: true, name: true, shortName: true } });
  return match(all, q).length > 0 ? { kind: "outside" } : { kind: "none" };
}

function match(units: readonly UnitRow[], q: string): UnitRef[] {
  const names = (u: UnitRow) => [fold(u.name), ...(u.shortName === null ? [] : [fold(u.shortName)])];
  // A name typed in full wins over longer names that contain it.
  const exact = units.filter((u) => names(u).includes(q));
  const hits = exact.length > 0 ? exact : units.filter((u) => names(u).some((n) => n.includes(q)));
  return hits.map(({ id, code, name }) => ({ id, code, name }));
}
