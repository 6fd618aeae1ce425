// The entry of the conversation core: one InboundMessage in, replies out.
// Runs inside the update's transaction, so its writes and the update's
// DONE mark commit together.
import type { InboundMessage, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import type { MessageHandler } from "../inbound/processor.ts";
import { findIdentity, redeemInvitation } from "../org/invitations.ts";
import { vi } from "../texts/vi.ts";
import { linkReply } from "./link-replies.ts";
import { parseCommand } from "./commands.ts";

/** Longer texts are refused rather than cut, so nothing is half-saved. */
export const MAX_TEXT_LENGTH = 4000;

const text = (t: string): OutboundMessage => ({ text: t });

export function createBotHandler(): MessageHandler {
  return async (tx, message, now) => {
    const { content } = message;
    if (message.chatType === "group") {
      // Groups need an explicit command before the bot speaks, to stay quiet.
      return content.type === "text" && parseCommand(content.text) ? [text(vi.bot.privateOnly)] : [];
    }
    switch (content.type) {
      case "unsupported":
        return [text(vi.bot.unsupported)];
      case "file":
        return [text(vi.bot.fileNotExpected)];
      case "choice":
        return onText(tx, message, "", now);
      case "text":
        if (content.text.length > MAX_TEXT_LENGTH) return [text(vi.bot.tooLong(MAX_TEXT_LENGTH))];
        return onText(tx, message, content.text, now);
    }
  };
}

async function onText(tx: Tx, message: InboundMessage, body: string, now: Date): Promise<OutboundMessage[]> {
  const command = parseCommand(body);
  const identity = await findIdentity(tx, message.platform, message.from.id);
  if (!command) return [text(identity ? vi.bot.nothingDue : vi.bot.notLinked)];
  switch (command.name) {
    case "start": {
      if (command.args) {
        const result = await redeemInvitation(tx, {
          platform: message.platform,
          externalId: message.from.id,
          chatId: message.chatId,
          displayName: message.from.displayName,
          code: command.args,
          now,
        });
        return [text(linkReply(result))];
      }
      if (!identity) return [text(vi.bot.welcomeStranger)];
      const roles = identity.roles.map((r) => `${vi.bot.roleNames[r.role]} – ${r.unitName}`);
      return [text(vi.bot.welcomeBack(identity.fullName, roles))];
    }
    case "help":
      return [text(vi.bot.help(identity !== null))];
    case undefined:
      return [text(vi.bot.unknownCommand(command.typed))];
  }
}
