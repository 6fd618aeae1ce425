// The committee's read queries, aggregated in SQL over the closure table so
// that a province (thousands of units, years of history) answers as fast as
// a commune. Each returns plain rows; the commands format them.
import type { Tx } from "../db/database.ts";
import { Prisma as P } from "../db/generated/client.ts";
import { toLocalDate } from "../calendar/dates.ts";
import type { StatusRow } from "../exports/types.ts";
import type { PeriodSpec } from "./args.ts";

export type UnitState = StatusRow["state"];
export const STATES: readonly UnitState[] = ["submitted_on_time", "submitted_late", "in_progress", "not_started", "overdue"];
export const DONE_STATES: readonly UnitState[] = ["submitted_on_time", "submitted_late"];

const TZ = "Asia/Ho_Chi_Minh";

/** One template in one period: the unit of every report. */
export interface Slice {
  templateId: number;
  templateCode: string;
  templateTitle: string;
  periodId: number;
  periodKey: string;
  periodLabel: string;
  periodYear: number;
}

export interface SliceRequest {
  period?: PeriodSpec;
  templateId?: number;
}

const today = (now: Date) => toLocalDate(now) as string;

/**
 * The (template, period) pairs to show: a named period, every period of a
 * year that has started, or by default each template's latest period of its
 * own type whose window has closed (cut-off passed): under Decree 09 that is
 * the period being filed and chased, while the next window is already open.
 * Before any window has closed, the latest one that has started. Only pairs
 * with an assignment in the subtrees are returned.
 */
export async function resolveSlices(tx: Tx, roots: readonly number[], req: SliceRequest, now: Date): Promise<Slice[]> {
  const cond =
    req.period === undefined
      ? P.sql`p.type = t."periodType" AND p."windowStart" <= ${today(now)}::date`
      : req.period.kind === "key"
        ? P.sql`p.key = ${req.period.key}`
        : P.sql`p.year = ${req.period.year} AND p."windowStart" <= ${today(now)}::date`;
  const limit = req.period === undefined ? P.sql`LIMIT 1` : P.empty;
  const template = req.templateId === undefined ? P.empty : P.sql`AND t.id = ${req.templateId}`;
  return tx.$queryRaw<Slice[]>(P.sql`
    SELECT t.id AS "templateId", t.code AS "templateCode", t.title AS "templateTitle",
           p.id AS "periodId", p.key AS "periodKey", p.label AS "periodLabel", p.year AS "periodYear"
    FROM "Template" t
    CROSS JOIN LATERAL (
      SELECT p.id, p.key, p.label, p.year, p."windowStart", d.deadline
      FROM "Period" p
      JOIN LATERAL (
        SELECT min(a.deadline) AS deadline FROM "Assignment" a JOIN "UnitClosure" c ON c."descendantId" = a."unitId"
        WHERE a."templateId" = t.id AND a."periodId" = p.id AND c."ancestorId" = ANY(${roots}::int[])) d ON d.deadline IS NOT NULL
      WHERE ${cond}
      -- By default, the period whose deadline is nearest today: the one being
      -- filed, or the one just past its deadline and being chased.
      ORDER BY abs(extract(epoch FROM d.deadline - ${now}::timestamptz)), p."windowStart" DESC, p.id DESC
      ${limit}
    ) p
    WHERE t.active ${template}
    ORDER BY t.title, t.id, p."windowStart", p.id`);
}

/** Joins each selected assignment (`sel s`) to the latest revision of its submission, as `r`. */
const latestRevision = P.sql`
    JOIN "Submission" sub ON sub."assignmentId" = s.id
    JOIN LATERAL (SELECT rv.id FROM "Revision" rv WHERE rv."submissionId" = sub.id ORDER BY rv.number DESC LIMIT 1) r ON true`;

/**
 * The assignments of the slices in the subtrees, each with its state and
 * its root, as a CTE named `sel` (columns: id, unitId, templateId, periodId,
 * deadline, status, submittedLate, firstSubmittedAt, lastSubmittedAt, root, ord, state).
 */
