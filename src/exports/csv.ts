// CSV for Excel with Vietnamese regional settings (vi-VN): its list separator
// is ";" and its decimal mark ",", so by default fields are ";"-separated and
// decimals are written "12,5"; with separator "," decimals use ".". UTF-8 with
// a BOM (without it Excel reads the bytes as ANSI and breaks the diacritics;
// a "sep=;" line would make Excel ignore the BOM, so there is none), CRLF
// line ends, RFC 4180 quoting.
import { formatVietnameseDate } from "../calendar/dates.ts";
import { vi } from "../texts/vi.ts";
import { asDate, booleanLabel, formatDate, formatDateTime, stateLabel } from "./cells.ts";
import type { CellValue, ExportData, QuestionColumn, QuestionRow, StatusRow, TemplateSheet } from "./types.ts";

export { CSV_MIME } from "./types.ts";

export interface CsvOptions {
  /** ";" (default, Excel in Vietnamese) or "," (English settings, other tools). */
  separator?: ";" | ",";
}

const t = vi.exports;

/**
 * Text that Excel would read as a formula (=, +, -, @, tab, CR first) gets a
 * leading apostrophe: answers are typed by anyone in a chat, and a cell such
 * as =HYPERLINK(...) must not run on a committee member's computer.
 */
function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quote(field: string): string {
  return /[";,\r\n]/.test(field) || field !== field.trim() ? `"${field.replaceAll('"', '""')}"` : field;
}

type Kind = QuestionColumn["type"] | "datetime";

function field(value: CellValue, kind: Kind, decimal: string): string {
  if (value === null) return "";
  if (typeof value === "boolean") return booleanLabel(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value).replace(".", decimal) : "";
  if (kind === "date") {
    const d = asDate(value);
    if (d !== null) return typeof d === "string" ? formatVietnameseDate(d) : formatDate(d);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : formatDateTime(value);
  return neutralise(value);
}

/** The header and each row made into its line as it comes, without an array of every row's fields first. */
function lines<T>(header: string[], rows: readonly T[], fields: (row: T) => string[], separator: string): string {
  const line = (r: string[]) => r.map(quote).join(separator);
  const out = new Array<string>(rows.length + 1);
  out[0] = line(header);
  for (let i = 0; i < rows.length; i++) out[i + 1] = line(fields(rows[i]!));
  return "\uFEFF" + out.join("\r\n") + "\r\n";
}

function settings(opts: CsvOptions): { separator: string; decimal: string } {
  const separator = opts.separator ?? ";";
  return { separator, decimal: separator === ";" ? "," : "." };
}

function statusFields(r: StatusRow, decimal: string): string[] {
  return [
    field(r.group, "text", decimal),
    field(r.unitCode, "text", decimal),
    field(r.unitName, "text", decimal),
    field(r.templateTitle, "text", decimal),
    field(r.periodLabel, "text", decimal),
    field(r.deadline, "date", decimal),
    stateLabel(r.state),
    field(r.submittedAt, "datetime", decimal),
    field(r.submittedBy, "text", decimal),
    field(r.revision, "number", decimal),
    field(r.reference, "text", decimal),
    field(r.daysLate, "number", decimal),
  ];
}

/** The status sheet ("Tình hình nộp") as CSV. */
export function buildCsv(data: ExportData, opts: CsvOptions = {}): string {
  const { separator, decimal } = settings(opts);
  const c = t.statusColumns;
  const header = [c.group, c.unitCode, c.unit, c.report, c.period, c.deadline, c.state, c.submittedAt, c.submittedBy, c.revision, c.reference, c.daysLate];
  return lines(header, data.status, (r) => statusFields(r, decimal), separator);
}

/** One template's answers, one row per unit (repeat groups are left to the workbook). */
export function buildTemplateCsv(sheet: TemplateSheet, opts: CsvOptions = {}): string {
  const { separator, decimal } = settings(opts);
  const header = [t.unit, ...sheet.columns.map((q) => q.header)];
  return lines(
    header,
    sheet.rows,
    (r) => [field(r.unitName, "text", decimal), ...sheet.columns.map((q, i) => field(r.values[i] ?? null, q.type, decimal))],
    separator,
  );
}

/** A repeat group's entries, one row per entry. */
export function buildRepeatCsv(repeat: TemplateSheet["repeats"][number], opts: CsvOptions = {}): string {
  const { separator, decimal } = settings(opts);
  const header = [t.unit, t.entry, ...repeat.columns.map((q) => q.header)];
  return lines(
    header,
    repeat.rows,
    (r) => [field(r.unitName, "text", decimal), field(r.entry, "number", decimal), ...repeat.columns.map((q, i) => field(r.values[i] ?? null, q.type, decimal))],
    separator,
  );
}

function questionFields(r: QuestionRow, decimal: string): string[] {
  return [
    field(r.reference, "text", decimal),
    field(r.committee, "text", decimal),
    field(r.askedAt, "date", decimal),
    field(r.askedBy, "text", decimal),
    field(r.enteredBy, "text", decimal),
    t.questionKinds[r.kind],
    field(r.addressee, "text", decimal),
    field(r.conference, "text", decimal),
    field(r.deadline, "datetime", decimal),
    t.questionStates[r.state],
    field(r.firstAnswerAt, "datetime", decimal),
    r.answeredOnTime === null ? t.notApplicable : booleanLabel(r.answeredOnTime),
    field(r.answers, "number", decimal),
    r.verdict === null ? t.notApplicable : t.verdicts[r.verdict],
    field(r.verdictComment, "text", decimal),
    field(r.followUpOf, "text", decimal),
    field(r.text, "text", decimal),
  ];
}

/** The questions sheet ("Chất vấn"): one row per question. */
export function buildQuestionsCsv(questions: readonly QuestionRow[], opts: CsvOptions = {}): string {
  const { separator, decimal } = settings(opts);
  const c = t.questionColumns;
  const header = [
    c.reference, c.committee, c.askedAt, c.askedBy, c.enteredBy, c.kind, c.addressee, c.conference, c.deadline, c.state,
    c.firstAnswerAt, c.answeredOnTime, c.answers, c.verdict, c.verdictComment, c.followUpOf, c.text,
  ];
  return lines(header, questions, (r) => questionFields(r, decimal), separator);
}

/** Characters file systems refuse in a name; the rest (Vietnamese included) stays readable. */
const fileName = (name: string) => `${name.replace(/[\\/:*?"<>|\p{Cc}]/gu, "-").slice(0, 120)}.csv`;

/**
 * The whole export as CSV files: the status, then each template's answers
 * (one row per unit) and each repeat group's entries, then the questions when
 * there are any, as a committee office gets them in the workbook's sheets.
 */
export function buildCsvFiles(data: ExportData, opts: CsvOptions = {}): { name: string; text: string }[] {
  const files = [{ name: fileName(t.statusSheet), text: buildCsv(data, opts) }];
  for (const sheet of data.templates) {
    const base = `${sheet.templateTitle} – ${sheet.periodLabel}`;
    files.push({ name: fileName(base), text: buildTemplateCsv(sheet, opts) });
    for (const r of sheet.repeats) files.push({ name: fileName(`${base} – ${r.title}`), text: buildRepeatCsv(r, opts) });
  }
  if (data.questions !== undefined && data.questions.length > 0) files.push({ name: fileName(t.questionsSheet), text: buildQuestionsCsv(data.questions, opts) });
  return files;
}
