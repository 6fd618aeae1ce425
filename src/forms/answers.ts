// Reading what an official typed (or tapped, or sent) into a typed answer,
// and writing an answer back for the review screen. Every refusal is a
// polite Vietnamese sentence that says what is expected.
//
// Numbers, as Vietnamese write them (see readNumber):
//   "1.234" "1 234" "1234" → 1234   "12,5" "1.234,5" → decimal comma
//   "12.5" "12.25" → decimal point: a single dot followed by 1–2 digits (or 4+)
//   "1.234" → thousands: a single dot followed by exactly 3 digits, after 1–3 digits not starting with 0
//   "1,234.5" → English style is read too: when both marks appear, the last one is the decimal mark
//   "45%" → 45
import { formatVietnameseDate, isLocalDate, parseVietnameseDate, type LocalDate } from "../calendar/dates.ts";
import { vi } from "../texts/vi.ts";
import { detectConfidential, detectConfidentialFileName } from "./confidential.ts";
import { fileRulesOf, textLimitsOf, type Choice, type FileFormat, type Question } from "./template-schema.ts";

/** A tapped button (Telegram callback data): the choice value itself. */
export interface ChoiceInput {
  type: "choice";
  value: string;
}

/** A file as the channel adapter describes it (InboundContent "file" fits). */
export interface FileInput {
  kind: "document" | "photo";
  fileId?: string;
  fileName?: string;
  mimeType?: string;
  sizeBytes?: number;
}

/** Typed text, a tapped choice, or a file. */
export type AnswerInput = string | ChoiceInput | FileInput;

export interface FileAnswer {
  kind: "document" | "photo";
  format: FileFormat;
  fileId?: string;
  fileName?: string;
  mimeType?: string;
  sizeBytes?: number;
}

/**
 * integer, decimal: number; date: "YYYY-MM-DD"; yes_no: boolean;
 * select_one: the choice value; select_multiple: choice values in the
 * template's order; text, long_text: string; file: FileAnswer.
 */
export type AnswerValue = string | number | boolean | string[] | FileAnswer;

export type AnswerResult = { ok: true; value: AnswerValue } | { ok: false; error: string };

const t = vi.forms.answer;

const ok = (value: AnswerValue): AnswerResult => ({ ok: true, value });
const fail = (error: string): AnswerResult => ({ ok: false, error });

function isChoiceInput(input: AnswerInput): input is ChoiceInput {
  return typeof input === "object" && "type" in input && (input as { type: unknown }).type === "choice";
}

/** Parses one answer to one question. Note, group and repeat take no answer: calling with them is a bug. */
export function parseAnswer(question: Question, input: AnswerInput): AnswerResult {
  const q = question;
  if (q.type === "note" || q.type === "group" || q.type === "repeat") {
    throw new TypeError(`question "${q.name}" (${q.type}) takes no answer`);
  }
  if (q.type === "file") {
    if (typeof input === "string" || isChoiceInput(input)) return fail(t.needFile(formatList(fileRulesOf(q).accept)));
    return parseFile(q, input);
  }
  if (typeof input !== "string" && !isChoiceInput(input)) return fail(t.needText);
  if (isChoiceInput(input) && (q.type === "select_one" || q.type === "select_multiple")) {
    const choice = (q.choices ?? []).find((c) => c.value === input.value);
    if (!choice) return fail(t.chooseOne(q.choices?.length ?? 0));
    return q.type === "select_one" ? ok(choice.value) : checkCount(q, [choice.value]);
  }
  const text = (isChoiceInput(input) ? input.value : input).normalize("NFC").trim();
  if (text === "") return fail(t.empty);
  switch (q.type) {
    case "integer":
      return parseInteger(q, text);
    case "decimal":
      return parseDecimal(q, text);
    case "date":
      return parseDate(q, text);
    case "yes_no":
      return parseYesNo(text);
    case "select_one":
      return parseSelectOne(q, text);
    case "select_multiple":
      return parseSelectMultiple(q, text);
    case "text":
    case "long_text":
      return parseText(q, text);
  }
}

