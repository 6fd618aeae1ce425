// The Excel export: the submission status, then one sheet per template and
// one per repeat group, the questions (chất vấn) when there are any, then a
// sheet naming what each (shortened) sheet holds.
// exceljs's streaming writer commits every row as it goes, so a province
// (3,500 units × several templates) never holds a whole workbook model in memory;
// only the zipped bytes are collected. Each row's cells are made as the row is
// measured (column widths) and again as it is written, never kept for a sheet,
// and the builder gives way between rows so the zip deflates what was written.
// exceljs itself is loaded on the first workbook.
import { PassThrough } from "node:stream";
import { setImmediate as yieldToZip } from "node:timers/promises";
import type ExcelJS from "exceljs";
import { vi } from "../texts/vi.ts";
import { asDate, booleanLabel, cleanText, formatDateTime, stateLabel, vietnamDay, vietnamWallClock, type ColumnType } from "./cells.ts";
import { createSheetNamer } from "./sheet-names.ts";
import type { CellValue, ExportData, QuestionColumn, QuestionRow, StatusRow, TemplateSheet } from "./types.ts";

export { XLSX_MIME } from "./types.ts";

const t = vi.exports;

/** How a column's cells are written; "datetime" keeps the time of day. */
type Kind = "text" | "number" | "date" | "datetime" | "boolean";

interface Column {
  header: string;
  kind: Kind;
}

type Cell = string | number | Date | null;

const NUM_FMT: Partial<Record<Kind, string>> = { date: "dd/mm/yyyy", datetime: "dd/mm/yyyy hh:mm" };
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** Long question labels wrap in the header rather than widen the column. */
const MAX_HEADER_WIDTH = 30;

function kindOf(type: ColumnType): Kind {
  return type === "list" ? "text" : type;
}

