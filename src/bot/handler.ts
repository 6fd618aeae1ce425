// The entry of the conversation core: one InboundMessage in, replies out.
// Runs inside the update's transaction, so its writes and the update's
// DONE mark commit together.
import type { InboundMessage, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import type { MessageHandler } from "../inbound/processor.ts";
import { findIdentity, redeemInvitation } from "../org/invitations.ts";
import { vi } from "../texts/vi.ts";
import { linkReply } from "./link-replies.ts";
import { parseBareCommand, parseCommand, type ParsedCommand } from "./commands.ts";
import { issueLinkCode } from "../org/link-codes.ts";
import { formatDueTime } from "../calendar/dates.ts";
import { handleReportMessage, showDue, type FlowDeps } from "../conversation/flow.ts";
import { lockWriter } from "../conversation/state.ts";
import { noCommittee, type Committee } from "../committee/registry.ts";

/** Longer texts are refused rather than cut, so nothing is half-saved. */
export const MAX_TEXT_LENGTH = 4000;

const text = (t: string): OutboundMessage => ({ text: t });

export interface BotDeps extends FlowDeps {
  committee?: Committee;
}

export function createBotHandler(deps: BotDeps): MessageHandler {
  const committee = deps.committee ?? noCommittee;
  const known = (name: string) => committee.find(name) !== undefined;
  return async (tx, message, now) => {
    const { content } = message;
    if (message.chatType === "group") {
      // Groups need an explicit command before the bot speaks, to stay quiet.
      return content.type === "text" && parseCommand(content.text, known) ? [text(vi.bot.privateOnly)] : [];
    }
    if (content.type === "text" && content.text.length > MAX_TEXT_LENGTH) return [text(vi.bot.tooLong(MAX_TEXT_LENGTH))];
    const slashed = content.type === "text" ? parseCommand(content.text, known) : null;
    // Linking comes first: "/start CODE" must work whatever state a person is in.
    if (slashed?.name === "start" && slashed.args) return onCommand(tx, message, slashed, await findIdentity(tx, message.platform, message.from.id), now);
    // One lock on the person's conversation for the whole message.
    const writer = await lockWriter(tx, message.platform, message.from.id);
    const identity = writer?.identity ?? null;
    if (writer && identity) {
      const person = { id: identity.personId, fullName: identity.fullName };
      const state = writer.state;
      const resumed = committee.resume ? await committee.resume({ tx, person, now, message, state }) : null;
      if (resumed) return resumed;
      const replies = await handleReportMessage(tx, person, message, now, deps, state, writer.filing);
      if (replies) return replies;
      // Not an answer to anything: a command typed without its slash counts too.
      const command = slashed ?? (content.type === "text" ? parseBareCommand(content.text, known) : null);
      if (!command) {
        if (content.type === "unsupported") return [text(vi.bot.unsupported)];
        if (content.type === "file") return [text(vi.bot.fileNotExpected)];
        // Anything else from a known person, when no report is in hand: what is due.
        return showDue(tx, person, now);
      }
      const own = command.name === undefined ? committee.find(command.typed) : undefined;
      if (own) return own.run({ tx, person, args: command.args, now, message });
      if (command.name === "help") {
        const extra = await committee.help(tx, person.id);
        return [text([vi.bot.help(true), ...(extra.length > 0 ? ["", ...extra] : [])].join("\n"))];
      }
      if (command.name === "link") {
        const issued = await issueLinkCode(tx, person.id, now);
        return [text(vi.bot.linkCode(issued.code, formatDueTime(issued.expiresAt)))];
      }
      const replies2 = await onCommand(tx, message, command, identity, now);
      if (command.name === "start") replies2.push(...(await showDue(tx, person, now)));
      return replies2;
    }
    if (content.type === "unsupported") return [text(vi.bot.unsupported)];
    // A stranger may only start, link and read the help.
    const command = slashed ?? (content.type === "text" ? parseBareCommand(content.text, () => false) : null);
    if (!command || command.name === undefined || command.name === "link") return [text(vi.bot.notLinked)];
    return onCommand(tx, message, command, identity, now);
  };
}

async function onCommand(
  tx: Tx,
  message: InboundMessage,
  command: ParsedCommand,
  identity: Awaited<ReturnType<typeof findIdentity>>,
  now: Date,
): Promise<OutboundMessage[]> {
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
    case "link":
    case undefined:
      return [text(vi.bot.unknownCommand(command.typed))];
  }
}