// ───────── numbers ─────────

type NumberReading = { ok: true; value: number; fraction: boolean } | { ok: false };

const GROUPED = (sep: string) => new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`);
// "không" is how people say zero when asked "how many".
const ZERO_WORDS = new Set(["khong", "khong co", "ko", "ko co", "k co"]);

/** Reads a number written the Vietnamese way (rules at the top of this file). */
export function readNumber(raw: string): NumberReading {
  const invalid: NumberReading = { ok: false };
  let s = raw.normalize("NFC").trim();
  if (ZERO_WORDS.has(fold(s))) return { ok: true, value: 0, fraction: false };
  if (s.endsWith("%")) s = s.slice(0, -1).trim();
  let sign = 1;
  if (/^[-−–+]/.test(s)) {
    if (s.charAt(0) !== "+") sign = -1;
    s = s.slice(1).trim();
  }
  // Spaces may only separate thousands: "1 234 567", "1 234,5".
  if (/\s/.test(s)) {
    const spaced = s.replace(/\s+/g, " ");
    if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(spaced)) return invalid;
    s = spaced.replaceAll(" ", "");
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return invalid;
  const dots = s.split(".").length - 1;
  const commas = s.split(",").length - 1;
  let whole = s;
  let fraction: string | undefined;
  const split = (decimalMark: string, thousandsMark: string): boolean => {
    const at = s.lastIndexOf(decimalMark);
    whole = s.slice(0, at);
    fraction = s.slice(at + 1);
    if (!/^\d+$/.test(fraction)) return false;
    if (whole.includes(thousandsMark)) {
      if (!GROUPED(thousandsMark).test(whole)) return false;
      whole = whole.replaceAll(thousandsMark, "");
    }
    return /^\d*$/.test(whole);
  };
  if (dots > 0 && commas > 0) {
    const decimalMark = s.lastIndexOf(",") > s.lastIndexOf(".") ? "," : ".";
    if ((decimalMark === "," ? commas : dots) !== 1) return invalid;
    if (!split(decimalMark, decimalMark === "," ? "." : ",")) return invalid;
  } else if (commas === 1) {
    if (!split(",", ".")) return invalid;
  } else if (commas > 1 || dots > 1) {
    const mark = commas > 1 ? "," : ".";
    if (!GROUPED(mark).test(s)) return invalid;
    whole = s.replaceAll(mark, "");
  } else if (dots === 1) {
    const [before = "", after = ""] = s.split(".");
    const thousands = after.length === 3 && before.length >= 1 && before.length <= 3 && !before.startsWith("0");
    if (thousands) whole = before + after;
    else if (!split(".", ",")) return invalid;
  }
  const value = sign * Number(`${whole === "" ? "0" : whole}${fraction === undefined ? "" : `.${fraction}`}`);
  if (!Number.isFinite(value)) return invalid;
  return { ok: true, value: value === 0 ? 0 : value, fraction: fraction !== undefined && /[1-9]/.test(fraction) };
}

function parseInteger(q: Question, text: string): AnswerResult {
  const r = readNumber(withoutFullStop(text));
  if (!r.ok) return fail(t.notInteger);
  // "1,234" is one thousand to someone used to English; say why it is refused.
  if (r.fraction) return fail(/,\d{3}$/.test(text) ? t.ambiguousComma : t.integerHasFraction(text));
  if (!Number.isSafeInteger(r.value)) return fail(t.notInteger);
  return checkRange(q, r.value);
}

function parseDecimal(q: Question, text: string): AnswerResult {
  const r = readNumber(withoutFullStop(text));
  if (!r.ok) return fail(t.notNumber);
  return checkRange(q, r.value);
}

/** "12." and "15/9/2026." end a sentence; the full stop is not part of the number. */
function withoutFullStop(text: string): string {
  return text.replace(/(?<=\d)[.!]+$/, "");
}

function checkRange(q: Question, value: number): AnswerResult {
  const { min, max, message } = q.constraint ?? {};
  // Reports count things: a negative number is a typo unless the template allows it.
  if (value < 0 && !(min !== undefined && min < 0)) return fail(message ?? t.negative);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    if (message !== undefined) return fail(message);
    if (min !== undefined && max !== undefined) return fail(t.between(formatNumber(min), formatNumber(max)));
    return fail(min !== undefined ? t.atLeast(formatNumber(min)) : t.atMost(formatNumber(max ?? 0)));
  }
  return ok(value);
}

/** 1234567.5 → "1.234.567,5" */
export function formatNumber(n: number): string {
  const [whole = "0", fraction] = String(Math.abs(n)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${n < 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `,${fraction}`}`;
}