function selCte(roots: readonly number[], slices: readonly Slice[], now: Date): P.Sql {
  return P.sql`
    want AS (
      SELECT * FROM unnest(${slices.map((s) => s.templateId)}::int[], ${slices.map((s) => s.periodId)}::int[]) WITH ORDINALITY AS w(tid, pid, ord)
    ),
    sel AS (
      SELECT a.id, a."unitId", a."templateId", a."periodId", a.deadline, a.status, a."submittedLate",
             a."firstSubmittedAt", a."lastSubmittedAt", c."ancestorId" AS root, w.ord::int AS ord,
             ${stateSql(now)} AS state
      FROM want w
      JOIN "Assignment" a ON a."templateId" = w.tid AND a."periodId" = w.pid
      JOIN "UnitClosure" c ON c."descendantId" = a."unitId" AND c."ancestorId" = ANY(${roots}::int[])
      JOIN "Unit" u ON u.id = a."unitId" AND u.active
    )`;
}

/** One assignment's state at `now`: the same rule as stateSql, for rows already read. */
export function stateOf(a: { status: string; submittedLate: boolean | null; deadline: Date }, now: Date): UnitState {
  if (a.status === "SUBMITTED") return a.submittedLate ? "submitted_late" : "submitted_on_time";
  if (a.deadline < now) return "overdue";
  return a.status === "IN_PROGRESS" ? "in_progress" : "not_started";
}

function stateSql(now: Date): P.Sql {
  return P.sql`CASE
    WHEN a.status = 'SUBMITTED' AND a."submittedLate" IS TRUE THEN 'submitted_late'
    WHEN a.status = 'SUBMITTED' THEN 'submitted_on_time'
    WHEN a.deadline < ${now}::timestamptz THEN 'overdue'
    WHEN a.status = 'IN_PROGRESS' THEN 'in_progress'
    ELSE 'not_started' END`;
}

/**
 * Working days as a running index from `fromSql` to today, so that the
 * working days in (a, b] are idx(b) − idx(a), the same count as
 * workingDaysBetween. Office-wide holiday rows only.
 */
function workingDaysCte(fromSql: P.Sql, now: Date): P.Sql {
  return P.sql`
    wd AS (
      SELECT g.d::date AS d,
             sum(CASE WHEN h.kind = 'WORKDAY' THEN 1 WHEN h.kind = 'HOLIDAY' THEN 0
                      WHEN extract(isodow FROM g.d) < 6 THEN 1 ELSE 0 END) OVER (ORDER BY g.d)::int AS idx
      FROM generate_series((${fromSql}) - 1, ${today(now)}::date, interval '1 day') AS g(d)
      LEFT JOIN "Holiday" h ON h.date = g.d::date AND h."unitId" IS NULL
    )`;
}

const localDay = (col: P.Sql) => P.sql`(${col} AT TIME ZONE ${P.raw(`'${TZ}'`)})::date`;

// ───────────── progress ─────────────

export interface StateCount {
  ord: number;
  state: UnitState;
  n: number;
  minDeadline: Date;
  maxDeadline: Date;
}

export async function stateCounts(tx: Tx, roots: readonly number[], slices: readonly Slice[], now: Date): Promise<StateCount[]> {
  if (slices.length === 0) return [];
  return tx.$queryRaw<StateCount[]>(P.sql`
    WITH ${selCte(roots, slices, now)}
    SELECT ord, state, count(*)::int AS n, min(deadline) AS "minDeadline", max(deadline) AS "maxDeadline"
    FROM sel GROUP BY ord, state ORDER BY ord, state`);
}

export interface UnitStateRow {
  ord: number;
  state: UnitState;
  unitId: number;
  unitCode: string;
  unitName: string;
  parentId: number | null;
  parentName: string | null;
  deadline: Date;
}

