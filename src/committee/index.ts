// The committee's commands, ready for createBotHandler({ committee }).
import type { OutboundMessage } from "../channels/channel.ts";
import type { Tx } from "../db/database.ts";
import { vi } from "../texts/vi.ts";
import { createCommittee, type Committee, type CommitteeCommand } from "./registry.ts";
import { committeeScope, type CommitteeScope } from "./scope.ts";
import { statusCommand } from "./status.ts";
import { overdueCommand } from "./overdue.ts";
import { viewCommand } from "./view.ts";
import { summaryCommand } from "./summary.ts";
import { scorecardCommand } from "./scorecard.ts";
import { chartCommand, exportCommand, type Exporters } from "./files.ts";
import { flowCommands, flowHelp, resumeFlows } from "./flows.ts";
import { consoleCommands, type ConsoleCommandDeps } from "../console/commands.ts";

export type { Exporters } from "./files.ts";
export { committeeScope, inScope, type CommitteeScope } from "./scope.ts";
export { exportData, chartData } from "./export.ts";

export interface CommitteeDeps {
  /** The file builders of src/exports; without them /xuat and /bieudo say they are not ready. */
  exporters?: Exporters;
  /** /dangnhap and /dangxuat of the web console; without it they are unknown commands. */
  console?: ConsoleCommandDeps;
  /** Commands of other modules (e.g. /nhac, /yeucau) that share the committee's registry and help. */
  more?: {
    commands: readonly CommitteeCommand[];
    /** Help lines of those commands; `scope` is null for people without a committee role. */
    help?: (tx: Tx, personId: number, scope: CommitteeScope | null) => Promise<string[]>;
    /** Guided commands that continue with the person's next message. */
    resume?: Committee["resume"];
    /** /xem with arguments that are not a unit (a question's reference); null leaves them to the report view. */
    view?: (req: { tx: Tx; person: { id: number }; args: string; now: Date }) => Promise<OutboundMessage[] | null>;
  };
}

export function createCommitteeCommands(deps: CommitteeDeps = {}): Committee {
  const commands = [
    statusCommand,
    overdueCommand,
    viewOr(deps.more?.view),
    summaryCommand,
    scorecardCommand,
    exportCommand(deps.exporters),
    chartCommand(deps.exporters),
    ...flowCommands,
    ...(deps.console ? consoleCommands(deps.console) : []),
    ...(deps.more?.commands ?? []),
  ];
  const more = deps.more?.resume;
  return createCommittee(
    commands,
    async (tx, personId) => {
      const scope = await committeeScope(tx, personId);
      const extra = deps.more?.help ? await deps.more.help(tx, personId, scope) : [];
      if (!scope) return extra;
      const h = vi.committee.help;
      return [h.header, h.status, h.overdue, h.view, h.summary, h.scorecard, h.export, h.chart, ...flowHelp, ...(deps.console ? [vi.console.commands.help] : []), ...(extra.length > 0 ? ["", ...extra] : []), ...(scope.isOffice ? [h.officeNote] : [])];
    },
    more ? async (req) => (await resumeFlows(req)) ?? more(req) : resumeFlows,
  );
}

/** /xem: a question's thread when the arguments name one (for anyone who may see it), else the unit's report (the committee's). */
function viewOr(other: NonNullable<CommitteeDeps["more"]>["view"]): CommitteeCommand {
  if (!other) return viewCommand;
  return {
    names: viewCommand.names,
    async run(req) {
      return (await other(req)) ?? viewCommand.run(req);
    },
  };
}
