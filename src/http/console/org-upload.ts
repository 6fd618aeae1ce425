// The organisation upload (/nhap): check the files and show a dry run
// (rolled back), then apply them on confirm. The confirm form carries the
// files themselves (org-files.ts), so the second step, on any http process,
// checks them again the same way before it applies them.
import { audit } from "../../console/sessions.ts";
import { applyImport, type ImportCounts, type ImportNames, type InvitationListing } from "../../org/import.ts";
import { formatDateTime } from "../../org/import-report.ts";
import { vi } from "../../texts/vi.ts";
import type { ConsoleApp, ConsoleDeps } from "./app.ts";
import { replan } from "./replan.ts";
import { who } from "./board.ts";
import { csrfField, h, notice, page, raw, type Html } from "./html.ts";
import { checkUpload, confirmFields, decodeConfirm, uploadOf, type Checked } from "./org-files.ts";
import { filesOf, postedForm } from "./posted-form.ts";

export function registerImport(app: ConsoleApp, deps: ConsoleDeps): void {
  const t = vi.console.admin.import;

  app.get("/nhap", (c) => c.html(page({ title: t.title, who: who(c), current: "import", body: uploadForm(c.get("session").csrf) })));
  // A reload of a result page (a GET) starts over.
  app.get("/nhap/thu", (c) => c.redirect("/console/nhap", 303));
  app.get("/nhap/ap-dung", (c) => c.redirect("/console/nhap", 303));

  app.post("/nhap/thu", async (c) => {
    const session = c.get("session");
    const form = await postedForm(c);
    const main = filesOf(form, "tep")[0];
    const extras = filesOf(form, "bieumau");
    const checked = await checkUpload(main ? await uploadOf(main) : null, await Promise.all(extras.map(uploadOf)));
    const now = deps.now();
    if (!checked.ok) {
      await audit(deps.prisma, session.person.id, "console.import-dry-run", now, { ok: false, file: main?.name.slice(0, 200) ?? null, problems: checked.problems.length });
      return c.html(page({ title: t.title, who: who(c), current: "import", failed: true, body: uploadForm(session.csrf, checked) }), 422);
    }
    const source = checked.main.name;
    const result = await applyImport(deps.prisma, checked.data, { now, ttlDays: deps.inviteTtlDays, source, actorId: session.person.id, dryRun: true });
    await audit(deps.prisma, session.person.id, "console.import-dry-run", now, { ok: true, file: source, ...flatCounts(result.counts) });
    const hidden = confirmFields([checked.main, ...checked.used]).map(([name, value]) => h`<input type="hidden" name="${name}" value="${value}">`);
    const body = h`<h1>${t.previewTitle}</h1>
      ${notice("ok", [t.previewNote(source)])}
      <h2>${t.changesTitle}</h2>
      ${countsList(result.counts, "preview")}
      ${namesList(result.names)}
      <h2>${t.filesTitle}</h2>
      <ul>${[checked.main, ...checked.used].map((u) => h`<li>${u.name}</li>`)}</ul>
      ${checked.unused.length === 0 ? "" : h`<p class="muted">${t.unused(checked.unused)}</p>`}
      <form method="post" action="/console/nhap/ap-dung">${csrfField(session.csrf)}${hidden}
        <div class="actions"><button type="submit">${t.confirm}</button><a class="button secondary" href="/console/nhap">${t.cancel}</a></div>
      </form>`;
    return c.html(page({ title: t.previewTitle, who: who(c), current: "import", body }));
  });

  app.post("/nhap/ap-dung", async (c) => {
    const session = c.get("session");
    const form = await postedForm(c);
    const decoded = decodeConfirm(form, deps.maxUploadBytes);
    if (!decoded) return c.html(page({ title: t.title, who: who(c), current: "import", failed: true, body: uploadForm(session.csrf, { ok: false, problems: [t.badConfirm] }) }), 400);
    const checked = await checkUpload(decoded.main, decoded.forms);
    const now = deps.now();
    if (!checked.ok) return c.html(page({ title: t.title, who: who(c), current: "import", failed: true, body: uploadForm(session.csrf, checked) }), 422);
    const source = checked.main.name;
    const result = await applyImport(deps.prisma, checked.data, { now, ttlDays: deps.inviteTtlDays, source, actorId: session.person.id });
    await replan(deps);
    await audit(deps.prisma, session.person.id, "console.import", now, { file: source, ...flatCounts(result.counts) });
    const body = h`<h1>${t.doneTitle}</h1>
      ${notice("ok", [t.done(source)])}
      <h2>${t.changesTitle}</h2>
      ${countsList(result.counts, "done")}
      ${invitationTable(result.invitations)}
      <p><a href="/console/nhap">${t.again}</a></p>`;
    return c.html(page({ title: t.doneTitle, who: who(c), current: "import", body }));
  });
}

