// The storage side of filing a report. The conversation engine calls these
// inside one transaction per message; none reads the clock.
//
// Concurrency: every writer of a submission (saveAnswer, deleteAnswers,
// submit, discardDraft) first bumps Submission.version. That row lock
// serialises them until commit, so a submit snapshots a consistent set of
// answers and revision numbers cannot collide.
import { randomInt } from "node:crypto";
import type { Prisma, Tx } from "../db/database.ts";
import { Prisma as P, type AssignmentStatus } from "../db/generated/client.ts";
import { fromDbDate, toDbDate, type LocalDate } from "../calendar/dates.ts";
import { canFile, canFileSql, isEditable } from "./due.ts";
import { EditAfterDeadlineError, InvalidRequestError, NotAllowedToFileError, NotFoundError } from "./errors.ts";
import { defer, NeedsTransaction, optimisticOf, runWrite, WriteMissedError, type WriteOf } from "../db/deferred.ts";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// No 0/O, 1/I/L: references are read aloud and typed back from phones.
const REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const REFERENCE_LENGTH = 6;
const REFERENCE_ATTEMPTS = 8;

/** "BC-7KQ2MX": a receipt number for a report. */
export function newReference(random: (max: number) => number = randomInt): string {
  let s = "BC-";
  for (let i = 0; i < REFERENCE_LENGTH; i++) s += REFERENCE_ALPHABET.charAt(random(REFERENCE_ALPHABET.length));
  return s;
}

export interface OpenDraftResult {
  submissionId: number;
  reference: string;
  /** The Submission row was made by this call. */
  created: boolean;
}

/**
 * Gets or creates the assignment's working copy and marks the assignment
 * IN_PROGRESS if it was NOT_STARTED. Refuses a person who may not file it,
 * and a submitted report that can no longer be edited.
 */
export async function openDraft(
  tx: Tx,
  input: { assignmentId: number; personId: number; now: Date },
  deps: { reference?: () => string } = {},
): Promise<OpenDraftResult> {
  const makeReference = deps.reference ?? (() => newReference());
  const a = await tx.assignment.findUnique({
    where: { id: input.assignmentId },
    select: { id: true, status: true, deadline: true, template: { select: { editAfterDeadline: true } }, submission: { select: { id: true, reference: true } } },
  });
  if (!a) throw new NotFoundError("Assignment", input.assignmentId);
  if (!(await canFile(tx, input.personId, a.id))) throw new NotAllowedToFileError(input.personId, a.id);
  if (!isEditable({ status: a.status, deadline: a.deadline, editAfterDeadline: a.template.editAfterDeadline }, input.now)) {
    throw new EditAfterDeadlineError(a.id, a.deadline);
  }
  await tx.assignment.updateMany({ where: { id: a.id, status: "NOT_STARTED" }, data: { status: "IN_PROGRESS" } });
  if (a.submission) return { submissionId: a.submission.id, reference: a.submission.reference, created: false };

  for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
    // ON CONFLICT DO NOTHING covers both unique keys without aborting the
    // caller's transaction: a concurrent opener of the same assignment, or a
    // reference that is already taken.
    const { count } = await tx.submission.createMany({ data: [{ assignmentId: a.id, reference: makeReference() }], skipDuplicates: true });
    const row = await tx.submission.findUnique({ where: { assignmentId: a.id }, select: { id: true, reference: true } });
    if (row) return { submissionId: row.id, reference: row.reference, created: count === 1 };
  }
  throw new Error(`no free submission reference after ${REFERENCE_ATTEMPTS} attempts`);
}

/** Bumps the version, taking the submission's row lock; throws when the submission does not exist. */
async function lockSubmission(tx: Tx, submissionId: number): Promise<void> {
  const { count } = await tx.submission.updateMany({ where: { id: submissionId }, data: { version: { increment: 1 } } });
  if (count === 0) throw new NotFoundError("Submission", submissionId);
}

function jsonInput(value: JsonValue): P.InputJsonValue | typeof P.JsonNull {
  // Prisma needs a marker for a top-level JSON null; nested nulls pass as they are.
  return value === null ? P.JsonNull : value;
}

/** Saves (or replaces) the draft answer at `path`. */
export async function saveAnswer(
  tx: Tx,
  input: { submissionId: number; path: string; value: JsonValue; personId: number; now: Date },
): Promise<void> {
  try {
    await runWrite(tx, answersWrite({ ...input, answers: [{ path: input.path, value: input.value }] }));
  } catch (err) {
    if (err instanceof WriteMissedError) throw new NotFoundError("Submission", input.submissionId);
    throw err;
  }
}

