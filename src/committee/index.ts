// The committee's commands, ready for createBotHandler({ committee }).
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

export type { Exporters } from "./files.ts";
export { committeeScope, inScope, type CommitteeScope } from "./scope.ts";
export { exportData, chartData } from "./export.ts";

export interface CommitteeDeps {
  /** The file builders of src/exports; without them /xuat and /bieudo say they are not ready. */
  exporters?: Exporters;
  /** Commands of other modules (e.g. /nhac, /yeucau) that share the committee's registry and help. */
  more?: {
    commands: readonly CommitteeCommand[];
    help?: (tx: Tx, personId: number, scope: CommitteeScope) => Promise<string[]>;
    /** Guided commands that continue with the person's next message. */
    resume?: Committee["resume"];
  };
}

export function createCommitteeCommands(deps: CommitteeDeps = {}): Committee {
  const commands = [
    statusCommand,
    overdueCommand,
    viewCommand,
    summaryCommand,
    scorecardCommand,
    exportCommand(deps.exporters),
    chartCommand(deps.exporters),
    ...flowCommands,
    ...(deps.more?.commands ?? []),
  ];
  return createCommittee(commands, async (tx, personId) => {
    const scope = await committeeScope(tx, personId);
    if (!scope) return [];
    const h = vi.committee.help;
    const extra = deps.more?.help ? await deps.more.help(tx, personId, scope) : [];
    return [h.header, h.status, h.overdue, h.view, h.summary, h.scorecard, h.export, h.chart, ...flowHelp, ...extra, ...(scope.isOffice ? [h.officeNote] : [])];
  }, deps.more?.resume ?? resumeFlows);
}
