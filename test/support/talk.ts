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
    const chatId = String(user);
    const { prisma } = app().db;
    const processor = app().processor;
    if (!processor) throw new Error("the app runs no processor");
    const lastBefore = await prisma.inboundUpdate.findFirst({ where: { chatKey }, orderBy: { id: "desc" }, select: { id: true } });
    const before = channel.replies(user).length;
    // Wakes the check below whenever the bot finishes something in this chat.
    let wake: () => void = () => undefined;
    const off = processor.onHandled((key) => {
      if (key === chatKey) wake();
    });
    try {
      if ("say" in a) channel.say(user, a.say);
      else if ("choose" in a) channel.choose(user, a.choose);
      else channel.sendPhoto(user, a.photo);
      // A bound for a hang, not a guess at timing: a loaded machine renders a chart slowly.
      const deadline = Date.now() + 90_000;
      // Done when the new update is stored and handled and no reply waits to go out.
      for (;;) {
        // Read one after the other, in this order: each later read sees a
        // later state, so "stored, then handled, then sent" holds together.
        const fresh = await prisma.inboundUpdate.count({ where: { chatKey, id: { gt: lastBefore?.id ?? 0n } } });
        const pending = fresh > 0 ? await prisma.inboundUpdate.count({ where: { chatKey, status: "PENDING" } }) : 1;
        // SENDING too: a claimed reply is on its way to the platform, not there yet.
        const queued = pending === 0 ? await prisma.outboundMessage.count({ where: { platform: channel.platform, chatId, status: { in: ["QUEUED", "SENDING"] } } }) : 1;
        if (queued === 0) break;
        if (Date.now() > deadline) throw new Error(`no answer in ${chatKey} within 90 s`);
        // Checked again when the bot finishes something here; the interval
        // only covers a reply whose delivery was retried after the event.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 500);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      off();
    }
    return channel.replies(user).slice(before);
  };
}

/** A tiny but real JPEG header: enough for the type check, small to send. */
export const SIGNED_PAGE_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