/** Moves the submission's version (taking its row lock), as every writer of a draft does; returns the row. */
function bumpVersion(submissionId: number, guard: P.Sql = P.sql`TRUE`): P.Sql {
  return P.sql`UPDATE "Submission" SET version = version + 1, "updatedAt" = now() WHERE id = ${submissionId} AND ${guard}
    RETURNING id, reference, "assignmentId", version`;
}

/**
 * Saves (or replaces) draft answers, one per path, as one write: the draft's
 * version moves (as lockSubmission) and the answers are written.
 */
export function answersWrite(input: { submissionId: number; answers: { path: string; value: JsonValue }[]; personId: number; now: Date }): WriteOf {
  return (name, guard) => ({
    what: `Submission ${input.submissionId}`,
    atLeast: 1,
    ctes: [
      [name("locked"), bumpVersion(input.submissionId, guard)],
      [
        name("answers"),
        P.sql`INSERT INTO "Answer" ("submissionId", path, value, "answeredById", "answeredAt")
          SELECT l.id, a.path, a.value, ${input.personId}, ${input.now}
          FROM ${P.raw(`"${name("locked")}"`)} l, unnest(${input.answers.map((a) => a.path)}::text[], ${input.answers.map((a) => JSON.stringify(a.value))}::jsonb[]) AS a(path, value)
          ON CONFLICT ("submissionId", path) DO UPDATE
            SET value = EXCLUDED.value, "answeredById" = EXCLUDED."answeredById", "answeredAt" = EXCLUDED."answeredAt"
          RETURNING 1`,
      ],
    ],
  });
}

/**
 * Deletes draft answers: the given paths, or everything under a prefix —
 * "nghi_quyet[2]" removes that repeat entry ("nghi_quyet[2].so_hieu"...) but
 * not "nghi_quyet[20]". Returns how many were deleted.
 */
export async function deleteAnswers(
  tx: Tx,
  input: { submissionId: number } & ({ paths: string[] } | { prefix: string }),
): Promise<number> {
  await lockSubmission(tx, input.submissionId);
  const where: P.AnswerWhereInput =
    "paths" in input
      ? { submissionId: input.submissionId, path: { in: input.paths } }
      : {
          submissionId: input.submissionId,
          OR: [{ path: input.prefix }, { path: { startsWith: `${input.prefix}.` } }, { path: { startsWith: `${input.prefix}[` } }],
        };
  return (await tx.answer.deleteMany({ where })).count;
}

export interface DraftAnswer {
  value: JsonValue;
  answeredById: number;
  answeredAt: Date;
}

export async function draftAnswers(tx: Prisma | Tx, submissionId: number): Promise<Map<string, DraftAnswer>> {
  const rows = await tx.answer.findMany({
    where: { submissionId },
    select: { path: true, value: true, answeredById: true, answeredAt: true },
    orderBy: { id: "asc" },
  });
  return new Map(rows.map((r) => [r.path, { value: r.value as JsonValue, answeredById: r.answeredById, answeredAt: r.answeredAt }]));
}

/** One answer of a submission, typed by the engine from the form. */
export interface SubmittedAnswer {
  path: string;
  /** The path without repeat indexes, e.g. "nghi_quyet.so_hieu". */
  questionName: string;
  repeatIndex?: number | null;
  value: JsonValue;
  /** Decimal as a number or an exact string ("1234.5"). */
  numberValue?: number | string | null;
  dateValue?: LocalDate | null;
  textValue?: string | null;
}

/**
 * The draft moved after the answers given to submit were read from it (a
 * colleague's answer): thrown in a transaction, which now holds the
 * submission's lock, so the caller reads the draft again and submits that.
 */
export class DraftMovedError extends Error {
  constructor(submissionId: number) {
    super(`Submission ${submissionId}: the draft changed after it was read`);
    this.name = "DraftMovedError";
  }
}

export interface SubmitResult {
  revisionNumber: number;
  submittedAt: Date;
  /** This revision came after the deadline. */
  late: boolean;
  reference: string;
}

/**
 * Snapshots the answers into the next Revision; earlier revisions are never
 * touched. A first submission is always accepted, late or not (late reports
 * must be counted, not lost); a later one is refused after the deadline
 * unless the template allows editing after it.
 *
 * Assignment.submittedLate records whether the FIRST submission was late and
 * never changes after: whether the unit reported on time is the fact that
 * counts, and a correction after the deadline must not turn an on-time
 * report into a late one (each Revision keeps its own `late`).
 */
