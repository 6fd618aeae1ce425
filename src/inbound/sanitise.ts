// Makes a platform update storable as PostgreSQL jsonb. JSON allows what
// jsonb refuses (U+0000, lone UTF-16 surrogates) and nests without limit,
// while Prisma serialises recursively; such an update was refused on every
// redelivery. What the adapters read is shallow and survives unchanged.

/** Deeper than any field an adapter reads (Telegram's deepest is about 6). */
export const MAX_DEPTH = 32;

const NUL = "\u0000";
const REPLACEMENT = "\uFFFD";
// A high surrogate without a low one after it, or a low one without a high one before it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export type Change = "U+0000 replaced" | "lone surrogate replaced" | `nested deeper than ${typeof MAX_DEPTH} levels dropped`;

export interface Sanitised {
  value: unknown;
  /** What was changed, for the stored row; empty when the update was fine. */
  changes: Change[];
}

const DROP = Symbol("drop");

export function cleanText(text: string, changes?: Set<Change>): string {
  let out = text;
  if (out.includes(NUL)) {
    out = out.replaceAll(NUL, REPLACEMENT);
    changes?.add("U+0000 replaced");
  }
  LONE_SURROGATE.lastIndex = 0;
  if (LONE_SURROGATE.test(out)) {
    out = out.replace(LONE_SURROGATE, REPLACEMENT);
    changes?.add("lone surrogate replaced");
  }
  return out;
}

export function sanitiseUpdate(raw: unknown): Sanitised {
  const changes = new Set<Change>();
  // The recursion stops at MAX_DEPTH, so a hostile nesting cannot exhaust the stack here.
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return cleanText(v, changes);
    if (v === null || typeof v !== "object") return v;
    if (depth >= MAX_DEPTH) {
      changes.add(`nested deeper than ${MAX_DEPTH} levels dropped`);
      return DROP;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1)).filter((x) => x !== DROP);
    const entries: [string, unknown][] = [];
    for (const [key, x] of Object.entries(v)) {
      const cleaned = walk(x, depth + 1);
      if (cleaned !== DROP) entries.push([cleanText(key, changes), cleaned]);
    }
    // fromEntries defines "__proto__" as a plain key instead of setting the prototype.
    return Object.fromEntries(entries);
  };
  const value = walk(raw, 0);
  return { value: value === DROP ? null : value, changes: [...changes] };
}
