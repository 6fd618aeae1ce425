// The data behind /xuat (the workbook or CSV) and /bieudo (the chart); the
// builders in src/exports only format it.
import type { Tx } from "../db/database.ts";
import { toDbDate, isLocalDate } from "../calendar/dates.ts";
import type { FlatQuestion } from "../forms/paths.ts";
import { flattenForm } from "../forms/paths.ts";
import type { Question } from "../forms/template-schema.ts";
import type { CellValue, ChartSpec, ExportData, QuestionColumn, TemplateSheet } from "../exports/types.ts";
import { vi } from "../texts/vi.ts";
import type { PeriodSpec } from "./args.ts";
import { formOf } from "./answers.ts";
import { percent } from "./format.ts";
import {
  countsByChild,
  countsByQuarter,
  DONE_STATES,
  latestAnswers,
  latestForms,
  resolveSlices,
  STATES,
  statusRows,
  type Slice,
  type UnitState,
} from "./queries.ts";

export interface ExportRequest {
  /** Subtree roots, already checked against the person's scope. */
  roots: number[];
  /** The subtree's name, for titles. */
  scopeTitle: string;
  period?: PeriodSpec;
  templateId?: number;
}

/** Status rows and one sheet per template and period, from the latest revision of each report. */
export async function exportData(db: Tx, req: ExportRequest, now: Date): Promise<ExportData & { slices: Slice[] }> {
  const slices = await resolveSlices(db, req.roots, { ...(req.period && { period: req.period }), ...(req.templateId !== undefined && { templateId: req.templateId }) }, now);
  const status = await statusRows(db, req.roots, slices, now);
  const forms = await latestForms(db, [...new Set(slices.map((s) => s.templateId))]);
  const answers = await latestAnswers(db, req.roots, slices, now);
  const templates: TemplateSheet[] = slices.map((slice, i) => {
    const form = formOf(forms.get(slice.templateId));
    const flat = form === null ? [] : flattenForm(form);
    return sheetFor(slice, flat, answers.filter((a) => a.ord === i + 1));
  });
  const periods = [...new Set(slices.map((s) => s.periodLabel))].join(", ");
  return { title: vi.committee.export.title(req.scopeTitle, periods), generatedAt: now, status, templates, slices };
}

const asked = (f: FlatQuestion) => !["group", "repeat", "note"].includes(f.question.type);

function columnOf(f: FlatQuestion): QuestionColumn {
  const q = f.question;
  const type = q.type === "integer" || q.type === "decimal" ? "number" : q.type === "date" ? "date" : q.type === "yes_no" ? "boolean" : q.type === "select_multiple" ? "list" : "text";
  return { key: f.path, header: q.label, type };
}

