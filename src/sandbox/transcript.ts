// The sandbox's chat history: both sides of every sandbox chat, in the order
// they happened, with the files either side sent. The real channels keep no
// message texts; this exists so the local web chat survives a page reload.
import { z } from "zod";
import type { OutboundMessage } from "../channels/channel.ts";
import type { Prisma } from "../db/database.ts";
import type { FileStore } from "../files/storage.ts";

const inPayload = z.union([
  z.object({ text: z.string() }),
  /** A tapped button: its value went to the bot, its label is what the page shows. */
  z.object({ choice: z.string(), label: z.string() }),
  /**
   * An uploaded file lives in the file store, not in this table: the bot reads
   * it while it handles the message, inside a transaction, and on the
   * embedded database any other query would wait for that transaction to end.
   */
  z.object({ file: z.object({ name: z.string(), kind: z.enum(["photo", "document"]), mimeType: z.string(), size: z.number(), storageKey: z.string() }) }),
]);

export type Incoming = z.infer<typeof inPayload>;

const outPayload = z.object({
  text: z.string(),
  choices: z.array(z.object({ value: z.string(), label: z.string(), aliases: z.array(z.string()).optional() })).optional(),
  typedChoices: z.enum(["words", "numbered"]).optional(),
});

export type Entry =
  | { id: number; chatId: string; at: Date; direction: "in"; said: z.infer<typeof inPayload>; file?: FileInfo }
  | { id: number; chatId: string; at: Date; direction: "out"; message: Omit<OutboundMessage, "file">; file?: FileInfo };

export interface FileInfo {
  name: string;
  mimeType: string;
  size: number;
}

export interface StoredFile extends FileInfo {
  data: Uint8Array;
}

export interface Transcript {
  addIn(chatId: string, said: Incoming, at: Date): Promise<number>;
  addOut(chatId: string, message: OutboundMessage, at: Date): Promise<number>;
  /** Entries after `after`, oldest first; with after = 0, the last `limit` entries. */
  list(chatId: string, after: number, limit?: number): Promise<Entry[]>;
  file(id: number): Promise<StoredFile | null>;
  /** A message the bot never got (the database refused it): gone from the history too. */
  remove(id: number): Promise<void>;
  /** The newest entry id of every chat, so the page can mark chats with news. */
  latest(): Promise<Record<string, number>>;
}

interface Row {
  id: number;
  chatId: string;
  direction: string;
  at: Date;
  payload: unknown;
  fileName: string | null;
  mimeType: string | null;
  size: number | null;
}

function toEntry(r: Row): Entry | null {
  const said = r.direction === "in" ? inPayload.safeParse(r.payload) : undefined;
  const size = said?.success && "file" in said.data ? said.data.file.size : (r.size ?? 0);
  const file = r.fileName !== null && r.mimeType !== null ? { name: r.fileName, mimeType: r.mimeType, size } : undefined;
  const base = { id: r.id, chatId: r.chatId, at: r.at, ...(file && { file }) };
  if (said) return said.success ? { ...base, direction: "in", said: said.data } : null;
  const message = outPayload.safeParse(r.payload);
  return message.success ? { ...base, direction: "out", message: message.data } : null;
}

/** Where an upload's bytes go in the file store. */
export const UPLOAD_PREFIX = "sandbox/";

export function createTranscript(prisma: Prisma, store: FileStore): Transcript {
  return {
    async addIn(chatId, said, at) {
      const file = "file" in said ? said.file : undefined;
      const row = await prisma.sandboxEntry.create({
        data: { chatId, direction: "in", at, payload: said, ...(file && { fileName: file.name, mimeType: file.mimeType }) },
        select: { id: true },
      });
      return row.id;
    },
    async addOut(chatId, message, at) {
      // The bytes go to their own column; the JSON keeps what the renderers read.
      const { file, ...rest }: { file?: OutboundMessage["file"] } & object = message;
      const row = await prisma.sandboxEntry.create({
        data: { chatId, direction: "out", at, payload: rest, ...(file && { fileName: file.fileName, mimeType: file.mimeType, fileData: Buffer.from(file.data) }) },
        select: { id: true },
      });
      return row.id;
    },
    async list(chatId, after, limit = 200) {
      // The sizes, not the bytes: a history of exports would be megabytes.
      const rows =
        after > 0
          ? await prisma.$queryRaw<Row[]>`
              SELECT id, "chatId", direction, at, payload, "fileName", "mimeType", octet_length("fileData")::int AS size
              FROM "SandboxEntry" WHERE "chatId" = ${chatId} AND id > ${after} ORDER BY id LIMIT ${limit}`
          : (
              await prisma.$queryRaw<Row[]>`
              SELECT id, "chatId", direction, at, payload, "fileName", "mimeType", octet_length("fileData")::int AS size
              FROM "SandboxEntry" WHERE "chatId" = ${chatId} ORDER BY id DESC LIMIT ${limit}`
            ).reverse();
      return rows.map(toEntry).filter((e) => e !== null);
    },
    async file(id) {
      const r = await prisma.sandboxEntry.findUnique({ where: { id }, select: { fileName: true, mimeType: true, fileData: true, payload: true } });
      if (!r || r.fileName === null || r.mimeType === null) return null;
      if (r.fileData) return { name: r.fileName, mimeType: r.mimeType, size: r.fileData.byteLength, data: new Uint8Array(r.fileData) };
      const said = inPayload.safeParse(r.payload);
      if (!said.success || !("file" in said.data)) return null;
      const data = await store.get(said.data.file.storageKey).catch(() => null);
      return data && { name: r.fileName, mimeType: r.mimeType, size: data.byteLength, data };
    },
    async remove(id) {
      await prisma.sandboxEntry.deleteMany({ where: { id } });
    },
    async latest() {
      const rows = await prisma.$queryRaw<{ chatId: string; id: number }[]>`SELECT "chatId", max(id)::int AS id FROM "SandboxEntry" GROUP BY "chatId"`;
      return Object.fromEntries(rows.map((r) => [r.chatId, r.id]));
    },
  };
}