export async function submit(
  tx: Tx,
  input: {
    submissionId: number;
    personId: number;
    now: Date;
    answers: SubmittedAnswer[];
    /**
     * The draft's version the answers were read at (Filing.draftVersion),
     * null when not known: a draft that moved since throws DraftMovedError
     * (NeedsTransaction on the first try). Left out, the caller vouches for
     * its answers.
     */
    readAt?: number | null;
  },
  /**
   * `writeLater`: the revision goes with the message's final statement
   * (db/deferred.ts) instead of now; only for a caller whose transaction
   * ends with takeDeferred, as the conversation's does.
   */
  options: { writeLater?: boolean } = {},
): Promise<SubmitResult> {
  const paths = new Set<string>();
  for (const a of input.answers) {
    if (paths.has(a.path)) throw new InvalidRequestError(`answer path "${a.path}" given twice`);
    paths.add(a.path);
    if (typeof a.numberValue === "number" && !Number.isFinite(a.numberValue)) {
      throw new InvalidRequestError(`answer "${a.path}" has a non-finite number`);
    }
  }

  const s = await lockForSubmit(tx, input.submissionId, input.personId, options.writeLater === true, input.readAt);
  if (!s.canFile) throw new NotAllowedToFileError(input.personId, s.assignmentId);
  const late = input.now.getTime() > s.deadline.getTime();
  if (s.lastNumber !== null && late && !s.editAfterDeadline) throw new EditAfterDeadlineError(s.assignmentId, s.deadline);

  const number = (s.lastNumber ?? 0) + 1;
  const answers = input.answers.map((x) => ({
    path: x.path,
    questionName: x.questionName,
    repeatIndex: x.repeatIndex ?? null,
    value: x.value,
    numberValue: x.numberValue ?? null,
    dateValue: x.dateValue == null ? null : toDbDate(x.dateValue).toISOString().slice(0, 10),
    textValue: x.textValue ?? null,
    answeredById: Object.hasOwn(s.drafts, x.path) ? (s.drafts[x.path] ?? input.personId) : input.personId,
  }));
  const revision = { submissionId: s.id, number, templateVersionId: s.templateVersionId, personId: input.personId, now: input.now, late, answers, bump: s.bump };
  const details = { assignmentId: s.assignmentId, reference: s.reference, revision: number, late, answers: answers.length };
  const writes = [revisionWrite(revision), submittedWrite({ assignmentId: s.assignmentId, submissionId: s.id, personId: input.personId, now: input.now, late, details })];
  if (options.writeLater) for (const w of writes) defer(tx, w);
  else await runWrite(tx, ...writes);
  return { revisionNumber: number, submittedAt: input.now, late, reference: s.reference };
}

interface SubmitRow {
  id: number;
  reference: string;
  assignmentId: number;
  deadline: Date;
  templateVersionId: number;
  editAfterDeadline: boolean;
  /** The latest revision's number; null before the first submission. */
  lastNumber: number | null;
  canFile: boolean;
  /** Who gave each draft answer, by path. */
  drafts: Record<string, number>;
  /** The version the statement's snapshot saw, and the one it locked. */
  seen: number;
  version: number;
}

/**
 * Locks the submission (as lockSubmission) and reads what a submit needs, in
 * one statement. Its reads come from the statement's snapshot, taken before
 * any wait for the lock: when a colleague's write got in between (the
 * version moved by more than this bump), the statement runs again, now
 * holding the lock, so who gave each answer is read as that writer left it.
 * (The answers themselves are the caller's: `readAt` checks those.)
 *
 * Handled without a transaction (db/deferred.ts), it reads without the lock
 * instead: the final statement writes only if the version is still the one
 * the answers were read at, and bumps it then.
 */
