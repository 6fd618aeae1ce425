// Settings (/caidat): the office hours and the reminder policy every
// template falls back on, stored as the organisation import stores them.
import type { Prisma as P } from "../../db/generated/client.ts";
import { audit } from "../../console/sessions.ts";
import { officeHoursSchema, type OfficeHours } from "../../calendar/office-hours.ts";
import { vietnameseIssue } from "../../forms/template-schema.ts";
import { canonicalValue } from "../../org/import.ts";
import { parsePolicy, reminderPolicySchema, type ReminderPolicy } from "../../reminders/policy.ts";
import { loadOfficeHours, loadPolicyDefaults, OFFICE_HOURS_KEY, REMINDER_POLICY_KEY } from "../../reminders/settings.ts";
import { vi } from "../../texts/vi.ts";
import type { ConsoleApp, ConsoleDeps } from "./app.ts";
import { replan } from "./replan.ts";
import { who } from "./board.ts";
import { csrfField, h, notice, page, raw, type Html } from "./html.ts";
import { postedForm, textOf } from "./posted-form.ts";

/** The settings form as typed: what goes back into the inputs. */
interface SettingsForm {
  start: string;
  end: string;
  enabled: boolean;
  openedNotice: boolean;
  before: string;
  deadlineMorning: boolean;
  maxOverdue: string;
  escalate: string;
  digest: string;
}
type SettingsField = keyof SettingsForm;
type FieldErrors = Partial<Record<SettingsField, string>>;

/** Input names: short Vietnamese, like the rest of the console's. */
const FIELD_NAMES: Record<SettingsField, string> = {
  start: "batdau",
  end: "ketthuc",
  enabled: "nhac",
  openedNotice: "baomoky",
  before: "nhactruoc",
  deadlineMorning: "sanghan",
  maxOverdue: "quahan",
  escalate: "baodungdau",
  digest: "tonghop",
};

/** Which form field a policy key is typed in. */
const POLICY_FIELDS: Record<keyof ReminderPolicy, SettingsField> = {
  enabled: "enabled",
  openedNotice: "openedNotice",
  beforeWorkingDays: "before",
  deadlineMorning: "deadlineMorning",
  maxOverdueReminders: "maxOverdue",
  escalateToHeadsFrom: "escalate",
  committeeDigestFrom: "digest",
};

const asForm = (hours: OfficeHours, p: ReminderPolicy): SettingsForm => ({
  start: hours.start,
  end: hours.end,
  enabled: p.enabled,
  openedNotice: p.openedNotice,
  before: p.beforeWorkingDays.join(", "),
  deadlineMorning: p.deadlineMorning,
  maxOverdue: String(p.maxOverdueReminders),
  escalate: String(p.escalateToHeadsFrom),
  digest: String(p.committeeDigestFrom),
});

type SettingsResult = { ok: true; hours: OfficeHours; policy: ReminderPolicy } | { ok: false; errors: FieldErrors };

function checkSettings(f: SettingsForm): SettingsResult {
  const t = vi.console.admin.settings;
  const errors: FieldErrors = {};
  const setError = (field: SettingsField, message: string) => {
    errors[field] ??= message;
  };
  const hours = officeHoursSchema.safeParse({ start: f.start, end: f.end }, { error: vietnameseIssue });
  if (!hours.success) for (const i of hours.error.issues) setError(i.path[0] === "start" ? "start" : "end", i.message);

  // Typed text → numbers; what is not one is told here, and the schema checks the ranges.
  const integer = (field: SettingsField, text: string): number | undefined => {
    const s = text.trim();
    if (/^[+-]?\d{1,6}$/.test(s)) return Number(s);
    setError(field, s === "" ? vi.validation.empty : t.notAnInteger);
    return undefined;
  };
  const tokens = f.before.split(/[\s,;]+/).filter((s) => s !== "");
  const before = tokens.every((s) => /^\d{1,6}$/.test(s)) ? tokens.map(Number) : undefined;
  if (before === undefined) setError("before", t.badDayList);
  const input = {
    enabled: f.enabled,
    openedNotice: f.openedNotice,
    deadlineMorning: f.deadlineMorning,
    beforeWorkingDays: before ?? [],
    // A field already in error stands in with a valid value, so it is told once.
    maxOverdueReminders: integer("maxOverdue", f.maxOverdue) ?? 0,
    escalateToHeadsFrom: integer("escalate", f.escalate) ?? 1,
    committeeDigestFrom: integer("digest", f.digest) ?? 1,
  };
  const policy = reminderPolicySchema.safeParse(input, { error: vietnameseIssue });
  if (!policy.success) {
    for (const i of policy.error.issues) {
      const field = POLICY_FIELDS[i.path[0] as keyof ReminderPolicy] as SettingsField | undefined;
      if (field === "before" && typeof i.path[1] === "number") setError(field, t.dayInList(input.beforeWorkingDays[i.path[1]] ?? 0, i.message));
      else if (field !== undefined) setError(field, i.message);
    }
  }
  if (!hours.success || !policy.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, hours: { start: hours.data.start, end: hours.data.end }, policy: policy.data };
}