// ───────── dates ─────────

const DMY = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const WORDS_DMY = /^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|,)\s*(\d{4})$/;
const DM_ONLY = /^(?:ngay\s*)?(\d{1,2})\s*(?:[/.-]|thang)\s*(\d{1,2})$/;

/** "15/9/2026", "15-09-2026", "15.09.26", "2026-09-15", "ngày 15 tháng 9 năm 2026" → "2026-09-15". */
function parseDate(q: Question, text: string): AnswerResult {
  const s = fold(withoutFullStop(text));
  let parts: [string, string, string] | undefined;
  const dmy = DMY.exec(s) ?? WORDS_DMY.exec(s);
  const ymd = YMD.exec(s);
  if (dmy?.[1] && dmy[2] && dmy[3]) parts = [dmy[1], dmy[2], dmy[3]];
  else if (ymd?.[1] && ymd[2] && ymd[3]) parts = [ymd[3], ymd[2], ymd[1]];
  if (!parts) return fail(DM_ONLY.test(s) ? t.noYear : t.notDate);
  const [d, m, y] = parts;
  // Two-digit years are this century: nobody reports on 1926.
  const year = y.length === 2 ? `20${y}` : y;
  const typed = `${d.padStart(2, "0")}/${m.padStart(2, "0")}/${year}`;
  const date = parseVietnameseDate(typed);
  if (!date) return fail(t.impossibleDate(typed));
  return checkDateRange(q, date);
}

function checkDateRange(q: Question, date: LocalDate): AnswerResult {
  const { min_date: min, max_date: max, message } = q.constraint ?? {};
  if ((min !== undefined && date < min) || (max !== undefined && date > max)) {
    if (message !== undefined) return fail(message);
    const show = (d: string) => (isLocalDate(d) ? formatVietnameseDate(d) : d);
    if (min !== undefined && max !== undefined) return fail(t.dateBetween(show(min), show(max)));
    return fail(min !== undefined ? t.dateFrom(show(min)) : t.dateUntil(show(max ?? "")));
  }
  return ok(date);
}

// ───────── yes / no ─────────

const YES = new Set(["co", "c", "yes", "y", "1", "dung", "roi", "true", "vang", "da", "ok", "co a", "da co", "roi a", "dung vay", "x"]);
const NO = new Set(["khong", "k", "ko", "kg", "no", "n", "0", "chua", "sai", "false", "khong co", "chua co", "khong a", "chua a"]);

function parseYesNo(text: string): AnswerResult {
  const s = fold(text).replace(/[.!]+$/, "").trim();
  if (YES.has(s)) return ok(true);
  if (NO.has(s)) return ok(false);
  return fail(t.yesNo);
}

// ───────── choices ─────────

/** One typed item: a position, a label, or a value; "2. Hoàn thành tốt" (copied from the list) too. */
function findChoice(choices: readonly Choice[], item: string): Choice | undefined {
  const s = item.trim();
  if (/^\d+$/.test(s)) {
    const byPosition = choices[Number(s) - 1];
    if (byPosition) return byPosition;
  }
  const numbered = /^(\d+)\s*[.):-]\s*(.+)$/.exec(s);
  if (numbered?.[1] && numbered[2]) {
    const c = choices[Number(numbered[1]) - 1];
    if (c && findByText(choices, numbered[2]) === c) return c;
  }
  return findByText(choices, s);
}