/** Units with their state, grouped by parent; at most `perSlice` per slice, optionally only those not done. */
export async function unitStates(
  tx: Tx,
  roots: readonly number[],
  slices: readonly Slice[],
  now: Date,
  opts: { onlyOpen: boolean; perSlice: number },
): Promise<UnitStateRow[]> {
  if (slices.length === 0) return [];
  const open = opts.onlyOpen ? P.sql`WHERE s.state NOT IN ('submitted_on_time', 'submitted_late')` : P.empty;
  return tx.$queryRaw<UnitStateRow[]>(P.sql`
    WITH ${selCte(roots, slices, now)},
    ranked AS (
      SELECT s.ord, s.state, s.deadline, u.id AS "unitId", u.code AS "unitCode", u.name AS "unitName",
             pu.id AS "parentId", pu.name AS "parentName",
             row_number() OVER (PARTITION BY s.ord ORDER BY pu.name NULLS FIRST, pu.id NULLS FIRST, u.name, u.id) AS rn
      FROM sel s JOIN "Unit" u ON u.id = s."unitId" LEFT JOIN "Unit" pu ON pu.id = u."parentId"
      ${open}
    )
    SELECT ord, state, deadline, "unitId", "unitCode", "unitName", "parentId", "parentName"
    FROM ranked WHERE rn <= ${opts.perSlice} ORDER BY ord, rn`);
}

// ───────────── overdue ─────────────

export interface OverdueRow {
  assignmentId: number;
  unitCode: string;
  unitName: string;
  templateTitle: string;
  periodLabel: string;
  deadline: Date;
  inProgress: boolean;
  heads: string | null;
  lastReminded: Date | null;
  /** Why reminders to this unit did not arrive (blocked the bot, chat gone...), when some failed. */
  undelivered: string | null;
  daysLate: number | null;
}

/** Unsubmitted assignments past their deadline in the subtrees, longest overdue first. */
export async function overdue(
  tx: Tx,
  roots: readonly number[],
  now: Date,
  opts: { slices?: readonly Slice[]; limit: number },
): Promise<{ total: number; rows: OverdueRow[] }> {
  const slice =
    opts.slices === undefined
      ? P.empty
      : P.sql`AND (a."templateId", a."periodId") IN (SELECT * FROM unnest(${opts.slices.map((s) => s.templateId)}::int[], ${opts.slices.map((s) => s.periodId)}::int[]))`;
  const od = P.sql`
    od AS (
      SELECT a.id, a."unitId", a."templateId", a."periodId", a.deadline, a.status
      FROM "Assignment" a
      JOIN "UnitClosure" c ON c."descendantId" = a."unitId" AND c."ancestorId" = ANY(${roots}::int[])
      JOIN "Unit" u ON u.id = a."unitId" AND u.active
      JOIN "Template" t ON t.id = a."templateId" AND t.active
      WHERE a.status <> 'SUBMITTED' AND a.deadline < ${now}::timestamptz ${slice}
    )`;
  const [count] = await tx.$queryRaw<{ n: number }[]>(P.sql`WITH ${od} SELECT count(*)::int AS n FROM od`);
  const total = count?.n ?? 0;
  if (total === 0) return { total, rows: [] };
  const rows = await tx.$queryRaw<OverdueRow[]>(P.sql`
    WITH ${od}, top AS (SELECT * FROM od ORDER BY deadline, id LIMIT ${opts.limit}),
    ${workingDaysCte(P.sql`SELECT min(${localDay(P.sql`deadline`)}) FROM top`, now)}
    SELECT o.id AS "assignmentId", u.code AS "unitCode", u.name AS "unitName", t.title AS "templateTitle",
           p.label AS "periodLabel", o.deadline, (o.status = 'IN_PROGRESS') AS "inProgress",
           (SELECT string_agg(DISTINCT pe."fullName", ', ')
              FROM "Membership" m JOIN "Person" pe ON pe.id = m."personId"
              WHERE m."unitId" = o."unitId" AND m.role = 'HEAD' AND pe.active) AS heads,
           (SELECT max(ob."sentAt") FROM "OutboundMessage" ob
              WHERE ob."assignmentId" = o.id AND ob.status = 'SENT' AND ob.purpose IN ('reminder', 'escalation')) AS "lastReminded",
           (SELECT string_agg(DISTINCT ob.reason, ', ') FROM "OutboundMessage" ob
              WHERE ob."assignmentId" = o.id AND ob.status IN ('FAILED', 'UNCERTAIN')
                AND ob.purpose IN ('opened', 'reminder', 'escalation', 'nudge')) AS undelivered,
           (SELECT idx FROM wd WHERE d = ${today(now)}::date) - w.idx AS "daysLate"
    FROM top o
    JOIN "Unit" u ON u.id = o."unitId" JOIN "Template" t ON t.id = o."templateId" JOIN "Period" p ON p.id = o."periodId"
    LEFT JOIN wd w ON w.d = ${localDay(P.sql`o.deadline`)}
    ORDER BY o.deadline, u.name, o.id`);
  return { total, rows };
}

