// The office-wide holiday table (/ngaynghi): one year at a time, and a
// file upload that replaces the years it names, as `npm run
// calendar:holidays` does.
import { z } from "zod";
import { audit } from "../../console/sessions.ts";
import { dateParts, dayOfWeek, formatVietnameseDate, fromDbDate, toDbDate, toLocalDate, type LocalDate } from "../../calendar/dates.ts";
import { parseHolidayYaml } from "../../calendar/holiday-file.ts";
import { importHolidays } from "../../calendar/holiday-store.ts";
import { vi } from "../../texts/vi.ts";
import type { ConsoleApp, ConsoleDeps } from "./app.ts";
import { replan } from "./replan.ts";
import { who } from "./board.ts";
import { csrfField, h, notice, page, raw, type Html } from "./html.ts";
import { filesOf, postedForm, safeName } from "./posted-form.ts";

const yearParam = z.coerce.number().int().min(2000).max(2100);

export function registerHolidays(app: ConsoleApp, deps: ConsoleDeps): void {
  const t = vi.console.admin.holidays;
  const thisYear = () => dateParts(toLocalDate(deps.now())).year;

  app.get("/ngaynghi", async (c) => {
    const asked = yearParam.safeParse(c.req.query("nam"));
    const year = asked.success ? asked.data : thisYear();
    return c.html(page({ title: t.title, who: who(c), current: "holidays", body: await holidaysBody(deps, c.get("session").csrf, year) }));
  });

  app.post("/ngaynghi", async (c) => {
    const session = c.get("session");
    const form = await postedForm(c);
    const file = filesOf(form, "tep")[0];
    if (!file) {
      return c.html(page({ title: t.title, who: who(c), current: "holidays", failed: true, body: await holidaysBody(deps, session.csrf, thisYear(), { problems: [t.noFile], fieldError: t.noFile }) }), 422);
    }
    const source = safeName(file.name) ?? t.defaultFileName;
    const parsed = parseHolidayYaml((await file.text()).replace(/^\uFEFF/, ""), source);
    const now = deps.now();
    if (!parsed.ok) {
      await audit(deps.prisma, session.person.id, "console.holidays", now, { ok: false, file: source, problems: parsed.problems.length });
      return c.html(page({ title: t.title, who: who(c), current: "holidays", failed: true, body: await holidaysBody(deps, session.csrf, thisYear(), { problems: parsed.problems }) }), 422);
    }
    const r = await importHolidays(deps.prisma, parsed.entries, { now, actorId: session.person.id, source });
    await audit(deps.prisma, session.person.id, "console.holidays", now, { ok: true, file: source, years: r.years.join(", "), created: r.created, updated: r.updated, removed: r.removed });
    await replan(deps);
    const body = await holidaysBody(deps, session.csrf, r.years[0] ?? thisYear(), { done: vi.holidaysCli.done(source, r.years, r.created, r.updated, r.removed) });
    return c.html(page({ title: t.title, who: who(c), current: "holidays", body }));
  });
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase("vi") + s.slice(1);

async function holidaysBody(deps: ConsoleDeps, csrf: string, year: number, result: { problems?: string[]; fieldError?: string; done?: string } = {}): Promise<Html> {
  const t = vi.console.admin.holidays;
  const from = toDbDate(`${year}-01-01` as LocalDate);
  const to = toDbDate(`${year}-12-31` as LocalDate);
  const [rows, all] = await Promise.all([
    deps.prisma.holiday.findMany({ where: { unitId: null, date: { gte: from, lte: to } }, select: { date: true, kind: true, name: true }, orderBy: { date: "asc" } }),
    deps.prisma.holiday.findMany({ where: { unitId: null }, select: { date: true } }),
  ]);
  const years = [...new Set(all.map((r) => dateParts(fromDbDate(r.date)).year))].filter((y) => y !== year).sort((a, b) => a - b);
  const error = result.fieldError;
  const table =
    rows.length === 0
      ? h`<p>${t.none(year)}</p>`
      : h`<div class="table-wrap"><table>
          <caption class="muted">${t.caption(year, rows.length)}</caption>
          <thead><tr><th scope="col">${t.columns.date}</th><th scope="col">${t.columns.weekday}</th><th scope="col">${t.columns.kind}</th><th scope="col">${t.columns.name}</th></tr></thead>
          <tbody>${rows.map((r) => {
            const d = fromDbDate(r.date);
            return h`<tr data-date="${d}"><th scope="row">${formatVietnameseDate(d)}</th><td>${capitalise(vi.calendar.weekdays[dayOfWeek(d)] ?? "")}</td><td data-kind="${r.kind}">${t.kinds[r.kind]}</td><td>${r.name}</td></tr>`;
          })}</tbody>
        </table></div>`;
  return h`<h1>${t.title}</h1>
    <p>${t.intro}</p>
    ${result.done === undefined ? "" : notice("ok", [result.done])}
    ${result.problems === undefined ? "" : notice("error", [vi.holidaysCli.problemsHeader(result.problems.length), ...result.problems])}
    <h2>${t.yearTitle(year)}</h2>
    ${years.length === 0 ? "" : h`<nav aria-label="${t.otherYears}"><p>${t.otherYears}: ${years.map((y, i) => h`${i > 0 ? ", " : ""}<a href="/console/ngaynghi?nam=${y}">${y}</a>`)}</p></nav>`}
    ${table}
    <h2>${t.uploadTitle}</h2>
    <p>${t.uploadHelp}</p>
    <form method="post" action="/console/ngaynghi" enctype="multipart/form-data">${csrfField(csrf)}
      <div class="field"><label for="tep">${t.file}</label>
        <input type="file" id="tep" name="tep" accept=".yaml,.yml" required aria-describedby="tep-hint${error === undefined ? "" : " tep-error"}"${error === undefined ? "" : raw(' aria-invalid="true"')}>
        <p class="hint" id="tep-hint">${t.fileHint}</p>
        ${error === undefined ? "" : h`<p class="field-error" id="tep-error">${error}</p>`}</div>
      <div class="actions"><button type="submit">${t.upload}</button></div>
    </form>`;
}