function uploadForm(csrf: string, failed?: Extract<Checked, { ok: false }>): Html {
  const t = vi.console.admin.import;
  const described = (id: string, error: string | undefined) => raw(` aria-describedby="${id}-hint${error === undefined ? "" : ` ${id}-error`}"${error === undefined ? "" : ' aria-invalid="true"'}`);
  return h`<h1>${t.title}</h1>
    <p>${t.intro}</p>
    <p class="muted">${t.steps}</p>
    ${failed ? notice("error", [vi.importCli.problemsHeader(failed.problems.length), ...failed.problems]) : ""}
    <form method="post" action="/console/nhap/thu" enctype="multipart/form-data">${csrfField(csrf)}
      <div class="field"><label for="tep">${t.mainFile}</label>
        <input type="file" id="tep" name="tep" accept=".yaml,.yml" required${described("tep", failed?.mainError)}>
        <p class="hint" id="tep-hint">${t.mainFileHint}</p>
        ${failed?.mainError === undefined ? "" : h`<p class="field-error" id="tep-error">${failed.mainError}</p>`}</div>
      <div class="field"><label for="bieumau">${t.formFiles}</label>
        <input type="file" id="bieumau" name="bieumau" accept=".yaml,.yml" multiple${described("bieumau", failed?.formsError)}>
        <p class="hint" id="bieumau-hint">${t.formFilesHint}</p>
        ${failed?.formsError === undefined ? "" : h`<p class="field-error" id="bieumau-error">${failed.formsError}</p>`}</div>
      <div class="actions"><button type="submit">${t.check}</button></div>
    </form>`;
}

/** Names shown per list; a province's first import would otherwise list thousands. */
const NAMES_SHOWN = 30;

/** Who and what the import adds or ends, by name: the counts alone do not show a unit dropped by mistake. */
function namesList(n: ImportNames): Html {
  const t = vi.console.admin.import.names;
  const lists: [string, string[]][] = [
    [t.unitsCreated, n.unitsCreated],
    [t.unitsDeactivated, n.unitsDeactivated],
    [t.peopleCreated, n.peopleCreated],
    [t.peopleDeactivated, n.peopleDeactivated],
    [t.templatesCreated, n.templatesCreated],
    [t.templatesDeactivated, n.templatesDeactivated],
    [t.templatesNewVersion, n.templatesNewVersion],
  ];
  const shown = lists.filter(([, names]) => names.length > 0);
  if (shown.length === 0) return h``;
  return h`${shown.map(
    ([title, names]) => h`<h3>${title} (${names.length})</h3><p>${names.slice(0, NAMES_SHOWN).join(", ")}${names.length > NAMES_SHOWN ? ` ${t.more(names.length - NAMES_SHOWN)}` : ""}</p>`,
  )}`;
}

function countsList(c: ImportCounts, mode: "preview" | "done"): Html {
  const r = vi.console.admin.import.rows;
  const rows: [string, string][] = [
    [r.units, r.changes(c.units)],
    [r.people, r.changes(c.people)],
    [r.templates, r.changes(c.templates)],
    [r.versions, String(c.templates.newVersions)],
    [r.roles, r.addedRemoved(c.memberships.added, c.memberships.removed)],
    [r.targets, r.addedRemoved(c.targets.added, c.targets.removed)],
    [r.bodies, r.bodiesChanged(c.bodies.created, c.bodies.updated)],
    [r.bodyMembers, r.addedRemoved(c.bodies.membersAdded, c.bodies.membersRemoved)],
    [r.invitations, mode === "preview" ? r.invitationsPreview(c.invitations.created, c.invitations.kept) : r.invitationsDone(c.invitations.created, c.invitations.kept)],
  ];
  return h`<dl class="facts">${rows.map(([k, v]) => h`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** Flat, for the audit log: "units.created" → 1. Counts only, never the file's contents. */
function flatCounts(c: ImportCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, values] of Object.entries(c) as [string, Record<string, number>][]) {
    for (const [k, v] of Object.entries(values)) out[`${group}.${k}`] = v;
  }
  return out;
}

const roleOrder = ["HEAD", "COMMITTEE_MEMBER", "OFFICE", "REPORTER"] as const;

function unitsText(units: InvitationListing["units"]): string {
  const byUnit = new Map<string, string[]>();
  for (const u of [...units].sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role))) {
    byUnit.set(u.name, [...(byUnit.get(u.name) ?? []), vi.bot.roleNames[u.role]]);
  }
  return [...byUnit.entries()].map(([name, roles]) => `${name} (${roles.join(", ")})`).join("; ");
}

function invitationTable(rows: InvitationListing[]): Html {
  const t = vi.console.admin.import;
  const col = vi.importCli.columns;
  if (rows.length === 0) return h`<h2>${t.invitationsTitle(0)}</h2><p>${vi.importCli.noInvitations}</p>`;
  return h`<h2>${t.invitationsTitle(rows.length)}</h2>
    <p>${t.invitationsHelp}</p>
    <div class="table-wrap"><table>
      <caption class="muted">${t.invitationsCaption(rows.length, rows.filter((r) => r.created).length)}</caption>
      <thead><tr><th scope="col">${col.no}</th><th scope="col">${col.name}</th><th scope="col">${col.units}</th><th scope="col">${col.code}</th><th scope="col">${col.expires}</th></tr></thead>
      <tbody>${rows.map(
        (r, i) => h`<tr><td>${i + 1}</td><th scope="row">${r.fullName}${r.position === null ? "" : h`<br><span class="muted">${r.position}</span>`}</th><td>${unitsText(r.units)}</td>
          <td><code data-code="${r.personCode}">${r.code}</code>${r.created ? h` <span class="muted">(${t.newCode})</span>` : ""}</td><td>${formatDateTime(r.expiresAt)}</td></tr>`,
      )}</tbody>
    </table></div>`;
}