// ───────────── full status rows (export) ─────────────

interface StatusSqlRow {
  groupName: string | null;
  unitCode: string;
  unitName: string;
  deadline: Date;
  state: UnitState;
  submittedAt: Date | null;
  submittedBy: string | null;
  revision: number | null;
  reference: string | null;
  daysLate: number | null;
}

/**
 * Every assignment of the slices in the subtrees, with who submitted, which
 * revision, and working days late. Read one slice at a time, so a province
 * never holds the raw rows of every slice next to the mapped ones.
 */
export async function statusRows(tx: Tx, roots: readonly number[], slices: readonly Slice[], now: Date): Promise<StatusRow[]> {
  const out: StatusRow[] = [];
  for (const slice of slices) {
    const rows = await sliceStatusRows(tx, roots, slice, now);
    for (const r of rows) {
      out.push({
        group: r.groupName ?? "",
        unitCode: r.unitCode,
        unitName: r.unitName,
        templateTitle: slice.templateTitle,
        periodLabel: slice.periodLabel,
        deadline: r.deadline,
        state: r.state,
        submittedAt: r.submittedAt,
        submittedBy: r.submittedBy,
        revision: r.revision,
        reference: r.reference,
        daysLate: r.daysLate,
      });
    }
  }
  return out;
}

function sliceStatusRows(tx: Tx, roots: readonly number[], slice: Slice, now: Date): Promise<StatusSqlRow[]> {
  return tx.$queryRaw<StatusSqlRow[]>(P.sql`
    WITH ${selCte(roots, [slice], now)},
    ${workingDaysCte(P.sql`SELECT min(${localDay(P.sql`deadline`)}) FROM sel`, now)}
    SELECT pu.name AS "groupName", u.code AS "unitCode", u.name AS "unitName", s.deadline, s.state,
           r."submittedAt", r."submittedBy", r.number AS revision,
           -- A draft has its reference from the start; it is a receipt only once submitted.
           CASE WHEN s.state IN ('submitted_on_time', 'submitted_late') THEN sub.reference END AS reference,
           CASE
             WHEN s.state = 'submitted_late' THEN ws.idx - wd0.idx
             WHEN s.state = 'overdue' THEN (SELECT idx FROM wd WHERE d = ${today(now)}::date) - wd0.idx
           END AS "daysLate"
    FROM sel s
    JOIN "Unit" u ON u.id = s."unitId"
    LEFT JOIN "Unit" pu ON pu.id = u."parentId"
    LEFT JOIN "Submission" sub ON sub."assignmentId" = s.id
    LEFT JOIN LATERAL (
      SELECT rv.number, rv."submittedAt", pe."fullName" AS "submittedBy"
      FROM "Revision" rv JOIN "Person" pe ON pe.id = rv."submittedById"
      WHERE rv."submissionId" = sub.id ORDER BY rv.number DESC LIMIT 1
    ) r ON s.state IN ('submitted_on_time', 'submitted_late')
    LEFT JOIN wd wd0 ON wd0.d = ${localDay(P.sql`s.deadline`)}
    LEFT JOIN wd ws ON ws.d = ${localDay(P.sql`s."firstSubmittedAt"`)}
    ORDER BY pu.name NULLS FIRST, u.name, u.id`);
}