async function lockForSubmit(tx: Tx, submissionId: number, personId: number, writeLater: boolean, readAt: number | null | undefined): Promise<SubmitRow & { bump: boolean }> {
  const try1 = optimisticOf(tx);
  if (try1) {
    // Only answers read at a known version can be checked at the end.
    if (!writeLater || readAt === undefined || readAt === null) throw new NeedsTransaction();
    const [row] = await try1.run<SubmitRow>(submitRead(P.sql`SELECT id, reference, "assignmentId", version FROM "Submission" WHERE id = ${submissionId}`, submissionId, personId));
    if (!row) throw new NotFoundError("Submission", submissionId);
    if (row.version !== readAt) throw new NeedsTransaction();
    // The lock the version's UPDATE takes: FOR UPDATE would also wait for rows being inserted that refer to the submission.
    try1.unchanged.push(P.sql`SELECT 1 FROM "Submission" WHERE id = ${submissionId} AND version = ${readAt} FOR NO KEY UPDATE`);
    return { ...row, bump: true };
  }
  const locked = bumpVersion(submissionId);
  for (let attempt = 0; ; attempt++) {
    const [row] = await tx.$queryRaw<SubmitRow[]>(submitRead(locked, submissionId, personId));
    if (!row) throw new NotFoundError("Submission", submissionId);
    if (readAt !== undefined && (readAt === null || row.version !== readAt + 1)) throw new DraftMovedError(submissionId);
    if (row.version === row.seen + 1 || attempt > 0) return { ...row, bump: false };
  }
}

/** What a submit reads about the submission `row` gives (its id, reference, assignment and version). */
function submitRead(row: P.Sql, submissionId: number, personId: number): P.Sql {
  return P.sql`
    WITH seen AS (SELECT version FROM "Submission" WHERE id = ${submissionId}),
    s AS (${row})
    SELECT s.id, s.reference, a.id AS "assignmentId", a.deadline, a."templateVersionId", t."editAfterDeadline",
      (SELECT max(r.number) FROM "Revision" r WHERE r."submissionId" = s.id) AS "lastNumber",
      ${canFileSql(P.sql`${personId}`)} AS "canFile",
      coalesce((SELECT json_object_agg(x.path, x."answeredById") FROM "Answer" x WHERE x."submissionId" = s.id), '{}'::json) AS drafts,
      (SELECT version FROM seen) AS seen, s.version
    FROM s
    JOIN "Assignment" a ON a.id = s."assignmentId"
    JOIN "Template" t ON t.id = a."templateId"
    JOIN "Unit" u ON u.id = a."unitId"`;
}

/** A new revision and its answers (a JSON null answer stays a JSON null), as one write. */
function revisionWrite(r: {
  submissionId: number;
  number: number;
  templateVersionId: number;
  personId: number;
  now: Date;
  late: boolean;
  answers: { path: string; value: JsonValue; answeredById: number }[];
  /** Moves the version here: the submission was read without its lock. */
  bump: boolean;
}): WriteOf {
  return (name, guard) => ({
    what: `Submission ${r.submissionId}`,
    atLeast: r.answers.length,
    ctes: [
      ...(r.bump
        ? [[name("bumped"), bumpVersion(r.submissionId, guard)] as [string, P.Sql]]
        : []),
      [
        name("revision"),
        P.sql`INSERT INTO "Revision" ("submissionId", number, "templateVersionId", "submittedById", "submittedAt", late)
          SELECT ${r.submissionId}, ${r.number}, ${r.templateVersionId}, ${r.personId}, ${r.now}, ${r.late} WHERE ${guard}
          RETURNING id`,
      ],
      [
        name("answers"),
        P.sql`INSERT INTO "RevisionAnswer" ("revisionId", path, "questionName", "repeatIndex", value, "numberValue", "dateValue", "textValue", "answeredById")
          SELECT v.id, x.path, x."questionName", x."repeatIndex", coalesce(x.value, 'null'::jsonb), x."numberValue", x."dateValue", x."textValue", x."answeredById"
          FROM ${P.raw(`"${name("revision")}"`)} v, jsonb_to_recordset(${JSON.stringify(r.answers)}::jsonb)
            AS x(path text, "questionName" text, "repeatIndex" int, value jsonb, "numberValue" numeric, "dateValue" date, "textValue" text, "answeredById" int)
          RETURNING 1`,
      ],
    ],
  });
}

/** The assignment submitted (first submission's lateness kept) and the audit row, as one write. */
function submittedWrite(w: { assignmentId: number; submissionId: number; personId: number; now: Date; late: boolean; details: object }): WriteOf {
  return (name, guard) => ({
    what: `Assignment ${w.assignmentId}`,
    atLeast: 1,
    ctes: [
      [
        name("audited"),
        P.sql`INSERT INTO "AuditLog" (at, "actorId", action, "entityType", "entityId", details)
          SELECT ${w.now}, ${w.personId}, 'report.submitted', 'Submission', ${String(w.submissionId)}, ${JSON.stringify(w.details)}::jsonb WHERE ${guard}
          RETURNING 1`,
      ],
      [
        name("assigned"),
        P.sql`UPDATE "Assignment" SET status = 'SUBMITTED', "lastSubmittedAt" = ${w.now}, "updatedAt" = now(),
            "firstSubmittedAt" = coalesce("firstSubmittedAt", ${w.now}),
            "submittedLate" = CASE WHEN "firstSubmittedAt" IS NULL THEN ${w.late} ELSE "submittedLate" END
          WHERE id = ${w.assignmentId} AND ${guard}
          RETURNING 1`,
      ],
    ],
  });
}

