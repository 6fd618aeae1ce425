// Every instruction the bot prints, read from the texts themselves: the
// commands ("/baocao"), the words it says to type ("Gõ GỬI", "gõ "xong""),
// with the text they were found in.
import { vi } from "../../src/texts/vi.ts";

/** Every text of vi.ts; functions are called with sample arguments (those that need other shapes are left out). */
export function allTexts(): string[] {
  const out: string[] = [];
  const samples = [3, "X", 3, "X", 3, "X"];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "function") {
      for (const args of [samples, ["X", "X", "X", "X", "X"], [3, 3, 3, 3], [true], [false]]) {
        try {
          const r: unknown = (v as (...a: unknown[]) => unknown)(...args);
          if (typeof r === "string") out.push(r);
        } catch {
          // needs another shape of argument
        }
      }
    } else if (v !== null && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  walk(vi);
  return out;
}

export interface Instruction {
  /** As printed: "/baocao", "GỬI", "xong". */
  typed: string;
  kind: "command" | "word";
}

export function instructionsIn(text: string): Instruction[] {
  const found: Instruction[] = [];
  for (const m of text.matchAll(/(?:^|[\s("'«(])\/([a-z][a-z]+)/g)) found.push({ typed: `/${m[1]}`, kind: "command" });
  for (const sentence of text.split(/(?<=[.!?])\s|\n/)) {
    if (!/gõ/i.test(sentence)) continue;
    for (const m of sentence.matchAll(/(?<![\p{L}/])(\p{Lu}{2,}(?: \p{Lu}{2,})*)(?!\p{L})/gu)) found.push({ typed: m[1]!, kind: "word" });
    for (const m of sentence.matchAll(/gõ[^"]{0,40}"([^"]+)"/gu)) found.push({ typed: m[1]!, kind: "word" });
    for (const m of sentence.matchAll(/hoặc "([^"]+)"/gu)) found.push({ typed: m[1]!, kind: "word" });
    for (const m of sentence.matchAll(/Gõ (\d+)\b/gu)) found.push({ typed: m[1]!, kind: "word" });
    // Examples of typed words: "(ví dụ: sửa 3)", "(ví dụ: quay lai, xem lai)".
    for (const m of sentence.matchAll(/ví dụ: ([\p{Ll}\d ,]+)\)/gu)) {
      for (const w of m[1]!.split(",")) if (/\p{L}/u.test(w)) found.push({ typed: w.trim(), kind: "word" });
    }
  }
  return found;
}

/** Texts made with sample arguments print the samples back ("Không có lệnh /true"): not instructions. */
const artefacts = new Set(["/true", "/false", "X"]);

export function allInstructions(): Map<string, string> {
  const map = new Map<string, string>();
  for (const text of allTexts()) for (const i of instructionsIn(text)) if (!map.has(i.typed) && !artefacts.has(i.typed)) map.set(i.typed, text);
  return map;
}