// ───────────── answers of the latest revisions ─────────────

export interface LatestAnswerRow {
  ord: number;
  unitId: number;
  unitName: string;
  path: string;
  questionName: string;
  value: unknown;
  numberValue: number | null;
}

/** The answers of the latest revision of every submitted report of the slices in the subtrees. */
export async function latestAnswers(
  tx: Tx,
  roots: readonly number[],
  slices: readonly Slice[],
  now: Date,
  opts: { questionNames?: readonly string[] } = {},
): Promise<LatestAnswerRow[]> {
  if (slices.length === 0) return [];
  const only = opts.questionNames === undefined ? P.empty : P.sql`AND ra."questionName" = ANY(${opts.questionNames}::text[])`;
  return tx.$queryRaw<LatestAnswerRow[]>(P.sql`
    WITH ${selCte(roots, slices, now)}
    SELECT s.ord, u.id AS "unitId", u.name AS "unitName", ra.path, ra."questionName", ra.value, ra."numberValue"::float8 AS "numberValue"
    FROM sel s
    JOIN "Unit" u ON u.id = s."unitId"
    ${latestRevision}
    JOIN "RevisionAnswer" ra ON ra."revisionId" = r.id ${only}
    WHERE s.state IN ('submitted_on_time', 'submitted_late')
    ORDER BY s.ord, u.name, u.id, ra.id`);
}

/** Units read per page of an export's answers. */
export const ANSWER_PAGE_UNITS = 1_000;

export interface ExportAnswerPage {
  /** The page's units with a submitted report, in the sheet's order (name, then id). */
  units: { id: number; name: string }[];
  /** Their answers, unit by unit in that order, each unit's in the order given. */
  answers: { unitId: number; path: string; value: unknown }[];
}

/**
 * The answers of the latest revisions of one slice's submitted reports in the
 * subtrees, a page of units at a time, so that a province's answers never
 * come back as one result. The same rows, in the same order, as
 * latestAnswers gives for the slice.
 */
export async function* exportAnswerPages(
  tx: Tx,
  roots: readonly number[],
  slice: Slice,
  now: Date,
  pageUnits: number = ANSWER_PAGE_UNITS,
): AsyncGenerator<ExportAnswerPage> {
  const done = P.sql`s.state IN ('submitted_on_time', 'submitted_late')`;
  let after: { id: number; name: string } | undefined;
  for (;;) {
    const from = after === undefined ? P.empty : P.sql`AND (u.name, u.id) > (${after.name}::text, ${after.id}::int)`;
    const units = await tx.$queryRaw<{ id: number; name: string }[]>(P.sql`
      WITH ${selCte(roots, [slice], now)}
      SELECT u.id, u.name FROM sel s JOIN "Unit" u ON u.id = s."unitId"
      WHERE ${done} ${from}
      GROUP BY u.id, u.name ORDER BY u.name, u.id LIMIT ${pageUnits}`);
    if (units.length === 0) return;
    const answers = await tx.$queryRaw<{ unitId: number; path: string; value: unknown }[]>(P.sql`
      WITH ${selCte(roots, [slice], now)}
      SELECT s."unitId", ra.path, ra.value
      FROM unnest(${units.map((u) => u.id)}::int[]) WITH ORDINALITY AS pg(id, n)
      JOIN sel s ON s."unitId" = pg.id AND ${done}
      ${latestRevision}
      JOIN "RevisionAnswer" ra ON ra."revisionId" = r.id
      ORDER BY pg.n, ra.id`);
    yield { units, answers };
    if (units.length < pageUnits) return;
    after = units[units.length - 1];
  }
}

