// The data behind /xuat (the workbook or CSV) and /bieudo (the chart); the
// builders in src/exports only format it.
import type { Tx } from "../db/database.ts";
import { toDbDate, isLocalDate } from "../calendar/dates.ts";
import type { FlatQuestion } from "../forms/paths.ts";
import { flattenForm } from "../forms/paths.ts";
import type { Question } from "../forms/template-schema.ts";
import type { CellValue, ChartSpec, ExportData, QuestionColumn, QuestionRow, TemplateSheet } from "../exports/types.ts";
import { MAX_CELL_CHARS } from "../exports/cells.ts";
import { visibleWhere, type QuestionWhere } from "../questions/people.ts";
import { vi } from "../texts/vi.ts";
import type { PeriodSpec } from "./args.ts";
import { formOf } from "./answers.ts";
import { percent } from "./format.ts";
import {
  countsByChild,
  countsByQuarter,
  DONE_STATES,
  exportAnswerPages,
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
  /** The person exporting: the questions sheet lists what they may see. Without one, no questions. */
  viewerId?: number;
}

/**
 * Status rows and one sheet per template and period, from the latest revision
 * of each report; and the questions of the committees in the subtrees that the
 * person may see.
 */
export async function exportData(db: Tx, req: ExportRequest, now: Date): Promise<ExportData & { slices: Slice[] }> {
  const slices = await resolveSlices(db, req.roots, { ...(req.period && { period: req.period }), ...(req.templateId !== undefined && { templateId: req.templateId }) }, now);
  const status = await statusRows(db, req.roots, slices, now);
  const forms = await latestForms(db, [...new Set(slices.map((s) => s.templateId))]);
  const templates: TemplateSheet[] = [];
  // One slice, and within it one page of units, at a time: only the sheets' rows are kept.
  for (const slice of slices) {
    const form = formOf(forms.get(slice.templateId));
    const sheet = sheetBuilder(form === null ? [] : flattenForm(form));
    for await (const page of exportAnswerPages(db, req.roots, slice, now)) {
      const names = new Map(page.units.map((u) => [u.id, u.name]));
      for (const a of page.answers) sheet.add(a.unitId, names.get(a.unitId) ?? "", a.path, a.value);
    }
    templates.push(sheet.finish(slice));
  }
  const periods = [...new Set(slices.map((s) => s.periodLabel))].join(", ");
  const questions = req.viewerId === undefined ? [] : await questionRows(db, req.viewerId, req.roots, now);
  return { title: vi.committee.export.title(req.scopeTitle, periods), generatedAt: now, status, templates, questions, slices };
}

// ───────────── questions ─────────────

/** Questions read per page, so a province's years of questions never come back as one result. */
export const QUESTION_PAGE = 500;

const cut = (text: string) => (text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS - 1) + "…" : text);

/**
 * Every question whose committee is in the subtrees and that the person may
 * see (visibleWhere), in the order they were put: who asked whom, the
 * deadline, the state at `now`, the first answer and whether it came by the
 * deadline, the asker's verdict. Answer texts stay out: the register is the
 * committee's own record; the answers are read with the question.
 */