export function registerSettings(app: ConsoleApp, deps: ConsoleDeps): void {
  const t = vi.console.admin.settings;

  app.get("/caidat", async (c) => {
    const [hours, defaults] = await Promise.all([loadOfficeHours(deps.prisma), loadPolicyDefaults(deps.prisma)]);
    const values = asForm(hours, parsePolicy(null, defaults).policy);
    return c.html(page({ title: t.title, who: who(c), current: "settings", body: settingsBody(c.get("session").csrf, values, {}) }));
  });

  app.post("/caidat", async (c) => {
    const session = c.get("session");
    const form = await postedForm(c);
    const typed: SettingsForm = {
      start: textOf(form, FIELD_NAMES.start),
      end: textOf(form, FIELD_NAMES.end),
      enabled: textOf(form, FIELD_NAMES.enabled) !== "",
      openedNotice: textOf(form, FIELD_NAMES.openedNotice) !== "",
      before: textOf(form, FIELD_NAMES.before),
      deadlineMorning: textOf(form, FIELD_NAMES.deadlineMorning) !== "",
      maxOverdue: textOf(form, FIELD_NAMES.maxOverdue),
      escalate: textOf(form, FIELD_NAMES.escalate),
      digest: textOf(form, FIELD_NAMES.digest),
    };
    const checked = checkSettings(typed);
    if (!checked.ok) return c.html(page({ title: t.title, who: who(c), current: "settings", failed: true, body: settingsBody(session.csrf, typed, checked.errors) }), 422);
    const { hours, policy } = checked;
    const now = deps.now();
    await deps.prisma.$transaction(async (tx) => {
      // As the organisation import writes them (syncSettings): the same keys and
      // shapes, and an unchanged value is not written again.
      const put = async (key: string, value: P.InputJsonObject) => {
        const have = await tx.setting.findUnique({ where: { key }, select: { value: true } });
        if (have && JSON.stringify(canonicalValue(have.value)) === JSON.stringify(canonicalValue(value))) return;
        await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value }, select: { key: true } });
      };
      await put(OFFICE_HOURS_KEY, { ...hours });
      // The full policy: what the form shows is exactly what is in force.
      await put(REMINDER_POLICY_KEY, { ...policy });
      await audit(tx, session.person.id, "console.settings", now, {
        start: hours.start,
        end: hours.end,
        enabled: policy.enabled,
        openedNotice: policy.openedNotice,
        beforeWorkingDays: policy.beforeWorkingDays.join(", "),
        deadlineMorning: policy.deadlineMorning,
        maxOverdueReminders: policy.maxOverdueReminders,
        escalateToHeadsFrom: policy.escalateToHeadsFrom,
        committeeDigestFrom: policy.committeeDigestFrom,
      });
    });
    await replan(deps);
    return c.html(page({ title: t.title, who: who(c), current: "settings", body: settingsBody(session.csrf, asForm(hours, policy), {}, true) }));
  });
}

function settingsBody(csrf: string, f: SettingsForm, errors: FieldErrors, saved = false): Html {
  const t = vi.console.admin.settings;
  const labels: Record<SettingsField, string> = {
    start: t.start,
    end: t.end,
    enabled: t.enabled,
    openedNotice: t.openedNotice,
    before: t.before,
    deadlineMorning: t.deadlineMorning,
    maxOverdue: t.maxOverdue,
    escalate: t.escalate,
    digest: t.digest,
  };
  const hints: Partial<Record<SettingsField, string>> = { before: t.beforeHint, maxOverdue: t.maxOverdueHint };
  const id = (field: SettingsField) => `s-${field}`;
  const describedBy = (field: SettingsField) => {
    const ids = [...(hints[field] === undefined ? [] : [`${id(field)}-hint`]), ...(errors[field] === undefined ? [] : [`${id(field)}-error`])];
    return raw(`${ids.length === 0 ? "" : ` aria-describedby="${ids.join(" ")}"`}${errors[field] === undefined ? "" : ' aria-invalid="true"'}`);
  };
  const after = (field: SettingsField) =>
    h`${hints[field] === undefined ? "" : h`<p class="hint" id="${id(field)}-hint">${hints[field]}</p>`}${errors[field] === undefined ? "" : h`<p class="field-error" id="${id(field)}-error">${errors[field]}</p>`}`;
  const input = (field: "start" | "end" | "before" | "maxOverdue" | "escalate" | "digest", attrs: Html) =>
    h`<div class="field"><label for="${id(field)}">${labels[field]}</label><input id="${id(field)}" name="${FIELD_NAMES[field]}" value="${f[field]}"${attrs}${describedBy(field)}>${after(field)}</div>`;
  const checkbox = (field: "enabled" | "openedNotice" | "deadlineMorning") =>
    h`<div class="field"><label class="inline" for="${id(field)}"><input type="checkbox" id="${id(field)}" name="${FIELD_NAMES[field]}" value="1"${f[field] ? raw(" checked") : ""}${describedBy(field)}> ${labels[field]}</label>${after(field)}</div>`;
  const number = (min: number) => raw(` type="number" inputmode="numeric" min="${min}" max="60" step="1" required`);
  const problems = (Object.keys(labels) as SettingsField[]).flatMap((k) => (errors[k] === undefined ? [] : [`${labels[k]}: ${errors[k]}`]));
  return h`<h1>${t.title}</h1>
    ${saved ? notice("ok", [t.saved]) : ""}
    ${problems.length === 0 ? "" : notice("error", [t.problemsHeader(problems.length), ...problems])}
    <form method="post" action="/console/caidat">${csrfField(csrf)}
      <fieldset><legend>${t.hoursTitle}</legend>
        <p class="hint">${t.hoursHelp}</p>
        ${input("start", raw(' type="time" required'))}
        ${input("end", raw(' type="time" required'))}
      </fieldset>
      <fieldset><legend>${t.policyTitle}</legend>
        <p class="hint">${t.policyHelp}</p>
        ${checkbox("enabled")}
        ${checkbox("openedNotice")}
        ${input("before", raw(' type="text" inputmode="numeric" autocomplete="off"'))}
        ${checkbox("deadlineMorning")}
        ${input("maxOverdue", number(0))}
        ${input("escalate", number(1))}
        ${input("digest", number(1))}
      </fieldset>
      <div class="actions"><button type="submit">${t.save}</button></div>
    </form>`;
}