export interface NumberSum {
  ord: number;
  questionName: string;
  units: number;
  answers: number;
  sum: number;
  avg: number;
  min: number;
  max: number;
}

/** Totals and averages of the numeric answers, per slice and question, from the latest revisions. */
export async function numberSums(tx: Tx, roots: readonly number[], slices: readonly Slice[], now: Date): Promise<NumberSum[]> {
  if (slices.length === 0) return [];
  return tx.$queryRaw<NumberSum[]>(P.sql`
    WITH ${selCte(roots, slices, now)}
    SELECT s.ord, ra."questionName", count(DISTINCT s."unitId")::int AS units, count(*)::int AS answers,
           sum(ra."numberValue")::float8 AS sum, avg(ra."numberValue")::float8 AS avg,
           min(ra."numberValue")::float8 AS min, max(ra."numberValue")::float8 AS max
    FROM sel s
    ${latestRevision}
    JOIN "RevisionAnswer" ra ON ra."revisionId" = r.id AND ra."numberValue" IS NOT NULL
    WHERE s.state IN ('submitted_on_time', 'submitted_late')
    GROUP BY s.ord, ra."questionName"
    ORDER BY s.ord, min(ra.id)`);
}

/** The latest form version of each template (for labels and columns). */
export async function latestForms(tx: Tx, templateIds: readonly number[]): Promise<Map<number, unknown>> {
  if (templateIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ templateId: number; definition: unknown }[]>(P.sql`
    SELECT DISTINCT ON (v."templateId") v."templateId", v.definition
    FROM "TemplateVersion" v WHERE v."templateId" = ANY(${templateIds}::int[])
    ORDER BY v."templateId", v.version DESC`);
  return new Map(rows.map((r) => [r.templateId, r.definition]));
}

// ───────────── grouping for charts ─────────────

export interface BarCount {
  barId: number;
  barName: string;
  state: UnitState;
  n: number;
}

/** Counts by state per direct child of each root (a root's own reports count under the root). */
export async function countsByChild(tx: Tx, roots: readonly number[], slices: readonly Slice[], now: Date): Promise<BarCount[]> {
  if (slices.length === 0) return [];
  return tx.$queryRaw<BarCount[]>(P.sql`
    WITH ${selCte(roots, slices, now)}
    SELECT coalesce(ch.id, s.root) AS "barId", coalesce(ch.name, ro.name) AS "barName", s.state, count(*)::int AS n
    FROM sel s
    JOIN "Unit" ro ON ro.id = s.root
    LEFT JOIN LATERAL (
      SELECT x.id, x.name FROM "UnitClosure" cx JOIN "Unit" x ON x.id = cx."ancestorId"
      WHERE cx."descendantId" = s."unitId" AND x."parentId" = s.root
    ) ch ON true
    GROUP BY 1, 2, 3 ORDER BY 2, 1, 3`);
}

export interface QuarterCount {
  quarter: number;
  state: UnitState;
  n: number;
}

/** Reports of a year by the quarter their window ends in, counting only those due by now or already submitted. */
export async function countsByQuarter(tx: Tx, roots: readonly number[], year: number, now: Date): Promise<QuarterCount[]> {
  return tx.$queryRaw<QuarterCount[]>(P.sql`
    SELECT extract(quarter FROM a."windowEnd")::int AS quarter, ${stateSql(now)} AS state, count(*)::int AS n
    FROM "Assignment" a
    JOIN "UnitClosure" c ON c."descendantId" = a."unitId" AND c."ancestorId" = ANY(${roots}::int[])
    JOIN "Unit" u ON u.id = a."unitId" AND u.active
    JOIN "Template" t ON t.id = a."templateId" AND t.active
    WHERE a."windowEnd" >= make_date(${year}::int, 1, 1) AND a."windowEnd" <= make_date(${year}::int, 12, 31)
    GROUP BY 1, 2 ORDER BY 1, 2`);
}

// ───────────── scorecard ─────────────

