// The committee's commands that act (a nudge, an ad hoc request), as one
// bundle for createCommitteeCommands: the commands, their help lines, and
// the guided flow that continues with the person's next message.
import type { CommitteeCommand, ResumeRequest } from "./registry.ts";
import type { OutboundMessage } from "../channels/channel.ts";
import { vi } from "../texts/vi.ts";
import { remindCommand } from "./remind.ts";
import { requestCommand, resumeRequest } from "./request.ts";

export const flowCommands: readonly CommitteeCommand[] = [remindCommand, requestCommand];

/** Help lines of these commands, shown to committee roles only (the caller checks the scope). */
export const flowHelp: readonly string[] = [vi.committeeFlows.help.remind, vi.committeeFlows.help.request];

/** Continues a guided flow (only /yeucau has one); null when the person is in none. */
export function resumeFlows(req: ResumeRequest): Promise<OutboundMessage[] | null> {
  return resumeRequest(req);
}
