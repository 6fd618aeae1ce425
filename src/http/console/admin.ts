// Organisation-wide pages (OFFICE of a top unit): the organisation upload,
// the holiday table, settings. adminOnly (app.ts) has already let only the
// top office in, and the CSRF check has run on every POST, so the pages
// themselves check neither.
import type { ConsoleApp, ConsoleDeps } from "./app.ts";
import { registerHolidays } from "./holidays.ts";
import { registerImport } from "./org-upload.ts";
import { registerSettings } from "./settings.ts";

export function registerAdmin(app: ConsoleApp, deps: ConsoleDeps): void {
  registerImport(app, deps);
  registerHolidays(app, deps);
  registerSettings(app, deps);
}
