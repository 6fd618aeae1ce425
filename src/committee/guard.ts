// Every committee command runs through here: the caller's committee scope is
// checked in the domain, each use leaves one audit row (command and
// arguments only), and refusals are polite Vietnamese replies.
import type { OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import { vi } from "../texts/vi.ts";
import type { CommitteeCommand, CommitteeRequest } from "./registry.ts";
import { auditUse, committeeScope, type CommitteeScope } from "./scope.ts";
import { findUnit, type UnitRef } from "./units.ts";

export interface CommandContext {
  tx: Tx;
  person: CommitteeRequest["person"];
  args: string;
  now: Date;
  scope: CommitteeScope;
  /** The message that asked (its chat: private or group). */
  message?: CommitteeRequest["message"];
}

/** A refusal or a dead end the person is told about; `reason` goes to the audit log. */
export class Refusal extends Error {
  constructor(
    readonly reply: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "Refusal";
  }
}

export function committeeCommand(
  names: readonly [string, ...string[]],
  run: (ctx: CommandContext) => Promise<OutboundMessage[]>,
): CommitteeCommand {
  const command = names[0];
  return {
    names,
    async run(req) {
      const { tx, person, args, now, message } = req;
      const scope = await committeeScope(tx, person.id);
      if (!scope) {
        await auditUse(tx, { personId: person.id, command, args, now, refused: "no-role" });
        return [{ text: vi.committee.refused }];
      }
      try {
        const replies = await run({ tx, person, args, now, scope, message });
        await auditUse(tx, { personId: person.id, command, args, now });
        return replies;
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        await auditUse(tx, { personId: person.id, command, args, now, refused: err.reason });
        return [{ text: err.reply }];
      }
    },
  };
}

/** The unit a person typed, inside their scope; a Refusal otherwise. */
export async function requireUnit(ctx: CommandContext, query: string): Promise<UnitRef> {
  const found = await findUnit(ctx.tx, ctx.scope, query);
  switch (found.kind) {
    case "found":
      return found.unit;
    case "none":
      // A unit outside the scope reads exactly like one that does not exist;
      // only the audit log, which the office reads, tells them apart.
      throw new Refusal(vi.committee.unitNotFound(query), found.elsewhere ? "outside-scope" : "unit-not-found");
    case "many": {
      const shown = found.units.slice(0, 10);
      throw new Refusal(
        vi.committee.unitMany(query, shown.map((u) => vi.committee.unitLine(u.name, u.code)), found.units.length - shown.length),
        "unit-ambiguous",
      );
    }
  }
}

/** Words that name a template by its code; the rest are left. */
export async function takeTemplate(tx: Tx, words: string[]): Promise<{ templateId?: number; rest: string[] }> {
  if (words.length === 0) return { rest: words };
  const templates = await tx.template.findMany({ select: { id: true, code: true } });
  const byCode = new Map(templates.map((t) => [t.code.toLowerCase(), t.id]));
  const i = words.findIndex((w) => byCode.has(w));
  if (i < 0) return { rest: words };
  return { templateId: byCode.get(words[i]!)!, rest: words.filter((_, j) => j !== i) };
}

/** The subtree roots after narrowing to a typed unit (if any), and a name for the headers. */
export async function narrowRoots(ctx: CommandContext, words: string[]): Promise<{ roots: number[]; unit?: UnitRef; title: string }> {
  if (words.length > 0) {
    const unit = await requireUnit(ctx, words.join(" "));
    return { roots: [unit.id], unit, title: unit.name };
  }
  const units = await ctx.tx.unit.findMany({ where: { id: { in: ctx.scope.unitIds } }, select: { name: true }, orderBy: { name: "asc" } });
  return { roots: ctx.scope.unitIds, title: units.map((u) => u.name).join(", ") };
}
