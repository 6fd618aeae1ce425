// After the organisation, the holidays or the settings change in the console.
import type { ConsoleDeps } from "./app.ts";

/** Runs deps.afterChange; a failure is only logged, since the next reminder tick does the same work. */
export async function replan(deps: ConsoleDeps): Promise<void> {
  await deps.afterChange?.().catch((err: unknown) => deps.logger.warn({ err: (err as Error).message }, "re-planning after a console change failed; the next tick retries"));
}
