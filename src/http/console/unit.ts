// A unit's page (/console/donvi/:id) and its report files (/console/tep/:id).
import { attachmentInScope, loadUnitPage, type UnitPage } from "../../console/unit.ts";
import { audit } from "../../console/sessions.ts";
import { formatDueTime, formatVietnameseDateTime } from "../../calendar/dates.ts";
import { vi } from "../../texts/vi.ts";
import { contentDisposition } from "../file-links.ts";
import type { ConsoleApp, ConsoleDeps } from "./app.ts";
import { badge, id, outside, who } from "./board.ts";
import { csrfField, h, page, raw, type Html } from "./html.ts";


export function registerUnit(app: ConsoleApp, deps: ConsoleDeps): void {
  app.get("/donvi/:id", async (c) => {
    const unitId = id.safeParse(c.req.param("id"));
    if (!unitId.success) return outside(c, deps, undefined);
    const pick = id.safeParse(c.req.query("bc"));
    const session = c.get("session");
    const now = deps.now();
    const data = await loadUnitPage(deps.prisma, session.person.scope, session.person.id, unitId.data, now, pick.success ? pick.data : undefined);
    if (!data) return outside(c, deps, unitId.data);
    // Reading a unit's reports is recorded, as /xem is in chat.
    await audit(deps.prisma, session.person.id, "console.view-unit", now, undefined, { type: "Unit", id: unitId.data });
    return c.html(page({ title: data.unit.name, who: who(c), current: "board", body: unitBody(data, session.csrf) }));
  });

  app.get("/tep/:id", async (c) => {
    const fileId = id.safeParse(c.req.param("id"));
    const session = c.get("session");
    const f = fileId.success ? await attachmentInScope(deps.prisma, session.person.scope, fileId.data) : null;
    if (!f) return outside(c, deps, undefined);
    const data = await deps.files.get(f.storageKey).catch(() => null);
    if (!data) return outside(c, deps, f.unitId);
    await audit(deps.prisma, session.person.id, "console.download", deps.now(), undefined, { type: "Attachment", id: fileId.success ? fileId.data : 0 });
    return c.body(data as Uint8Array<ArrayBuffer>, 200, {
      "content-type": f.mimeType,
      "content-disposition": contentDisposition(f.fileName, false),
    });
  });
}

/** A code's Vietnamese name, or the code itself when it has none. */
const named = (names: Readonly<Record<string, string>>, code: string): string => names[code] ?? code;

function unitBody(d: UnitPage, csrf: string): Html {
  const t = vi.console.unit;
  const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);
  return h`<h1>${d.unit.name}</h1>
    <p class="muted">${t.code(d.unit.code)}${d.unit.parentName === null ? "" : h` · ${t.parent} <a href="/console/donvi/${d.unit.parentId}">${d.unit.parentName}</a>`}</p>
    <div class="actions">
      <form method="post" action="/console/nhac">${csrfField(csrf)}<input type="hidden" name="donvi" value="${d.unit.code}"><input type="hidden" name="quaylai" value="/console/donvi/${d.unit.id}"><button type="submit">${t.nudge}</button></form>
      <a class="button secondary" href="/console?donvi=${d.unit.id}">${t.subtreeBoard}</a>
    </div>

    <h2>${t.people}</h2>
    ${d.people.length === 0 ? h`<p>${t.noPeople}</p>` : h`<ul>${d.people.map((p) => h`<li>${p.fullName} – ${named(t.roles, p.role)}${p.linked ? "" : h` <span class="muted">(${t.notLinked})</span>`}</li>`)}</ul>`}

    <h2>${t.reports}</h2>
    ${
      d.reports.length === 0
        ? h`<p>${t.noReports}</p>`
        : h`<div class="table-wrap"><table>
      <thead><tr><th scope="col">${t.report}</th><th scope="col">${t.deadline}</th><th scope="col">${t.state}</th><th scope="col">${t.revisions}</th><th scope="col">${t.files}</th></tr></thead>
      <tbody>${d.reports.map(
        (r) => h`<tr${r.assignmentId === d.shown?.assignmentId ? raw(' aria-current="true"') : ""}>
          <th scope="row"><a href="/console/donvi/${d.unit.id}?bc=${r.assignmentId}#answers">${r.templateTitle} – ${r.periodLabel}</a>${r.reference === null ? "" : h`<br><span class="muted">${t.reference(r.reference)}</span>`}</th>
          <td>${formatDueTime(r.deadline)}</td>
          <td class="state" data-state="${r.state}">${badge(r.state)}</td>
          <td>${r.revisions.length === 0 ? "–" : h`<ol reversed>${r.revisions.map((v) => h`<li>${t.revision(v.number, formatVietnameseDateTime(v.submittedAt), v.by, v.late)}</li>`)}</ol>`}</td>
          <td>${r.attachments.length === 0 ? "–" : h`<ul>${r.attachments.map((f) => h`<li><a href="/console/tep/${f.id}">${f.fileName}</a> <span class="muted">(${size(f.sizeBytes)}, ${f.by})</span></li>`)}</ul>`}</td>
        </tr>`,
      )}</tbody></table></div>`
    }

    <h2 id="answers">${t.answers}</h2>
    ${
      d.shown === null
        ? h`<p>${t.noAnswers}</p>`
        : h`<p class="muted">${(() => {
            const r = d.reports.find((x) => x.assignmentId === d.shown?.assignmentId);
            return r ? `${r.templateTitle} – ${r.periodLabel}, ${t.latestRevision(r.revisions[0]?.number ?? 1)}` : "";
          })()}</p>
      <div class="table-wrap"><table><thead><tr><th scope="col">${t.question}</th><th scope="col">${t.answer}</th></tr></thead>
      <tbody>${d.shown.answers.map((a) => h`<tr><th scope="row">${a.entry === null ? "" : h`<span class="muted">${a.entry}</span><br>`}${a.label}</th><td>${a.text}</td></tr>`)}</tbody></table></div>`
    }

    <h2>${t.reminders}</h2>
    ${
      d.reminders.length === 0
        ? h`<p>${t.noReminders}</p>`
        : h`<div class="table-wrap"><table><thead><tr><th scope="col">${t.when}</th><th scope="col">${t.kind}</th><th scope="col">${t.to}</th><th scope="col">${t.status}</th><th scope="col">${t.report}</th></tr></thead>
      <tbody>${d.reminders.map(
        (m) => h`<tr><td>${formatVietnameseDateTime(m.at)}</td><td>${named(t.purposes, m.purpose)}</td>
          <td>${m.recipient ?? "–"} <span class="muted">(${named(t.platforms, m.platform)})</span></td>
          <td data-status="${m.status}">${named(t.statuses, m.status)}${m.reason === null ? "" : h`<br><span class="muted">${t.reason(named(t.reasons, m.reason))}</span>`}</td>
          <td>${m.report ?? "–"}</td></tr>`,
      )}</tbody></table></div>`
    }

    <h2>${t.questions}</h2>
    ${
      d.questions.length === 0
        ? h`<p>${t.noQuestions}</p>`
        : h`<ul>${d.questions.map((q) => h`<li><strong>${q.reference}</strong> – ${named(t.questionStatuses, q.status)}${q.deadline === null ? "" : h` · ${t.due(formatDueTime(q.deadline))}`}<br>${q.text}</li>`)}</ul>`
    }`;
}
