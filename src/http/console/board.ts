// The status board (/console): period × unit, refreshing itself; its
// exports and the nudge. A unit outside the person's scope reads as not found.
import { z } from "zod";
import { boardFilters, loadBoard, type Board, type BoardQuery } from "../../console/board.ts";
import { audit } from "../../console/sessions.ts";
import { exportData } from "../../committee/export.ts";
import { csvFile } from "../../committee/files.ts";
import { remindCommand } from "../../committee/remind.ts";
import { inScope } from "../../committee/scope.ts";
import { STATES, type UnitState } from "../../committee/queries.ts";
import { percent, stamp } from "../../committee/format.ts";
import { toLocalDate } from "../../calendar/dates.ts";
import { XLSX_MIME } from "../../exports/types.ts";
import { vi } from "../../texts/vi.ts";
import { contentDisposition } from "../file-links.ts";
import type { ConsoleApp, ConsoleContext, ConsoleDeps } from "./app.ts";
import { csrfField, h, notice, page, raw, type Html } from "./html.ts";

/** A row id in a path or query: anything else is treated as absent, never as an error. */
export const id = z.coerce.number().int().positive().max(2_147_483_647);
const boardQuery = z.object({
  donvi: id.optional().catch(undefined),
  mau: id.optional().catch(undefined),
  nam: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  trinhchieu: z.literal("1").optional().catch(undefined),
});

function parseQuery(c: ConsoleContext): BoardQuery & { projector: boolean } {
  const q = boardQuery.parse(c.req.query());
  return { ...(q.donvi !== undefined && { rootId: q.donvi }), ...(q.mau !== undefined && { templateId: q.mau }), ...(q.nam !== undefined && { year: q.nam }), projector: q.trinhchieu === "1" };
}

export function registerBoard(app: ConsoleApp, deps: ConsoleDeps): void {
  const t = vi.console.board;

  app.get("/", async (c) => {
    const session = c.get("session");
    const q = parseQuery(c);
    const now = deps.now();
    const board = await loadBoard(deps.prisma, session.person.scope, q, now);
    if (!board) return outside(c, deps, q.rootId);
    const grid = boardGrid(board, now, deps.refreshSeconds);
    // The page's script asks for the grid alone every few seconds.
    if (c.req.header("x-console-fragment") === "board") return c.html(grid.text);
    const filters = await boardFilters(deps.prisma, session.person.scope);
    // The board's own filters, carried into its links (escaped by h like any value).
    const withParams = (path: string, extra: Record<string, string>) => {
      const p = new URLSearchParams(c.req.query());
      p.delete("trinhchieu");
      for (const [k, v] of Object.entries(extra)) p.set(k, v);
      const qs = p.toString();
      return qs === "" ? path : `${path}?${qs}`;
    };
    const body = h`<h1>${t.title}</h1>
      ${q.projector ? h`<p class="projector-exit"><a href="${withParams("/console", {})}">${t.leaveProjector}</a></p>` : ""}
      <form class="filters" method="get" action="/console">
        <div><label for="f-unit">${t.unit}</label><select id="f-unit" name="donvi"><option value="">${t.allUnits}</option>
          ${filters.units.map((u) => h`<option value="${u.id}"${u.id === q.rootId ? raw(" selected") : ""}>${u.depth > 0 ? "— " : ""}${u.name}</option>`)}</select></div>
        <div><label for="f-template">${t.template}</label><select id="f-template" name="mau"><option value="">${t.allTemplates}</option>
          ${filters.templates.map((x) => h`<option value="${x.id}"${x.id === q.templateId ? raw(" selected") : ""}>${x.title}</option>`)}</select></div>
        <div><label for="f-year">${t.year}</label><select id="f-year" name="nam"><option value="">${t.currentPeriods}</option>
          ${filters.years.map((y) => h`<option value="${y}"${y === q.year ? raw(" selected") : ""}>${y}</option>`)}</select></div>
        <button type="submit">${t.show}</button>
      </form>
      <div class="actions">
        <a class="button secondary" href="${withParams("/console/xuat", { dinhdang: "xlsx" })}" download>${t.exportXlsx}</a>
        <a class="button secondary" href="${withParams("/console/xuat", { dinhdang: "csv" })}" download>${t.exportCsv}</a>
        <a class="button secondary" href="${withParams("/console", { trinhchieu: "1" })}">${t.projector}</a>
        <form method="post" action="/console/nhac">${csrfField(session.csrf)}<input type="hidden" name="donvi" value="tatca"><button type="submit" class="secondary">${t.nudgeAllOverdue}</button></form>
      </div>
      <section id="board" data-refresh="${deps.refreshSeconds}">${grid}</section>`;
    return c.html(page({ title: t.title, who: who(c), current: "board", projector: q.projector, body }));
  });

  app.get("/xuat", async (c) => {
    const session = c.get("session");
    const q = parseQuery(c);
    const csv = c.req.query("dinhdang") === "csv";
    const now = deps.now();
    const scope = session.person.scope;
    const roots = q.rootId === undefined ? scope.unitIds : [q.rootId];
    if (q.rootId !== undefined && !(await inScope(deps.prisma, scope, q.rootId))) return outside(c, deps, q.rootId);
    const names = await deps.prisma.unit.findMany({ where: { id: { in: roots } }, select: { name: true }, orderBy: { name: "asc" } });
    const data = await exportData(
      deps.prisma,
      {
        roots,
        scopeTitle: names.map((n) => n.name).join(", "),
        viewerId: session.person.id,
        ...(q.year !== undefined && { period: { kind: "year", year: q.year } }),
        ...(q.templateId !== undefined && { templateId: q.templateId }),
      },
      now,
    );
    await audit(deps.prisma, session.person.id, "console.export", now, { format: csv ? "csv" : "xlsx", rows: data.status.length });
    if (data.slices.length === 0) return c.html(page({ title: t.title, who: who(c), current: "board", body: h`${notice("error", [vi.committee.nothing])}<p><a href="/console">${vi.console.errors.back}</a></p>` }), 404);
    const slug = data.slices.length === 1 ? data.slices[0]!.periodKey : toLocalDate(now);
    const file = csv
      ? csvFile(deps.exporters.buildCsvFiles(data), slug, now)
      : { fileName: vi.committee.export.fileName(slug, "xlsx"), mimeType: XLSX_MIME, data: await deps.exporters.buildWorkbook(data) };
    return c.body(file.data as Uint8Array<ArrayBuffer>, 200, {
      "content-type": file.mimeType,
      "content-disposition": contentDisposition(file.fileName, false),
    });
  });

  // The nudge is /nhac's own: the same cooldown, office hours and audit row.
  app.post("/nhac", async (c) => {
    const session = c.get("session");
    const form = await c.req.parseBody();
    const target = typeof form.donvi === "string" ? form.donvi.trim().slice(0, 200) : "";
    const back = typeof form.quaylai === "string" && /^\/console(\/donvi\/\d+)?$/.test(form.quaylai) ? form.quaylai : "/console";
    const now = deps.now();
    const replies = await deps.prisma.$transaction((tx) => remindCommand.run({ tx, person: session.person, args: target, now }));
    const lines = replies.flatMap((r) => r.text.split("\n"));
    const ok = lines[0]?.startsWith("✅") ?? false;
    return c.html(page({ title: t.nudgeTitle, who: who(c), current: "board", body: h`<h1>${t.nudgeTitle}</h1>${notice(ok ? "ok" : "error", lines)}<p><a href="${back}">${vi.console.errors.back}</a></p>` }));
  });
}

