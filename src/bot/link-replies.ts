// The reply to "/start CODE" for each outcome of redeeming an invitation.
import type { RedeemResult } from "../org/invitations.ts";
import { vi } from "../texts/vi.ts";

export function linkReply(result: RedeemResult): string {
  if (result.ok) return vi.link.linked(result.person.fullName, result.units);
  switch (result.reason) {
    case "invalid":
      return vi.link.invalid;
    case "used":
      return vi.link.used;
    case "expired":
      return vi.link.expired;
    case "throttled":
      return vi.link.throttled;
    case "already_linked":
      return vi.link.alreadyLinked;
    case "linked_to_other":
      return vi.link.linkedToOther;
  }
}