function findByText(choices: readonly Choice[], s: string): Choice | undefined {
  const exact = choices.find((c) => c.value === s);
  if (exact) return exact;
  // Diacritics matter when two labels differ only by them; otherwise people may leave them out.
  const lower = tidy(s);
  const withMarks = choices.filter((c) => tidy(c.label) === lower || tidy(c.value) === lower);
  if (withMarks.length === 1) return withMarks[0];
  const folded = fold(s);
  const without = choices.filter((c) => fold(c.label) === folded || fold(c.value) === folded);
  return without.length === 1 ? without[0] : undefined;
}

function parseSelectOne(q: Question, text: string): AnswerResult {
  const choices = q.choices ?? [];
  const c = findChoice(choices, text);
  if (c) return ok(c.value);
  return fail(/^\d+$/.test(text) ? t.chooseOne(choices.length) : t.unknownChoice(text, choices.length));
}

function parseSelectMultiple(q: Question, text: string): AnswerResult {
  const choices = q.choices ?? [];
  const whole = findChoice(choices, text);
  if (whole) return checkCount(q, [whole.value]);
  // Labels may hold commas ("Lề lối, phong cách làm việc"), so neighbouring
  // pieces are joined back when together they name a choice.
  const pieces = text.split(/[,;\n]+/).map((p) => p.trim()).filter((p) => p !== "");
  const picked: Choice[] = [];
  for (let i = 0; i < pieces.length; i++) {
    let found: Choice | undefined;
    for (let j = pieces.length; j > i + 1 && !found; j--) {
      found = findByText(choices, pieces.slice(i, j).join(", "));
      if (found) i = j - 1;
    }
    if (found) {
      picked.push(found);
      continue;
    }
    const piece = pieces[i] ?? "";
    // "1 3" and "1 và 3": positions separated by spaces or "và".
    const words = fold(piece).split(/\s+(?:va|and)\s+|\s+/);
    const items = words.every((w) => /^\d+$/.test(w)) ? words : [piece];
    for (const item of items) {
      const c = findChoice(choices, item);
      if (!c) return fail(t.unknownChoice(item, choices.length));
      picked.push(c);
    }
  }
  if (picked.length === 0) return fail(t.chooseSeveral(choices.length));
  return checkCount(
    q,
    choices.filter((c) => picked.includes(c)).map((c) => c.value),
  );
}

function checkCount(q: Question, values: string[]): AnswerResult {
  const { min, max, message } = q.constraint ?? {};
  if ((min !== undefined && values.length < min) || (max !== undefined && values.length > max)) {
    if (message !== undefined) return fail(message);
    if (min !== undefined && max !== undefined) return fail(min === max ? t.chooseAtLeast(min) : t.chooseBetween(min, max));
    return fail(min !== undefined ? t.chooseAtLeast(min) : t.chooseAtMost(max ?? 0));
  }
  return ok(values);
}

// ───────── text ─────────

function parseText(q: Question, text: string): AnswerResult {
  const marking = detectConfidential(text);
  if (marking) return fail(t.confidential(marking.marking));
  const { min, max } = textLimitsOf(q);
  const { pattern, message } = q.constraint ?? {};
  const length = textLength(text);
  if (length > max) return fail(message ?? t.tooLong(length, max));
  if (length < min) return fail(message ?? t.tooShort(min));
  // Searched, not matched whole, as XLSForm's regex(): anchor with ^…$ in the template.
  if (pattern !== undefined && !new RegExp(pattern, "u").test(text)) return fail(message ?? t.patternMismatch(q.hint));
  return ok(text);
}

// ───────── files ─────────