/** "nghi_quyet[2].so_hieu" → "nghi_quyet[].so_hieu", and the outermost entry (0-based). */
function keyOf(path: string): { key: string; entry: number | null } {
  const m = /^[^[]*\[(\d+)\]/.exec(path);
  return { key: path.replace(/\[\d+\]/g, "[]"), entry: m ? Number(m[1]) : null };
}

export function cellValue(q: Question, value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  const plain = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  const label = (v: unknown) => q.choices?.find((c) => c.value === v)?.label ?? plain(v);
  switch (q.type) {
    case "integer":
    case "decimal":
      return typeof value === "number" ? value : Number(value);
    case "date":
      return typeof value === "string" && isLocalDate(value) ? toDbDate(value) : plain(value);
    case "yes_no":
      return typeof value === "boolean" ? value : plain(value);
    case "select_one":
      return label(value);
    case "select_multiple":
      return Array.isArray(value) ? value.map(label).join("; ") : label(value);
    case "file": {
      const name = (value as { fileName?: unknown }).fileName;
      return typeof name === "string" ? name : vi.forms.format.file(undefined);
    }
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

function cellText(v: CellValue): string {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
}

function sheetFor(slice: Slice, flat: readonly FlatQuestion[], answers: readonly { unitId: number; unitName: string; path: string; value: unknown }[]): TemplateSheet {
  const top = flat.filter((f) => f.repeats.length === 0 && asked(f));
  const topIndex = new Map(top.map((f, i) => [f.path, i]));
  const repeats = flat
    .filter((f) => f.repeats.length === 0 && f.question.type === "repeat")
    .map((r) => {
      const cols = flat.filter((f) => f.repeats[0] === r.question && asked(f));
      return { repeat: r, cols, index: new Map(cols.map((f, i) => [f.path, i])), rows: new Map<string, { unitName: string; entry: number; values: CellValue[] }>() };
    });
  const byPath = new Map(flat.map((f) => [f.path, f]));
  const rows = new Map<number, { unitName: string; values: CellValue[] }>();
  for (const a of answers) {
    const { key, entry } = keyOf(a.path);
    const f = byPath.get(key);
    if (!f) continue;
    const value = cellValue(f.question, a.value);
    const col = topIndex.get(key);
    if (col !== undefined) {
      let row = rows.get(a.unitId);
      if (!row) rows.set(a.unitId, (row = { unitName: a.unitName, values: top.map(() => null) }));
      row.values[col] = value;
      continue;
    }
    const sheet = repeats.find((r) => r.index.has(key));
    if (!sheet || entry === null) continue;
    const rowKey = `${a.unitId}:${entry}`;
    let row = sheet.rows.get(rowKey);
    if (!row) sheet.rows.set(rowKey, (row = { unitName: a.unitName, entry: entry + 1, values: sheet.cols.map(() => null) }));
    const i = sheet.index.get(key)!;
    // A repeat inside a repeat: its entries share the outer entry's cell.
    const prev = row.values[i];
    row.values[i] = prev === null || prev === undefined ? value : `${cellText(prev)}; ${cellText(value)}`;
  }
  return {
    templateTitle: slice.templateTitle,
    periodLabel: slice.periodLabel,
    columns: top.map(columnOf),
    rows: [...rows.values()],
    repeats: repeats.map((r) => ({ title: r.repeat.question.label, columns: r.cols.map(columnOf), rows: [...r.rows.values()] })),
  };
}

// ───────────── charts ─────────────

export const CHART_BARS_MAX = 40;

export type ChartRequest = Omit<ExportRequest, "period"> & { period?: PeriodSpec };

/**
 * A year: the on-time rate per quarter (by the quarter a report's window
 * ends; only reports due by now or submitted count). Otherwise the progress
 * of a period, one bar per unit directly under the subtree's root.
 */
export async function chartData(db: Tx, req: ChartRequest, now: Date): Promise<ChartSpec> {
  const t = vi.committee.chart;
  const segmentsOf = (counts: ReadonlyMap<UnitState, number>) => STATES.map((state) => ({ state, count: counts.get(state) ?? 0 })).filter((s) => s.count > 0);
  if (req.period?.kind === "year") {
    const year = req.period.year;
    const rows = await countsByQuarter(db, req.roots, year, now);
    const bars = [1, 2, 3, 4].flatMap((q) => {
      const counts = new Map(rows.filter((r) => r.quarter === q).map((r) => [r.state, r.n]));
      // Every unit that owes the quarter counts: one not yet due is not yet on time either.
      const max = [...counts.values()].reduce((s, n) => s + n, 0);
      const open = (counts.get("in_progress") ?? 0) + (counts.get("not_started") ?? 0) > 0;
      return max === 0 ? [] : [{ label: open ? t.quarterOpen(q, year) : t.quarter(q, year), value: counts.get("submitted_on_time") ?? 0, max, segments: segmentsOf(counts) }];
    });
    return { title: t.rateTitle(req.scopeTitle, year), kind: "on_time_rate", bars };
  }
  const slices = await resolveSlices(db, req.roots, { ...(req.period && { period: req.period }), ...(req.templateId !== undefined && { templateId: req.templateId }) }, now);
  const rows = await countsByChild(db, req.roots, slices, now);
  const byBar = new Map<number, { label: string; counts: Map<UnitState, number> }>();
  for (const r of rows) {
    let bar = byBar.get(r.barId);
    if (!bar) byBar.set(r.barId, (bar = { label: r.barName, counts: new Map() }));
    bar.counts.set(r.state, (bar.counts.get(r.state) ?? 0) + r.n);
  }
  let bars = [...byBar.values()].map((b) => {
    const max = [...b.counts.values()].reduce((s, n) => s + n, 0);
    const value = DONE_STATES.reduce((s, st) => s + (b.counts.get(st) ?? 0), 0);
    return { label: b.label, value, max, segments: segmentsOf(b.counts) };
  });
  const total = bars.length;
  let note: string | undefined;
  if (total > CHART_BARS_MAX) {
    // Too many bars to read on a phone: the weakest ones are what matters.
    bars = bars.sort((a, b) => percent(a.value, a.max) - percent(b.value, b.max)).slice(0, CHART_BARS_MAX);
    note = t.bars(CHART_BARS_MAX, total);
  }
  const periods = [...new Set(slices.map((s) => s.periodLabel))].join(", ");
  const subtitle = [periods, note].filter((s) => s !== undefined && s !== "").join(" · ");
  return { title: t.progressTitle(req.scopeTitle), ...(subtitle !== "" && { subtitle }), kind: "progress", bars };
}
