// The reply to "/start CODE" for each outcome of redeeming an invitation.
// Whoever sends a code that does not work gets one answer, whether it was
// never issued, used or expired: the bot is not an oracle for guessed codes.
import type { RedeemResult } from "../org/invitations.ts";
import { vi } from "../texts/vi.ts";

export function linkReply(result: RedeemResult): string {
  if (result.ok) return vi.link.linked(result.person.fullName, result.units);
  switch (result.reason) {
    case "invalid":
    case "used":
    case "expired":
      return vi.link.invalid;
    case "throttled":
      return vi.link.throttled;
    case "busy":
      return vi.link.busy;
    case "already_linked":
      return vi.link.alreadyLinked;
    case "linked_to_other":
      return vi.link.linkedToOther;
  }
}
