// The office's holiday table as a YAML file (prisma/holidays/*.yaml). People
// edit it by hand once a year, so every problem comes back as one Vietnamese
// line that names the line in the file and the entry.
import { readFileSync } from "node:fs";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { flattenIssues, formatPath, vietnameseIssue } from "../forms/template-schema.ts";
import { vi } from "../texts/vi.ts";
import { formatVietnameseDate, isWeekend, parseAnyDate, type LocalDate } from "./dates.ts";
import type { HolidayEntry } from "./holidays.ts";

const dateField = z.string().transform((value, ctx): LocalDate => {
  const date = parseAnyDate(value);
  if (date === null) {
    ctx.addIssue({ code: "custom", message: vi.calendar.holidayFile.badDate(value) });
    return z.NEVER;
  }
  return date;
});

export const holidayEntrySchema = z
  .strictObject({
    date: dateField,
    kind: z.enum(["HOLIDAY", "WORKDAY"]).default("HOLIDAY"),
    name: z.string().trim().min(1).max(200),
  })
  .superRefine((e, ctx) => {
    // A make-up day on a weekday changes nothing, so it is almost surely a typo in the date.
    if (e.kind === "WORKDAY" && !isWeekend(e.date)) {
      ctx.addIssue({ code: "custom", path: ["date"], message: vi.calendar.holidayFile.workdayOnWeekday(formatVietnameseDate(e.date)) });
    }
  });

export const holidayFileSchema = z.strictObject({
  days: z.array(holidayEntrySchema).min(1),
});

export type HolidayFileResult = { ok: true; entries: HolidayEntry[] } | { ok: false; problems: string[] };

/** Parses the YAML text of a holiday file; `source` names it in messages. */
export function parseHolidayYaml(text: string, source = "holidays.yaml"): HolidayFileResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return vi.importCli.yamlError(source, pos.line, pos.col, e.code);
      }),
    };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { ok: false, problems: [vi.importCli.emptyFile(source)] };

  const at = (path: readonly PropertyKey[], message: string): string => {
    const place = formatPath(path);
    const line = lineOf(doc, lines, path);
    const where = line === null ? place : vi.importCli.at(place, source, line);
    return where === "" ? message : `${where}: ${message}`;
  };

  const parsed = holidayFileSchema.safeParse(value, { error: vietnameseIssue });
  if (!parsed.success) {
    return { ok: false, problems: flattenIssues(parsed.error.issues).map((i) => at(i.path, i.message)) };
  }

  const problems: string[] = [];
  const firstIndex = new Map<LocalDate, number>();
  parsed.data.days.forEach((e, i) => {
    const first = firstIndex.get(e.date);
    if (first === undefined) {
      firstIndex.set(e.date, i);
      return;
    }
    const firstLine = lineOf(doc, lines, ["days", first]);
    problems.push(at(["days", i, "date"], vi.calendar.holidayFile.duplicateDate(formatVietnameseDate(e.date), firstLine)));
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, entries: parsed.data.days };
}

/** Reads and parses a holiday file from disk. */
export function loadHolidayFile(path: string, source = path): HolidayFileResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { ok: false, problems: [vi.importCli.fileNotFound(source)] };
  }
  return parseHolidayYaml(text, source);
}

/** The line of the deepest YAML node on the path. */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return null;
}