export async function questionRows(db: Tx, viewerId: number, roots: readonly number[], now: Date): Promise<QuestionRow[]> {
  if (roots.length === 0) return [];
  const visible = await visibleWhere(db, viewerId);
  const where: QuestionWhere = { AND: [visible, { committee: { ancestors: { some: { ancestorId: { in: [...roots] } } } } }] };
  const out: QuestionRow[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await db.question.findMany({
      where: after === undefined ? where : { AND: [where, { id: { gt: after } }] },
      orderBy: { id: "asc" },
      take: QUESTION_PAGE,
      select: {
        id: true,
        reference: true,
        kind: true,
        text: true,
        conference: true,
        deadline: true,
        status: true,
        parentId: true,
        verdict: true,
        verdictComment: true,
        createdAt: true,
        committee: { select: { name: true } },
        askedBy: { select: { fullName: true } },
        enteredBy: { select: { fullName: true } },
        targetUnit: { select: { name: true } },
        targetPerson: { select: { fullName: true } },
        targetBody: { select: { name: true } },
        parent: { select: { reference: true } },
      },
    });
    if (page.length === 0) break;
    const ids = page.map((q) => q.id);
    const answers = await db.questionAnswer.groupBy({ by: ["questionId"], where: { questionId: { in: ids } }, _min: { createdAt: true }, _count: { _all: true } });
    const answered = new Map(answers.map((a) => [a.questionId, { first: a._min.createdAt, n: a._count._all }]));
    // A follow-up names its parent only when the person may see the parent too.
    const parentIds = [...new Set(page.flatMap((q) => (q.parentId === null ? [] : [q.parentId])))];
    const seenParents =
      parentIds.length === 0
        ? new Set<number>()
        : new Set((await db.question.findMany({ where: { AND: [visible, { id: { in: parentIds } }] }, select: { id: true } })).map((p) => p.id));
    for (const q of page) {
      const a = answered.get(q.id);
      const first = a?.first ?? null;
      const pastDue = q.deadline !== null && q.deadline.getTime() < now.getTime();
      out.push({
        reference: q.reference,
        committee: q.committee.name,
        askedAt: q.createdAt,
        askedBy: q.askedBy.fullName,
        enteredBy: q.enteredBy?.fullName ?? null,
        kind: q.kind,
        addressee: q.targetUnit?.name ?? q.targetPerson?.fullName ?? q.targetBody?.name ?? "",
        conference: q.conference,
        deadline: q.deadline,
        state: q.status === "OPEN" ? (pastDue ? "open_overdue" : "open") : q.status === "ANSWERED" ? "answered" : "closed",
        firstAnswerAt: first,
        answeredOnTime:
          first !== null ? q.deadline === null || first.getTime() <= q.deadline.getTime() : q.status === "OPEN" && pastDue ? false : null,
        answers: a?.n ?? 0,
        verdict: q.verdict,
        verdictComment: q.verdictComment === null ? null : cut(q.verdictComment),
        followUpOf: q.parentId !== null && seenParents.has(q.parentId) ? (q.parent?.reference ?? null) : null,
        text: cut(q.text),
      });
    }
    if (page.length < QUESTION_PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return out;
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

/** A template's sheet, filled answer by answer in the sheet's order (unit by unit). */
function sheetBuilder(flat: readonly FlatQuestion[]): {
  add(unitId: number, unitName: string, path: string, value: unknown): void;
  finish(slice: Slice): TemplateSheet;
} {
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
  const add = (unitId: number, unitName: string, path: string, raw: unknown): void => {
    const { key, entry } = keyOf(path);
    const f = byPath.get(key);
    if (!f) return;
    const value = cellValue(f.question, raw);
    const col = topIndex.get(key);
    if (col !== undefined) {
      let row = rows.get(unitId);
      if (!row) rows.set(unitId, (row = { unitName, values: top.map(() => null) }));
      row.values[col] = value;
      return;
    }
    const sheet = repeats.find((r) => r.index.has(key));
    if (!sheet || entry === null) return;
    const rowKey = `${unitId}:${entry}`;
    let row = sheet.rows.get(rowKey);
    if (!row) sheet.rows.set(rowKey, (row = { unitName, entry: entry + 1, values: sheet.cols.map(() => null) }));
    const i = sheet.index.get(key)!;
    // A repeat inside a repeat: its entries share the outer entry's cell.
    const prev = row.values[i];
    row.values[i] = prev === null || prev === undefined ? value : `${cellText(prev)}; ${cellText(value)}`;
  };
  const finish = (slice: Slice): TemplateSheet => ({
    templateTitle: slice.templateTitle,
    periodLabel: slice.periodLabel,
    columns: top.map(columnOf),
    rows: [...rows.values()],
    repeats: repeats.map((r) => ({ title: r.repeat.question.label, columns: r.cols.map(columnOf), rows: [...r.rows.values()] })),
  });
  return { add, finish };
}

// ───────────── charts ─────────────

export const CHART_BARS_MAX = 40;

export type ChartRequest = Omit<ExportRequest, "period" | "viewerId"> & { period?: PeriodSpec };

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