const MIME_FORMATS: Record<string, FileFormat | undefined> = {
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/msword": "doc",
  "image/jpeg": "jpg",
  "image/jpg": "jpg",
  "image/png": "png",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.ms-excel": "xls",
};
const EXTENSIONS: Record<string, FileFormat | undefined> = {
  pdf: "pdf",
  docx: "docx",
  doc: "doc",
  jpg: "jpg",
  jpeg: "jpg",
  png: "png",
  xlsx: "xlsx",
  xls: "xls",
};

/** The format by the name's extension, else the MIME type; a photo without either is a JPEG (chat apps recompress). */
export function fileFormatOf(file: FileInput): FileFormat | undefined {
  const ext = file.fileName && /\.([A-Za-z0-9]+)$/.exec(file.fileName)?.[1]?.toLowerCase();
  if (ext) return EXTENSIONS[ext];
  if (file.mimeType) return MIME_FORMATS[file.mimeType.toLowerCase()];
  return file.kind === "photo" ? "jpg" : undefined;
}

function parseFile(q: Question, file: FileInput): AnswerResult {
  const { accept, maxSizeMb } = fileRulesOf(q);
  if (file.fileName !== undefined) {
    const marking = detectConfidentialFileName(file.fileName) ?? detectConfidential(file.fileName);
    if (marking) return fail(t.confidential(marking.marking));
  }
  const format = fileFormatOf(file);
  if (format === undefined || !accept.includes(format)) return fail(t.fileType(formatList(accept)));
  if (file.sizeBytes !== undefined && file.sizeBytes > maxSizeMb * 1024 * 1024) {
    const mb = Math.ceil((file.sizeBytes / (1024 * 1024)) * 10) / 10;
    return fail(t.fileTooBig(formatNumber(mb), maxSizeMb));
  }
  const value: FileAnswer = { kind: file.kind, format };
  if (file.fileId !== undefined) value.fileId = file.fileId;
  if (file.fileName !== undefined) value.fileName = file.fileName;
  if (file.mimeType !== undefined) value.mimeType = file.mimeType;
  if (file.sizeBytes !== undefined) value.sizeBytes = file.sizeBytes;
  return ok(value);
}

function formatList(formats: readonly FileFormat[]): string {
  return formats.map((f) => f.toUpperCase()).join(", ");
}

// ───────── review screen ─────────

/** An answer as the official reads it back: "1.234", "15/09/2026", "Có", choice labels. */
export function formatAnswer(question: Question, value: unknown): string {
  const f = vi.forms.format;
  if (value === undefined || value === null || value === "") return f.unanswered;
  const labelOf = (v: unknown) => {
    const s = plainText(v);
    return question.choices?.find((c) => c.value === s)?.label ?? s;
  };
  switch (question.type) {
    case "integer":
    case "decimal":
      return typeof value === "number" ? formatNumber(value) : plainText(value);
    case "date":
      return typeof value === "string" && isLocalDate(value) ? formatVietnameseDate(value) : plainText(value);
    case "yes_no":
      return value === true ? f.yes : value === false ? f.no : plainText(value);
    case "select_one":
      return labelOf(value);
    case "select_multiple":
      if (!Array.isArray(value)) return labelOf(value);
      return value.length === 0 ? f.unanswered : f.list(value.map(labelOf));
    case "file": {
      const name = typeof value === "object" ? (value as { fileName?: unknown }).fileName : undefined;
      return f.file(typeof name === "string" ? name : undefined);
    }
    default:
      return plainText(value);
  }
}

function plainText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  // JSON.stringify gives undefined for undefined and functions, whatever its type says.
  const json = JSON.stringify(v) as string | undefined;
  return json ?? "";
}

/** Length in characters as people count them (code points, not UTF-16 units). */
export function textLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// ───────── text folding ─────────

/** Lower case, single spaces, NFC. */
function tidy(s: string): string {
  return s.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Lower case without diacritics: "Đúng rồi" → "dung roi". People on phones often type without them. */
export function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}
