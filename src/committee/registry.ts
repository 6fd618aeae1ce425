// The committee's commands (/trangthai, /quahan, /xem, ...) plug into the
// bot through this interface. Who may use them is decided inside each
// command, in the domain, never by the channel.
import type { InboundMessage, OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import type { ConversationState } from "../conversation/state.ts";

export interface CommitteeRequest {
  tx: Tx;
  person: { id: number; fullName: string };
  /** Everything typed after the command name, trimmed. */
  args: string;
  now: Date;
  /** The chat message that asked; none when the console asks. */
  message?: InboundMessage;
}

/** The person's next message, with their conversation state as locked for it. */
export interface ResumeRequest extends Omit<CommitteeRequest, "args" | "message"> {
  message: InboundMessage;
  state: ConversationState;
}

export interface CommitteeCommand {
  /** Vietnamese name without diacritics first, then the English alias: ["trangthai", "status"]. */
  names: readonly string[];
  run(req: CommitteeRequest): Promise<OutboundMessage[]>;
}

export interface Committee {
  /** The command typed (lower case, without slash), or undefined when it is not a committee command. */
  find(name: string): CommitteeCommand | undefined;
  /** Help lines for the commands this person may use; empty when none. */
  help(tx: Tx, personId: number): Promise<string[]>;
  /**
   * Continues a guided command (state mode "committee") with the person's next
   * message; null when the person is not in one. Called before anything else.
   */
  resume?(req: ResumeRequest): Promise<OutboundMessage[] | null>;
}

export function createCommittee(commands: readonly CommitteeCommand[], help: Committee["help"], resume?: Committee["resume"]): Committee {
  const byName = new Map<string, CommitteeCommand>();
  for (const c of commands) for (const n of c.names) byName.set(n, c);
  return { find: (name) => byName.get(name), help, ...(resume ? { resume } : {}) };
}

/** No committee commands (tests of other parts, and until they are wired). */
export const noCommittee: Committee = { find: () => undefined, help: () => Promise.resolve([]) };