export function who(c: ConsoleContext) {
  const s = c.get("session");
  return { fullName: s.person.fullName, csrf: s.csrf, admin: c.get("admin") };
}

/** Outside the scope reads exactly like a unit that does not exist; the audit log tells them apart. */
export async function outside(c: ConsoleContext, deps: ConsoleDeps, unitId: number | undefined): Promise<Response> {
  const e = vi.console.errors;
  await audit(deps.prisma, c.get("session").person.id, "console.refused", deps.now(), { reason: "outside-scope", path: c.req.path }, unitId === undefined ? undefined : { type: "Unit", id: unitId });
  return c.html(page({ title: e.notFoundTitle, who: who(c), body: h`<h1>${e.notFoundTitle}</h1><p>${e.unitNotFound}</p><p><a href="/console">${e.back}</a></p>` }), 404);
}

/** A state as /trangthai marks it, on a coloured label with its name: the colour and the words carry it where a browser draws no emoji. */
export const badge = (s: UnitState) => h`<span class="badge s-${s}"><span aria-hidden="true">${vi.committee.marks[s]}</span> ${vi.committee.stateNames[s]}</span>`;

function boardGrid(board: Board, now: Date, refreshSeconds: number): Html {
  const t = vi.console.board;
  if (board.slices.length === 0) return h`<p>${vi.committee.nothing}</p>`;
  let parent: string | null | undefined;
  const cols = board.slices.length + 1;
  const body: Html[] = [];
  for (const r of board.rows) {
    if (r.parentName !== parent) {
      parent = r.parentName;
      if (parent !== null) body.push(h`<tr class="group"><th colspan="${cols}" scope="rowgroup">${parent}</th></tr>`);
    }
    body.push(
      h`<tr><th scope="row"><a href="/console/donvi/${r.unitId}">${r.unitName}</a></th>${r.states.map((s) =>
        s === null ? h`<td class="state muted">–</td>` : h`<td class="state" data-state="${s}">${badge(s)}</td>`,
      )}</tr>`,
    );
  }
  return h`<p class="muted">${stamp(now)} · ${t.refreshes(refreshSeconds)}</p>
    <p class="legend">${STATES.map(badge)}</p>
    <div class="table-wrap"><table>
      <caption class="muted">${t.caption(board.rows.length)}</caption>
      <thead><tr><th scope="col">${t.unitColumn}</th>${board.slices.map((s) => h`<th scope="col">${s.templateTitle}<br>${s.periodLabel}</th>`)}</tr>
      <tr class="totals"><th scope="row">${t.totalsRow}</th>${board.totals.map((x) => {
        const done = x.counts.submitted_on_time + x.counts.submitted_late;
        return h`<td>${t.done(done, x.total, percent(done, x.total))}<br><span class="muted">${STATES.filter((s) => x.counts[s] > 0).map((s) => `${vi.committee.marks[s]} ${vi.committee.stateNames[s]} ${x.counts[s]}`).join(" · ")}</span></td>`;
      })}</tr></thead>
      <tbody>${body}</tbody>
    </table></div>`;
}
