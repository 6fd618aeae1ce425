// Keeping a file a user attached: check what it really is, store the bytes,
// then record the row. Bytes first: a crash in between leaves at most an
// orphan file, never a row that points at nothing.
import { createHash, randomUUID } from "node:crypto";
import { toLocalDate } from "../calendar/dates.ts";
import { viaPrisma, type Prisma, type Run, type Tx } from "../db/database.ts";
import { Prisma as P } from "../db/generated/client.ts";
import { FILE_KINDS, sniffFileType, type FileKind, type SniffedType } from "./sniff.ts";
import type { FileStore } from "./storage.ts";

export type AttachmentRejection =
  /** No bytes at all. */
  | "empty"
  /** Not a PDF, Word, Excel, JPEG or PNG file (whatever its name says). */
  | "unsupported_type"
  /** A file the bot takes, but its extension says something else (e.g. a PNG named .pdf). */
  | "type_mismatch";

export class AttachmentRejectedError extends Error {
  constructor(
    readonly reason: AttachmentRejection,
    /** Lower-case extension of the declared name, without the dot, when it had one. */
    readonly declaredExtension: string | undefined,
    readonly detected: SniffedType | undefined,
  ) {
    super(`attachment refused: ${reason} (declared .${declaredExtension ?? "?"}, detected ${detected ?? "unknown"})`);
    this.name = "AttachmentRejectedError";
  }
}

export interface SaveAttachmentInput {
  data: Uint8Array;
  /** As the user's app named it; photos may come without a name or extension. */
  fileName: string;
  /** As declared by the platform; only the sniffed type is stored. */
  mimeType: string;
  uploadedById: number;
  submissionId?: number;
  answerPath?: string;
  questionAnswerId?: number;
  now: Date;
}

export interface SavedAttachment {
  id: number;
  storageKey: string;
  sizeBytes: number;
  sha256: string;
  fileName: string;
  mimeType: string;
}

const MAX_NAME = 200;

function extensionOf(name: string): string | undefined {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m?.[1]?.toLowerCase();
}

/** The name shown back to people: no folders, no control characters, bounded length. */
export function displayFileName(name: string, kind: FileKind): string {
  let base = (name.split(/[/\\]/).at(-1) ?? "").replace(/\p{Cc}/gu, "").trim();
  if (base === "" || base === "." || base === "..") base = "tep-dinh-kem";
  if (extensionOf(base) === undefined) base = `${base}.${kind.extensions[0] ?? kind.type}`;
  if (base.length > MAX_NAME) {
    const ext = extensionOf(base) ?? "";
    base = `${base.slice(0, MAX_NAME - ext.length - 1)}.${ext}`;
  }
  return base;
}

/** ASCII-only form of a name for storage keys: "Báo cáo Đảng ủy.pdf" → "Bao-cao-Dang-uy.pdf". */
export function safeKeyName(name: string): string {
  const ext = extensionOf(name);
  const stem = ext !== undefined ? name.slice(0, -(ext.length + 1)) : name;
  const ascii = stem
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "")
    .slice(0, 80)
    .replace(/[-_]+$/, "");
  const safeStem = ascii === "" ? "file" : ascii;
  return ext !== undefined ? `${safeStem}.${ext}` : safeStem;
}

/** attachments/<year>/<month>/<uuid>-<safe name>, by the date in Vietnam. */
export function attachmentKey(fileName: string, now: Date, id: string = randomUUID()): string {
  const [year, month] = toLocalDate(now).split("-");
  return `attachments/${year ?? "0000"}/${month ?? "00"}/${id}-${safeKeyName(fileName)}`;
}

// Containers shared by two formats: the (checked) extension says which one.
const BY_EXTENSION: Record<string, string> = {
  xls: "application/vnd.ms-excel",
  docx: FILE_KINDS.docx.mimeType,
  xlsx: FILE_KINDS.xlsx.mimeType,
};

export interface CheckedType {
  kind: FileKind;
  /** What is stored and served: from the bytes, never from the sender's claim. */
  mimeType: string;
}

/** The real type, checked against the declared extension. Throws AttachmentRejectedError. */
export function checkAttachmentType(data: Uint8Array, fileName: string): CheckedType {
  const declared = extensionOf(fileName.split(/[/\\]/).at(-1) ?? "");
  if (data.byteLength === 0) throw new AttachmentRejectedError("empty", declared, undefined);
  const kind = sniffFileType(data);
  if (kind === null) throw new AttachmentRejectedError("unsupported_type", declared, undefined);
  if (declared !== undefined && !kind.extensions.includes(declared)) {
    throw new AttachmentRejectedError("type_mismatch", declared, kind.type);
  }
  const shared = (kind.type === "ole" || kind.type === "zip") && declared !== undefined ? BY_EXTENSION[declared] : undefined;
  return { kind, mimeType: shared ?? kind.mimeType };
}

/**
 * The row is written through `prisma` (the caller's transaction), or through
 * `run` when given: the pool, for a message handled without a transaction
 * (db/deferred.ts). Such a row is kept even if the message is then handled
 * again in a transaction: an orphan that no answer points at.
 */
export async function saveAttachment(deps: { store: FileStore; prisma: Prisma | Tx; run?: Run }, input: SaveAttachmentInput): Promise<SavedAttachment> {
  const { kind, mimeType } = checkAttachmentType(input.data, input.fileName);
  const fileName = displayFileName(input.fileName, kind);
  const sha256 = createHash("sha256").update(input.data).digest("hex");
  const storageKey = attachmentKey(fileName, input.now);
  const sizeBytes = input.data.byteLength;

  await deps.store.put(storageKey, input.data, { mimeType });
  try {
    const [row] = await (deps.run ?? viaPrisma(deps.prisma))<{ id: number }>(P.sql`
      INSERT INTO "Attachment" ("storageKey", "fileName", "mimeType", "sizeBytes", sha256, "uploadedById", "submissionId", "answerPath", "questionAnswerId", "createdAt")
      VALUES (${storageKey}, ${fileName}, ${mimeType}, ${sizeBytes}, ${sha256}, ${input.uploadedById}, ${input.submissionId ?? null}::int,
        ${input.answerPath ?? null}::text, ${input.questionAnswerId ?? null}::int, ${input.now})
      RETURNING id`);
    if (!row) throw new Error("the attachment row was not written");
    return { id: row.id, storageKey, sizeBytes, sha256, fileName, mimeType };
  } catch (err) {
    // The row failed (not a crash): take the file back rather than leave an orphan.
    // Inside a transaction that later rolls back the file stays; see the report.
    await deps.store.delete(storageKey).catch(() => undefined);
    throw err;
  }
}
