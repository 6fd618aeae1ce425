// Drives a conversation step by step: each action waits until the bot has
// handled it and sent every reply, then returns those replies' texts.
import type { App } from "../../src/app.ts";
import type { ChannelDriver } from "./channels.ts";

export type Action =
  | { say: string }
  | { choose: string }
  | { photo: Uint8Array };

export interface Talk {
  (user: number, action: Action | string): Promise<string[]>;
}

export function talk(channel: ChannelDriver, app: () => App): Talk {
  return async (user, action) => {
    const a: Action = typeof action === "string" ? { say: action } : action;
    const chatKey = `${channel.platform}:${user}`;
    const before = channel.replies(user).length;
    const processor = app().processor;
    if (!processor) throw new Error("the app runs no processor");
    const handled = new Promise<void>((resolve) => {
      const off = processor.onHandled((key) => {
        if (key === chatKey) {
          off();
          resolve();
        }
      });
    });
    if ("say" in a) channel.say(user, a.say);
    else if ("choose" in a) channel.choose(user, a.choose);
    else channel.sendPhoto(user, a.photo);
    await handled;
    // A reply the platform refused for a moment stays queued and goes out on
    // a retry; wait for it rather than miss it.
    const prisma = app().db.prisma;
    const deadline = Date.now() + 30_000;
    while ((await prisma.outboundMessage.count({ where: { platform: channel.platform, chatId: String(user), status: "QUEUED" } })) > 0) {
      if (Date.now() > deadline) throw new Error(`replies to ${chatKey} still queued after 30 s`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return channel.replies(user).slice(before);
  };
}

/** A tiny but real JPEG header: enough for the type check, small to send. */
export const SIGNED_PAGE_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