async function loadForWrite(tx: Tx, submissionId: number) {
  return tx.submission.findUniqueOrThrow({
    where: { id: submissionId },
    select: {
      id: true,
      reference: true,
      assignment: {
        select: {
          id: true,
          status: true,
          deadline: true,
          firstSubmittedAt: true,
          templateVersionId: true,
          template: { select: { editAfterDeadline: true } },
        },
      },
      revisions: { select: { id: true, number: true, submittedById: true, submittedAt: true }, orderBy: { number: "desc" }, take: 1 },
    },
  });
}

export interface DiscardResult {
  /** The revision whose answers are the draft again; null when the report was never submitted. */
  restoredRevision: number | null;
  status: AssignmentStatus;
}

/**
 * Drops unsubmitted edits. Never submitted: the draft is emptied and the
 * assignment goes back to NOT_STARTED (the Submission row and its reference
 * stay). Submitted before: the draft becomes the latest revision again.
 */
export async function discardDraft(tx: Tx, input: { submissionId: number; personId: number; now: Date }): Promise<DiscardResult> {
  await lockSubmission(tx, input.submissionId);
  const s = await loadForWrite(tx, input.submissionId);
  if (!(await canFile(tx, input.personId, s.assignment.id))) throw new NotAllowedToFileError(input.personId, s.assignment.id);
  await tx.answer.deleteMany({ where: { submissionId: s.id } });
  const last = s.revisions[0];
  if (!last) {
    await tx.assignment.update({ where: { id: s.assignment.id }, data: { status: "NOT_STARTED" }, select: { id: true } });
    return { restoredRevision: null, status: "NOT_STARTED" };
  }
  const kept = await tx.revisionAnswer.findMany({
    where: { revisionId: last.id },
    select: { path: true, value: true, answeredById: true },
    orderBy: { id: "asc" },
  });
  if (kept.length > 0) {
    await tx.answer.createMany({
      data: kept.map((k) => ({
        submissionId: s.id,
        path: k.path,
        value: jsonInput(k.value as JsonValue),
        answeredById: k.answeredById ?? last.submittedById,
        answeredAt: last.submittedAt,
      })),
    });
  }
  return { restoredRevision: last.number, status: s.assignment.status };
}

// ───────────── reading revisions ─────────────

export interface RevisionInfo {
  id: number;
  number: number;
  submittedAt: Date;
  submittedById: number;
  submittedByName: string;
  late: boolean;
  templateVersionId: number;
}

/** Every revision of a submission, oldest first. */
export async function revisions(db: Prisma | Tx, submissionId: number): Promise<RevisionInfo[]> {
  const rows = await db.revision.findMany({
    where: { submissionId },
    select: {
      id: true,
      number: true,
      submittedAt: true,
      submittedById: true,
      submittedBy: { select: { fullName: true } },
      late: true,
      templateVersionId: true,
    },
    orderBy: { number: "asc" },
  });
  return rows.map(({ submittedBy, ...r }) => ({ ...r, submittedByName: submittedBy.fullName }));
}

export interface RevisionAnswerInfo {
  path: string;
  questionName: string;
  repeatIndex: number | null;
  value: JsonValue;
  /** Exact decimal text, e.g. "12.5". */
  numberValue: string | null;
  dateValue: LocalDate | null;
  textValue: string | null;
  answeredById: number | null;
}

/** A revision's answers in the order they were submitted. */
export async function revisionAnswers(db: Prisma | Tx, revisionId: number): Promise<RevisionAnswerInfo[]> {
  const rows = await db.revisionAnswer.findMany({
    where: { revisionId },
    select: { path: true, questionName: true, repeatIndex: true, value: true, numberValue: true, dateValue: true, textValue: true, answeredById: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({
    ...r,
    value: r.value as JsonValue,
    numberValue: r.numberValue === null ? null : r.numberValue.toString(),
    dateValue: r.dateValue === null ? null : fromDbDate(r.dateValue),
  }));
}