/** One value as exceljs should write it for a column of that kind. */
function toCell(value: CellValue, kind: Kind): Cell {
  if (value === null) return null;
  if (typeof value === "boolean") return booleanLabel(value);
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (kind === "date" || kind === "datetime") {
    const d = asDate(value);
    if (d !== null) return kind === "date" ? vietnamDay(d) : vietnamWallClock(typeof d === "string" ? vietnamDay(d) : d);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : formatDateTime(value);
  return cleanText(value);
}

function displayLength(cell: Cell, kind: Kind): number {
  if (cell === null) return 0;
  if (kind === "date") return 10;
  if (kind === "datetime") return 16;
  if (cell instanceof Date) return 16;
  if (typeof cell === "number") return String(cell).length;
  // The longest line, for text with newlines.
  return Math.max(...cell.split("\n").map((l) => l.length));
}

function widths<T>(columns: Column[], rows: Iterable<T>, cells: (row: T) => Cell[]): number[] {
  const w = columns.map((c) => Math.min(c.header.length, MAX_HEADER_WIDTH));
  // Every column at its widest: the rest of the rows change nothing.
  let open = columns.length;
  for (const row of rows) {
    if (open === 0) break;
    const cs = cells(row);
    for (let i = 0; i < columns.length; i++) {
      if (w[i]! >= MAX_WIDTH) continue;
      w[i] = Math.max(w[i]!, displayLength(cs[i] ?? null, columns[i]!.kind));
      if (w[i]! >= MAX_WIDTH) open -= 1;
    }
  }
  return w.map((x) => Math.min(Math.max(x + 2, MIN_WIDTH), MAX_WIDTH));
}

/** Rows written between two turns of the event loop, when the zip takes what was written. */
const ROWS_PER_TURN = 500;

/**
 * One sheet: the column widths from a first pass over the rows, then the rows
 * themselves, each made into cells as it is written and committed at once.
 */
async function writeSheet<T>(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column[], rows: readonly T[], cells: (row: T) => Cell[]): Promise<void> {
  const ws = wb.addWorksheet(name, {
    views: [{ state: "frozen", ySplit: 1, xSplit: 0 }],
    properties: { defaultRowHeight: 15 },
  });
  const w = widths(columns, rows, cells);
  ws.columns = columns.map((c, i) => {
    const numFmt = NUM_FMT[c.kind];
    return { width: w[i] ?? MIN_WIDTH, ...(numFmt !== undefined && { style: { numFmt } }) };
  });
  if (columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = ws.addRow(columns.map((c) => cleanText(c.header)));
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { vertical: "top", wrapText: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF4" } };
    cell.numFmt = "General";
  });
  header.commit();
  for (let i = 0; i < rows.length; i++) {
    ws.addRow(cells(rows[i]!)).commit();
    if ((i + 1) % ROWS_PER_TURN === 0) await yieldToZip();
  }
  ws.commit();
  await yieldToZip();
}

const STATUS_COLUMNS: Column[] = [
  { header: t.statusColumns.group, kind: "text" },
  { header: t.statusColumns.unitCode, kind: "text" },
  { header: t.statusColumns.unit, kind: "text" },
  { header: t.statusColumns.report, kind: "text" },
  { header: t.statusColumns.period, kind: "text" },
  { header: t.statusColumns.deadline, kind: "date" },
  { header: t.statusColumns.state, kind: "text" },
  { header: t.statusColumns.submittedAt, kind: "datetime" },
  { header: t.statusColumns.submittedBy, kind: "text" },
  { header: t.statusColumns.revision, kind: "number" },
  { header: t.statusColumns.reference, kind: "text" },
  { header: t.statusColumns.daysLate, kind: "number" },
];

function statusCells(r: StatusRow): Cell[] {
  // The deadline keeps its time (17:00) in the value; the column shows the day.
  return [
    toCell(r.group, "text"),
    toCell(r.unitCode, "text"),
    toCell(r.unitName, "text"),
    toCell(r.templateTitle, "text"),
    toCell(r.periodLabel, "text"),
    toCell(r.deadline, "datetime"),
    stateLabel(r.state),
    toCell(r.submittedAt, "datetime"),
    toCell(r.submittedBy, "text"),
    toCell(r.revision, "number"),
    toCell(r.reference, "text"),
    toCell(r.daysLate, "number"),
  ];
}

const qh = t.questionColumns;
const QUESTION_SHEET_COLUMNS: Column[] = [
  { header: qh.reference, kind: "text" },
  { header: qh.committee, kind: "text" },
  { header: qh.askedAt, kind: "date" },
  { header: qh.askedBy, kind: "text" },
  { header: qh.enteredBy, kind: "text" },
  { header: qh.kind, kind: "text" },
  { header: qh.addressee, kind: "text" },
  { header: qh.conference, kind: "text" },
  { header: qh.deadline, kind: "datetime" },
  { header: qh.state, kind: "text" },
  { header: qh.firstAnswerAt, kind: "datetime" },
  { header: qh.answeredOnTime, kind: "text" },
  { header: qh.answers, kind: "number" },
  { header: qh.verdict, kind: "text" },
  { header: qh.verdictComment, kind: "text" },
  { header: qh.followUpOf, kind: "text" },
  { header: qh.text, kind: "text" },
];

function questionRowCells(r: QuestionRow): Cell[] {
  return [
    toCell(r.reference, "text"),
    toCell(r.committee, "text"),
    toCell(r.askedAt, "date"),
    toCell(r.askedBy, "text"),
    toCell(r.enteredBy, "text"),
    t.questionKinds[r.kind],
    toCell(r.addressee, "text"),
    toCell(r.conference, "text"),
    toCell(r.deadline, "datetime"),
    t.questionStates[r.state],
    toCell(r.firstAnswerAt, "datetime"),
    r.answeredOnTime === null ? t.notApplicable : booleanLabel(r.answeredOnTime),
    r.answers,
    r.verdict === null ? t.notApplicable : t.verdicts[r.verdict],
    toCell(r.verdictComment, "text"),
    toCell(r.followUpOf, "text"),
    toCell(r.text, "text"),
  ];
}

function questionColumns(columns: QuestionColumn[]): Column[] {
  return columns.map((c) => ({ header: c.header, kind: kindOf(c.type) }));
}

function valueCells(values: CellValue[], columns: Column[]): Cell[] {
  return columns.map((c, i) => toCell(values[i] ?? null, c.kind));
}

type WorkbookWriter = typeof ExcelJS.stream.xlsx.WorkbookWriter;

/**
 * Only exceljs's streaming writer, loaded on the first workbook. exceljs is
 * CommonJS: under ESM its exports come as the default, so
 * `(await import("exceljs")).default.stream.xlsx.WorkbookWriter` is the same
 * class, but the whole package (the readers, CSV, unzip) costs about 10 MB more
 * resident memory and 0.4 s to load. The path is exceljs 4.4.0's own (the
 * version is pinned); the specifier is a variable because exceljs declares types
 * for its entry point only.
 */
const WRITER_MODULE = "exceljs/lib/stream/xlsx/workbook-writer.js";

async function loadWriter(): Promise<WorkbookWriter> {
  return ((await import(WRITER_MODULE)) as { default: WorkbookWriter }).default;
}

interface SheetNote {
  sheet: string;
  content: string;
  period: string;
}

/** The workbook as .xlsx bytes. */
export async function buildWorkbook(data: ExportData): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on("end", resolve);
    out.on("error", reject);
  });
  // Awaited after the last sheet; a failure while the sheets are written must not go unhandled meanwhile.
  ended.catch(() => undefined);

  const Writer = await loadWriter();
  const wb = new Writer({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = "baocao";
  wb.title = cleanText(data.title);
  wb.created = data.generatedAt;
  const name = createSheetNamer();
  const notes: SheetNote[] = [];

  const statusName = name(t.statusSheet);
  await writeSheet(wb, statusName, STATUS_COLUMNS, data.status, statusCells);
  notes.push({ sheet: statusName, content: data.title, period: "" });

  const titleCount = new Map<string, number>();
  for (const s of data.templates) titleCount.set(s.templateTitle, (titleCount.get(s.templateTitle) ?? 0) + 1);

  for (const sheet of data.templates) {
    // The same template over several periods: the period must show in the name.
    const sheetName = (titleCount.get(sheet.templateTitle) ?? 0) > 1 ? name(sheet.templateTitle, sheet.periodLabel) : name(sheet.templateTitle);
    await writeTemplate(wb, sheetName, sheet);
    notes.push({ sheet: sheetName, content: sheet.templateTitle, period: sheet.periodLabel });
    for (const repeat of sheet.repeats) {
      const repeatName = name(repeat.title);
      const columns: Column[] = [{ header: t.unit, kind: "text" }, { header: t.entry, kind: "number" }, ...questionColumns(repeat.columns)];
      const qs = columns.slice(2);
      await writeSheet(wb, repeatName, columns, repeat.rows, (r) => [toCell(r.unitName, "text"), r.entry, ...valueCells(r.values, qs)]);
      notes.push({ sheet: repeatName, content: `${repeat.title} (${t.info.repeatOf(sheet.templateTitle)})`, period: sheet.periodLabel });
    }
  }

  const questions = data.questions ?? [];
  if (questions.length > 0) {
    const questionsName = name(t.questionsSheet);
    await writeSheet(wb, questionsName, QUESTION_SHEET_COLUMNS, questions, questionRowCells);
    notes.push({ sheet: questionsName, content: t.questionsNote, period: "" });
  }

  writeInfo(wb, name(t.infoSheet), data, notes);
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

async function writeTemplate(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheetName: string, sheet: TemplateSheet): Promise<void> {
  const qs = questionColumns(sheet.columns);
  const columns: Column[] = [{ header: t.unit, kind: "text" }, ...qs];
  await writeSheet(wb, sheetName, columns, sheet.rows, (r) => [toCell(r.unitName, "text"), ...valueCells(r.values, qs)]);
}

/** Sheet names are cut to 31 characters: this sheet gives the full titles. */
function writeInfo(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheetName: string, data: ExportData, notes: SheetNote[]): void {
  const ws = wb.addWorksheet(sheetName);
  ws.columns = [{ width: 34 }, { width: 80 }, { width: 20 }];
  const bold = (row: ExcelJS.Row) => {
    row.font = { bold: true };
    row.commit();
  };
  ws.addRow([t.info.title, cleanText(data.title)]).commit();
  ws.addRow([t.info.generatedAt, formatDateTime(data.generatedAt)]).commit();
  ws.addRow([]).commit();
  bold(ws.addRow([t.info.sheet, t.info.content, t.info.period]));
  for (const n of notes) ws.addRow([n.sheet, cleanText(n.content), cleanText(n.period)]).commit();
  ws.commit();
}
