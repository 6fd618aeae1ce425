// The data behind an export and a chart, as the committee queries produce
// it; the workbook, CSV and PNG builders only format it.

// Here rather than beside their builders, so naming a file's type does not
// load exceljs or resvg (they are loaded on the first export).
export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_MIME = "text/csv; charset=utf-8";
export const PNG_MIME = "image/png";
export const ZIP_MIME = "application/zip";

/**
 * A Date in a "date" column may be 00:00 UTC (Prisma @db.Date) or Vietnam
 * midnight, and a "YYYY-MM-DD" string is read as a date too; exports show the
 * Vietnam calendar day either way.
 */
export type CellValue = string | number | boolean | Date | null;

export interface StatusRow {
  /** Parent unit's name, for grouping. */
  group: string;
  unitCode: string;
  unitName: string;
  templateTitle: string;
  periodLabel: string;
  deadline: Date;
  /** "submitted_on_time" | "submitted_late" | "in_progress" | "not_started" | "overdue" */
  state: "submitted_on_time" | "submitted_late" | "in_progress" | "not_started" | "overdue";
  submittedAt: Date | null;
  submittedBy: string | null;
  revision: number | null;
  reference: string | null;
  /** Working days late (submitted late, or overdue and still missing). */
  daysLate: number | null;
}

export interface QuestionColumn {
  /** Answer path without repeat indexes, e.g. "so_van_ban" or "nghi_quyet[].so_hieu". */
  key: string;
  header: string;
  type: "text" | "number" | "date" | "boolean" | "list";
}

export interface TemplateSheet {
  templateTitle: string;
  periodLabel: string;
  columns: QuestionColumn[];
  /** One row per unit: unit name, then one value per column (repeat questions excluded). */
  rows: { unitName: string; values: CellValue[] }[];
  /** Repeat groups get their own sheet: one row per entry. */
  repeats: {
    title: string;
    columns: QuestionColumn[];
    rows: { unitName: string; entry: number; values: CellValue[] }[];
  }[];
}

/**
 * One question (chất vấn), proposal or request for information of the
 * committee's register, as the person exporting may see it.
 */
export interface QuestionRow {
  reference: string;
  /** The committee the question was put in. */
  committee: string;
  askedAt: Date;
  askedBy: string;
  /** The office person who typed it on the member's behalf. */
  enteredBy: string | null;
  kind: "QUESTION" | "PROPOSAL" | "INFO_REQUEST";
  /** The unit's, the person's or the body's name. */
  addressee: string;
  conference: string | null;
  deadline: Date | null;
  /** "open_overdue": still open, its deadline passed at export time. */
  state: "open" | "open_overdue" | "answered" | "closed";
  /** When the first answer was sent. */
  firstAnswerAt: Date | null;
  /** First answer by the deadline (or no deadline); false when still unanswered past it; null when not yet due or withdrawn unanswered. */
  answeredOnTime: boolean | null;
  /** Answer revisions sent. */
  answers: number;
  verdict: "SATISFIED" | "NOT_SATISFIED" | null;
  verdictComment: string | null;
  /** The reference of the question this follows up, when the person may see it. */
  followUpOf: string | null;
  /** The question as put, cut to what a cell holds. */
  text: string;
}

export interface ExportData {
  title: string;
  generatedAt: Date;
  status: StatusRow[];
  templates: TemplateSheet[];
  /** The questions sheet; none (absent or empty) means no sheet and no file. */
  questions?: QuestionRow[];
}

/** A bar per unit (progress of one period) or per period (on-time rate over a year). */
export interface ChartSpec {
  title: string;
  subtitle?: string;
  kind: "progress" | "on_time_rate";
  bars: { label: string; value: number; max: number; segments?: { state: StatusRow["state"]; count: number }[] }[];
}
