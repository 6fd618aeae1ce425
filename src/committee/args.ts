// What people type after a committee command: a period in the forms
// officials use ("Q4/2026", "quý 4/2026", "T12/2026", "2026", a period key),
// flags ("csv", "sosanh"), and the rest (a unit, a template, a question).
import { parsePeriodKey } from "../calendar/periods.ts";
import { fold } from "../forms/answers.ts";

export type PeriodSpec = { kind: "key"; key: string } | { kind: "year"; year: number };

export interface ParsedArgs {
  period?: PeriodSpec;
  /** Folded words that were not a period or a flag, in order. */
  words: string[];
  flags: Set<string>;
}

const SEP = "[/\\-.]";
const QUARTER = new RegExp(`^(?:q|quy)([1-4])${SEP}(\\d{4})$`);
const MONTH = new RegExp(`^(?:t|thang)(\\d{1,2})${SEP}(\\d{4})$`);
const SIX = new RegExp(`^(?:6t|6thang)${SEP}?(\\d{4})$`);
const NINE = new RegExp(`^(?:9t|9thang)${SEP}?(\\d{4})$`);
const YEAR = /^(?:nam)?(\d{4})$/;
const AD_HOC = /^ad_hoc-\d+$/;

/** A period typed by a person, or null when the word is not one. */
export function parsePeriodWord(word: string): PeriodSpec | null {
  const w = fold(word);
  let m = QUARTER.exec(w);
  if (m) return { kind: "key", key: `QUARTERLY-${m[2]}-${m[1]}` };
  m = MONTH.exec(w);
  if (m) {
    const month = Number(m[1]);
    return month >= 1 && month <= 12 ? { kind: "key", key: `MONTHLY-${m[2]}-${String(month).padStart(2, "0")}` } : null;
  }
  m = SIX.exec(w);
  if (m) return { kind: "key", key: `SIX_MONTHLY-${m[1]}` };
  m = NINE.exec(w);
  if (m) return { kind: "key", key: `NINE_MONTHLY-${m[1]}` };
  m = YEAR.exec(w);
  if (m) {
    const year = Number(m[1]);
    return year >= 2000 && year <= 2100 ? { kind: "year", year } : null;
  }
  const upper = word.toUpperCase();
  if (parsePeriodKey(upper)) return { kind: "key", key: upper };
  if (AD_HOC.test(w)) return { kind: "key", key: upper };
  return null;
}

/**
 * Splits the arguments. "quý 4/2026" and "tháng 12/2026" are joined before
 * splitting, since people type the space.
 */
export function parseArgs(args: string, flagWords: readonly string[] = []): ParsedArgs {
  const joined = fold(args).replace(/\b(q|quy|t|thang|nam)\s+(\d)/g, "$1$2").replace(/\bso sanh\b/g, "sosanh");
  const words: string[] = [];
  const flags = new Set<string>();
  let period: PeriodSpec | undefined;
  for (const word of joined.split(" ").filter((w) => w !== "")) {
    if (flagWords.includes(word)) {
      flags.add(word);
      continue;
    }
    const p = period === undefined ? parsePeriodWord(word) : null;
    if (p) period = p;
    else words.push(word);
  }
  return { ...(period === undefined ? {} : { period }), words, flags };
}
