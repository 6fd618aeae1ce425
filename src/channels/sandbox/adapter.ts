// The local web chat's channel. It takes the same path as the real channels:
// updates are stored, processed in order, replies and reminders are sent
// through this adapter. "Sending" is writing the message into the sandbox's
// history, where the page reads it and renders it as Telegram or Zalo would.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DownloadError, FileTooLargeError, type ChannelAdapter, type DownloadedFile, type InboundMessage, type OutboundMessage } from "../channel.ts";

export const SANDBOX_CHAT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const sandboxUpdate = z.object({
  updateId: z.string().min(1).max(64),
  chatId: z.string().regex(SANDBOX_CHAT_ID),
  name: z.string().max(100).optional(),
  text: z.string().max(10_000).optional(),
  choice: z.string().max(64).optional(),
  /** An uploaded file, in the file store under this key. */
  file: z
    .object({
      storageKey: z.string().min(1).max(200),
      kind: z.enum(["photo", "document"]),
      fileName: z.string().max(255),
      mimeType: z.string().max(255),
      sizeBytes: z.number().int().nonnegative(),
    })
    .optional(),
  at: z.number(),
});

export type SandboxUpdate = z.infer<typeof sandboxUpdate>;
export type SandboxInput = Omit<SandboxUpdate, "updateId" | "at">;

/** Builds the stored update for a message typed, tapped or uploaded on the sandbox page. */
export function sandboxUpdateFrom(input: SandboxInput, now: Date): SandboxUpdate {
  return sandboxUpdate.parse({ updateId: randomUUID(), ...input, at: now.getTime() });
}

export interface SandboxAdapterDeps {
  /** Keeps a message for the page; returns its id. */
  record(chatId: string, message: OutboundMessage): Promise<number>;
  /** The bytes of an uploaded file, by its storage key; null when it is not there. */
  file(storageKey: string): Promise<Uint8Array | null>;
}

export function createSandboxAdapter(deps: SandboxAdapterDeps): ChannelAdapter {
  return {
    platform: "SANDBOX",
    envelope(raw) {
      const u = sandboxUpdate.safeParse(raw);
      return u.success ? { updateKey: u.data.updateId, chatKey: `SANDBOX:${u.data.chatId}` } : null;
    },
    toInbound(raw): InboundMessage | null {
      const u = sandboxUpdate.safeParse(raw);
      if (!u.success) return null;
      const { data } = u;
      const content: InboundMessage["content"] =
        data.file !== undefined
          ? { type: "file", kind: data.file.kind, fileId: data.file.storageKey, fileName: data.file.fileName, mimeType: data.file.mimeType, sizeBytes: data.file.sizeBytes }
          : data.choice !== undefined
            ? { type: "choice", value: data.choice }
            : { type: "text", text: data.text ?? "" };
      return {
        platform: "SANDBOX",
        updateKey: data.updateId,
        chatId: data.chatId,
        chatType: "private",
        // In the sandbox the chat is the person, as in a private chat with a bot.
        from: { id: data.chatId, ...(data.name ? { displayName: data.name } : {}) },
        messageId: data.updateId,
        date: new Date(data.at),
        content,
      };
    },
    async send(chatId: string, message: OutboundMessage) {
      return [String(await deps.record(chatId, message))];
    },
    poll: () => Promise.resolve(),
    webhook: () => Promise.resolve(404),
    configureDelivery: () => Promise.resolve(),
    describe: () => Promise.resolve({}),
    async download(file, maxBytes): Promise<DownloadedFile> {
      if (file.sizeBytes !== undefined && file.sizeBytes > maxBytes) throw new FileTooLargeError(maxBytes, file.sizeBytes);
      const data = await deps.file(file.fileId);
      if (!data) throw new DownloadError({ kind: "permanent", reason: "sandbox_file_not_found" });
      if (data.byteLength > maxBytes) throw new FileTooLargeError(maxBytes, data.byteLength);
      // Like the platforms: the bytes, and the type and name the sender claimed (checked by the core).
      return { data };
    },
  };
}