export interface ScoreRow {
  unitId: number;
  unitCode: string;
  unitName: string;
  due: number;
  onTime: number;
  late: number;
  overdue: number;
  avgDaysLate: number | null;
  /** Questions counted: answered on time, answered late, or unanswered past the deadline. */
  questions: number;
  questionsOnTime: number;
  questionsLate: number;
  questionsUnanswered: number;
}

/**
 * The questions (chất vấn) of a year that count for the scorecard, each with
 * its outcome, as a CTE named `qo` (columns: id, committeeId, targetUnitId,
 * targetPersonId, outcome). Only `ids` (those the person may see) and only
 * kind QUESTION: the rules do not count proposals and requests for
 * information as questions. The year is that of the deadline (or, without
 * one, of the asking), in Vietnam. Outcome: "on_time" when the first answer
 * came by the deadline (or there is none), "late" after it, "unanswered"
 * when still open past it; null (not counted) while open before the
 * deadline, open without one, or withdrawn unanswered.
 */
function questionOutcomesCte(ids: readonly number[], year: number, now: Date): P.Sql {
  return P.sql`
    qo AS (
      SELECT q.id, q."committeeId", q."targetUnitId", q."targetPersonId",
             CASE WHEN fa.at IS NOT NULL AND (q.deadline IS NULL OR fa.at <= q.deadline) THEN 'on_time'
                  WHEN fa.at IS NOT NULL THEN 'late'
                  WHEN q.status = 'OPEN' AND q.deadline < ${now}::timestamptz THEN 'unanswered' END AS outcome
      FROM "Question" q
      LEFT JOIN LATERAL (SELECT min(qa."createdAt") AS at FROM "QuestionAnswer" qa WHERE qa."questionId" = q.id) fa ON true
      WHERE q.id = ANY(${ids}::int[]) AND q.kind = 'QUESTION'
        AND extract(year FROM coalesce(q.deadline, q."createdAt") AT TIME ZONE ${P.raw(`'${TZ}'`)}) = ${year}
    )`;
}

const outcomeCounts = P.sql`
  count(*)::int AS questions,
  count(*) FILTER (WHERE outcome = 'on_time')::int AS "questionsOnTime",
  count(*) FILTER (WHERE outcome = 'late')::int AS "questionsLate",
  count(*) FILTER (WHERE outcome = 'unanswered')::int AS "questionsUnanswered"`;

/**
 * Per unit, over the reports of a year (by the year their window ends) that
 * are due by now or submitted: how many on time, late, still missing, and
 * the average working days late of those late or missing; and the questions
 * (chất vấn) put to the unit that year among `questionIds` (those the person
 * may see): answered on time, answered late, unanswered past the deadline.
 */
