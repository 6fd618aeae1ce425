// A local web chat for trying the bot without a platform token. It uses the
// same path as the real channels: updates are stored, processed in order,
// and replies land in the outbox, where the sandbox page reads them.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DownloadError, type ChannelAdapter, type InboundMessage, type OutboundMessage } from "../channel.ts";

const sandboxUpdate = z.object({
  updateId: z.string().min(1).max(64),
  chatId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().max(100).optional(),
  text: z.string().max(10_000).optional(),
  choice: z.string().max(64).optional(),
  at: z.number(),
});

export type SandboxUpdate = z.infer<typeof sandboxUpdate>;

/** Builds the stored update for a message typed on the sandbox page. */
export function sandboxUpdateFrom(input: { chatId: string; name?: string; text?: string; choice?: string }, now: Date): SandboxUpdate {
  return sandboxUpdate.parse({ updateId: randomUUID(), ...input, at: now.getTime() });
}

export function createSandboxAdapter(): ChannelAdapter {
  let sent = 0;
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
      return {
        platform: "SANDBOX",
        updateKey: data.updateId,
        chatId: data.chatId,
        chatType: "private",
        // In the sandbox the chat is the person: one browser tab, one user.
        from: { id: data.chatId, ...(data.name ? { displayName: data.name } : {}) },
        messageId: data.updateId,
        date: new Date(data.at),
        content: data.choice !== undefined ? { type: "choice", value: data.choice } : { type: "text", text: data.text ?? "" },
      };
    },
    // The page reads replies from the outbox; "sending" is recording them.
    send(_chatId: string, _message: OutboundMessage) {
      sent += 1;
      return Promise.resolve([`sandbox-${sent}`]);
    },
    poll: () => Promise.resolve(),
    webhook: () => Promise.resolve(404),
    configureDelivery: () => Promise.resolve(),
    describe: () => Promise.resolve({}),
    // The sandbox page sends text only, so no update ever names a file.
    download: () => Promise.reject(new DownloadError({ kind: "permanent", reason: "sandbox_has_no_files" })),
  };
}
