// Renders an import result for the office: a summary, the invitation table
// for the terminal, and the same table as CSV for Excel.
import type { Role } from "../db/generated/client.ts";
import { vi } from "../texts/vi.ts";
import type { ImportCounts, InvitationListing } from "./import.ts";

export interface RenderOptions {
  /** Telegram bot username, for deep links; without "@". */
  telegramBot?: string | undefined;
}

export function renderSummary(file: string, c: ImportCounts): string {
  const t = vi.importCli;
  return [
    t.done(file),
    t.summaryUnits(c.units),
    t.summaryPeople(c.people),
    t.summaryRoles(c.memberships.added, c.memberships.removed),
    t.summaryTemplates(c.templates, c.templates.newVersions),
    t.summaryTargets(c.targets.added, c.targets.removed),
    ...(c.bodies.created + c.bodies.updated + c.bodies.membersAdded + c.bodies.membersRemoved > 0
      ? [t.summaryBodies(c.bodies.created, c.bodies.updated, c.bodies.membersAdded, c.bodies.membersRemoved)]
      : []),
    t.summaryInvitations(c.invitations.created, c.invitations.kept),
  ].join("\n");
}

export function telegramLink(bot: string, code: string): string {
  return `https://t.me/${bot}?start=${code}`;
}

export function renderInvitationTable(rows: InvitationListing[], opts: RenderOptions = {}): string {
  const t = vi.importCli;
  if (rows.length === 0) return t.noInvitations;
  const col = t.columns;
  const header = [col.no, col.name, col.units, col.code, col.expires, ...(opts.telegramBot ? [col.link] : [])];
  const body = rows.map((r, i) => [
    String(i + 1),
    r.fullName,
    unitsText(r.units),
    r.code,
    formatDateTime(r.expiresAt),
    ...(opts.telegramBot ? [telegramLink(opts.telegramBot, r.code)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [
    t.invitationsHeader(rows.length),
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    t.howToFooter,
    ...(opts.telegramBot ? [t.howToTelegram] : []),
  ].join("\n");
}

/** UTF-8 with BOM and CRLF, so Excel shows Vietnamese correctly. */
export function invitationsCsv(rows: InvitationListing[], opts: RenderOptions = {}): string {
  const col = vi.importCli.columns;
  const header: string[] = [col.no, col.personCode, col.name, col.position, col.units, col.code, col.expires, col.howTo];
  if (opts.telegramBot) header.push(col.link);
  const lines: string[][] = [header];
  rows.forEach((r, i) => {
    const row = [
      String(i + 1),
      r.personCode,
      r.fullName,
      r.position ?? "",
      unitsText(r.units),
      r.code,
      formatDateTime(r.expiresAt),
      vi.importCli.howTo(r.code),
    ];
    if (opts.telegramBot) row.push(telegramLink(opts.telegramBot, r.code));
    lines.push(row);
  });
  return "\uFEFF" + lines.map((l) => l.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** "Chi bộ thôn 1 (người đứng đầu, cán bộ báo cáo); ..." */
const roleOrder: Role[] = ["HEAD", "COMMITTEE_MEMBER", "OFFICE", "REPORTER"];

function unitsText(units: { name: string; role: Role }[]): string {
  const byUnit = new Map<string, string[]>();
  const sorted = [...units].sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role));
  for (const u of sorted) {
    const list = byUnit.get(u.name) ?? [];
    list.push(vi.bot.roleNames[u.role]);
    byUnit.set(u.name, list);
  }
  return [...byUnit.entries()].map(([name, roles]) => `${name} (${roles.join(", ")})`).join("; ");
}

// Made on first use: the first Intl.DateTimeFormat of a process makes about
// 5 MB of ICU's data and code resident, which an idle bot need not hold.
let vnTimeFormat: Intl.DateTimeFormat | undefined;
const vnTime = () =>
  (vnTimeFormat ??= new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }));

/** "27/11/2026 15:04", Vietnam time. */
export function formatDateTime(d: Date): string {
  const p = Object.fromEntries(vnTime().formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.day ?? ""}/${p.month ?? ""}/${p.year ?? ""} ${p.hour ?? ""}:${p.minute ?? ""}`;
}