export async function scorecard(tx: Tx, roots: readonly number[], year: number, now: Date, questionIds: readonly number[]): Promise<ScoreRow[]> {
  return tx.$queryRaw<ScoreRow[]>(P.sql`
    WITH sel AS (
      SELECT DISTINCT a.id, a."unitId", a.deadline, a.status, a."submittedLate", a."firstSubmittedAt"
      FROM "Assignment" a
      JOIN "UnitClosure" c ON c."descendantId" = a."unitId" AND c."ancestorId" = ANY(${roots}::int[])
      JOIN "Unit" u ON u.id = a."unitId" AND u.active
      JOIN "Template" t ON t.id = a."templateId" AND t.active
      WHERE a."windowEnd" >= make_date(${year}::int, 1, 1) AND a."windowEnd" <= make_date(${year}::int, 12, 31)
        AND (a.status = 'SUBMITTED' OR a.deadline < ${now}::timestamptz)
    ),
    ${workingDaysCte(P.sql`SELECT min(${localDay(P.sql`deadline`)}) FROM sel`, now)},
    lateness AS (
      SELECT s."unitId",
             (s.status = 'SUBMITTED' AND s."submittedLate" IS NOT TRUE) AS on_time,
             (s.status = 'SUBMITTED' AND s."submittedLate" IS TRUE) AS late,
             (s.status <> 'SUBMITTED') AS missing,
             CASE WHEN s.status = 'SUBMITTED' AND s."submittedLate" IS TRUE THEN ws.idx - w0.idx
                  WHEN s.status <> 'SUBMITTED' THEN (SELECT idx FROM wd WHERE d = ${today(now)}::date) - w0.idx END AS days
      FROM sel s
      LEFT JOIN wd w0 ON w0.d = ${localDay(P.sql`s.deadline`)}
      LEFT JOIN wd ws ON ws.d = ${localDay(P.sql`s."firstSubmittedAt"`)}
    ),
    per AS (
      SELECT "unitId", count(*)::int AS due, count(*) FILTER (WHERE on_time)::int AS "onTime",
             count(*) FILTER (WHERE late)::int AS late, count(*) FILTER (WHERE missing)::int AS overdue,
             avg(days) FILTER (WHERE late OR missing)::float8 AS "avgDaysLate"
      FROM lateness GROUP BY "unitId"
    ),
    ${questionOutcomesCte(questionIds, year, now)},
    qs AS (
      SELECT qo."targetUnitId" AS "unitId", ${outcomeCounts}
      FROM qo
      JOIN "UnitClosure" c ON c."descendantId" = qo."targetUnitId" AND c."ancestorId" = ANY(${roots}::int[])
      WHERE qo.outcome IS NOT NULL
      GROUP BY qo."targetUnitId"
    )
    SELECT u.id AS "unitId", u.code AS "unitCode", u.name AS "unitName",
           coalesce(per.due, 0) AS due, coalesce(per."onTime", 0) AS "onTime", coalesce(per.late, 0) AS late,
           coalesce(per.overdue, 0) AS overdue, per."avgDaysLate",
           coalesce(qs.questions, 0) AS questions, coalesce(qs."questionsOnTime", 0) AS "questionsOnTime",
           coalesce(qs."questionsLate", 0) AS "questionsLate", coalesce(qs."questionsUnanswered", 0) AS "questionsUnanswered"
    FROM (SELECT "unitId" FROM per UNION SELECT "unitId" FROM qs) ids
    JOIN "Unit" u ON u.id = ids."unitId"
    LEFT JOIN per ON per."unitId" = ids."unitId"
    LEFT JOIN qs ON qs."unitId" = ids."unitId"`);
}

export interface PersonScoreRow {
  personId: number;
  fullName: string;
  questions: number;
  questionsOnTime: number;
  questionsLate: number;
  questionsUnanswered: number;
}

/**
 * Per person, the questions of a year put to them by name among
 * `questionIds` (those the caller may see), counted as for units. Only
 * people in the subtrees: a member of one of their units, or asked by one of
 * their committees.
 */
export async function personScores(tx: Tx, roots: readonly number[], year: number, now: Date, questionIds: readonly number[]): Promise<PersonScoreRow[]> {
  if (questionIds.length === 0 || roots.length === 0) return [];
  return tx.$queryRaw<PersonScoreRow[]>(P.sql`
    WITH ${questionOutcomesCte(questionIds, year, now)},
    scoped AS (
      SELECT qo."targetPersonId" AS id FROM qo
      JOIN "UnitClosure" c ON c."descendantId" = qo."committeeId" AND c."ancestorId" = ANY(${roots}::int[])
      UNION
      SELECT m."personId" FROM "Membership" m
      JOIN "Unit" u ON u.id = m."unitId" AND u.active
      JOIN "UnitClosure" c ON c."descendantId" = m."unitId" AND c."ancestorId" = ANY(${roots}::int[])
      WHERE m."personId" IN (SELECT "targetPersonId" FROM qo)
    )
    SELECT p.id AS "personId", p."fullName", ${outcomeCounts}
    FROM qo JOIN "Person" p ON p.id = qo."targetPersonId"
    WHERE qo.outcome IS NOT NULL AND p.id IN (SELECT id FROM scoped)
    GROUP BY p.id, p."fullName"`);
}
