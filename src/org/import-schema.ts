// The organisation import file: units (a tree), people with their roles,
// report templates, the committees' bodies (standing board, inspection
// commission) and the office's settings. One zod schema checks the shape and
// every cross reference, and yields a flat, resolved OrgImport ready to apply.
import { z } from "zod";
import type { BodyKind, PeriodType, Role, UnitKind } from "../db/generated/client.ts";
import { formatPath, templateFormSchema, text, type TemplateForm } from "../forms/template-schema.ts";
import { vi } from "../texts/vi.ts";
import { officeHoursSchema, type OfficeHours } from "../calendar/office-hours.ts";
import type { PolicyOverrides } from "../reminders/policy.ts";
import { questionSettingsSchema, type QuestionSettingsInput } from "../questions/settings.ts";

export const unitKinds = ["COMMITTEE", "PARTY_ORG", "AGENCY", "FRONT", "MASS_ORG", "OTHER"] as const satisfies readonly UnitKind[];
export const roles = ["REPORTER", "HEAD", "COMMITTEE_MEMBER", "OFFICE"] as const satisfies readonly Role[];
export const importPeriods = ["MONTHLY", "QUARTERLY", "SIX_MONTHLY", "NINE_MONTHLY", "YEARLY"] as const satisfies readonly PeriodType[];
/**
 * The bodies a file names, as it writes them. The office (BodyKind OFFICE) is
 * not one of them: it is the committee's people with the OFFICE role.
 */
export const importBodyKinds = { standing_board: "STANDING_BOARD", inspection: "INSPECTION" } as const satisfies Record<string, BodyKind>;
export type ImportBodyKind = (typeof importBodyKinds)[keyof typeof importBodyKinds];

export interface ImportUnit {
  code: string;
  name: string;
  shortName: string | null;
  kind: UnitKind;
  parentCode: string | null;
}

export interface ImportPerson {
  code: string;
  fullName: string;
  position: string | null;
  phone: string | null;
  email: string | null;
  roles: { unitCode: string; role: Role }[];
}

export interface ImportTemplate {
  code: string;
  title: string;
  periodType: PeriodType;
  deadlineWorkingDays: number;
  editAfterDeadline: boolean;
  /** Overrides of the office's reminder policy (keys of reminderPolicySchema); null: none. */
  reminderPolicy: PolicyOverrides | null;
  /** Resolved from an explicit list or a subtree selection. */
  targetUnitCodes: string[];
  form: TemplateForm;
}

/** A committee's standing board or inspection commission; the file gives all its members. */
export interface ImportBody {
  committeeCode: string;
  kind: ImportBodyKind;
  name: string;
  /** In file order; at most one chair. */
  members: { personCode: string; chair: boolean }[];
}

/** The office's settings from the file; a key left out keeps what the database has. */
export interface ImportSettings {
  officeHours?: OfficeHours;
  reminderPolicy?: PolicyOverrides;
  /** Stored as written (snake_case), as the questions module reads it. */
  questions?: QuestionSettingsInput;
}

/** A valid import file, flattened: units are listed parents first. */
export interface OrgImport {
  units: ImportUnit[];
  people: ImportPerson[];
  templates: ImportTemplate[];
  bodies: ImportBody[];
  settings: ImportSettings;
}

export type FormFileResult = { ok: true; value: unknown } | { ok: false; message: string };

export interface ImportSchemaDeps {
  /** Reads a form_file (a path relative to the import file). */
  readForm(relativePath: string): FormFileResult;
}

// Codes are stable keys typed by office staff; spreadsheets often turn
// numeric codes into numbers, so numbers are accepted as text.
const code = z
  .union([z.string(), z.int()])
  .transform((v) => String(v).normalize("NFC").trim())
  .pipe(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: vi.importCli.badCode }));

const phone = z
  .string({ error: (iss) => (typeof iss.input === "number" ? vi.importCli.phoneNotQuoted : undefined) })
  .transform((s) => s.replace(/[\s.()-]/g, ""))
  .pipe(z.string().regex(/^(\+84|0)\d{9,10}$/, { error: vi.importCli.badPhone }));

interface RawUnit {
  code: string;
  name: string;
  short_name?: string | undefined;
  kind: UnitKind;
  parent?: string | undefined;
  children?: RawUnit[] | undefined;
}

interface RawUnitInput {
  code: string | number;
  name: string;
  short_name?: string | undefined;
  kind: UnitKind;
  parent?: string | number | undefined;
  children?: RawUnitInput[] | undefined;
}

const unitSchema: z.ZodType<RawUnit, RawUnitInput> = z.strictObject({
  code,
  name: text(),
  short_name: text().optional(),
  kind: z.enum(unitKinds),
  /** For flat lists; nested units take their parent from the nesting. */
  parent: code.optional(),
  get children() {
    return z.array(unitSchema).optional();
  },
});

const personSchema = z.strictObject({
  code,
  name: text(),
  position: text().optional(),
  phone: phone.optional(),
  email: z.email().optional(),
  roles: z.array(z.strictObject({ unit: code, role: z.enum(roles) })).default([]),
});

const targetSchema = z.union([
  z.array(code).min(1),
  z.strictObject({
    under: code,
    kinds: z.array(z.enum(unitKinds)).min(1).optional(),
    include_self: z.boolean().default(false),
  }),
]);

/**
 * A reminder policy as the office writes it (snake_case, like the rest of the
 * file): only the keys given, so a key left out follows the office's default
 * policy, and that the built-in one.
 */
const reminderPolicy = z
  .strictObject({
    enabled: z.boolean().optional(),
    opened_notice: z.boolean().optional(),
    before_working_days: z.array(z.int().min(1).max(60)).max(10).optional(),
    deadline_morning: z.boolean().optional(),
    max_overdue_reminders: z.int().min(0).max(60).optional(),
    escalate_to_heads_from: z.int().min(1).max(60).optional(),
    committee_digest_from: z.int().min(1).max(60).optional(),
  })
  .transform((p): PolicyOverrides => {
    const out: PolicyOverrides = {};
    if (p.enabled !== undefined) out.enabled = p.enabled;
    if (p.opened_notice !== undefined) out.openedNotice = p.opened_notice;
    if (p.before_working_days !== undefined) out.beforeWorkingDays = p.before_working_days;
    if (p.deadline_morning !== undefined) out.deadlineMorning = p.deadline_morning;
    if (p.max_overdue_reminders !== undefined) out.maxOverdueReminders = p.max_overdue_reminders;
    if (p.escalate_to_heads_from !== undefined) out.escalateToHeadsFrom = p.escalate_to_heads_from;
    if (p.committee_digest_from !== undefined) out.committeeDigestFrom = p.committee_digest_from;
    return out;
  });

const settingsSchema = z.strictObject({
  office_hours: officeHoursSchema.optional(),
  reminder_policy: reminderPolicy.optional(),
  questions: questionSettingsSchema.optional(),
});

const bodySchema = z.strictObject({
  /** A unit of kind COMMITTEE. */
  committee: code,
  kind: z
    .enum(["standing_board", "inspection"] as const satisfies readonly (keyof typeof importBodyKinds)[], {
      error: (iss) => (typeof iss.input === "string" && iss.input.trim().toLowerCase() === "office" ? vi.importCli.officeBody : undefined),
    })
    .transform((k) => importBodyKinds[k]),
  name: text(),
  members: z.array(z.strictObject({ person: code, chair: z.boolean().default(false) })).min(1),
});

function templateSchema(deps: ImportSchemaDeps) {
  return z.strictObject({
    code,
    title: text(),
    period: z.enum(importPeriods),
    deadline_working_days: z.int().min(1).max(30).default(1),
    edit_after_deadline: z.boolean().default(false),
    reminder_policy: reminderPolicy.optional(),
    units: targetSchema,
    form: templateFormSchema.optional(),
    form_file: z
      .string()
      .transform((path, ctx) => {
        const r = deps.readForm(path);
        if (r.ok) return r.value;
        ctx.addIssue({ code: "custom", message: r.message, input: path });
        return z.NEVER;
      })
      .pipe(templateFormSchema)
      .optional(),
  });
}

export function importFileSchema(deps: ImportSchemaDeps) {
  return z
    .strictObject({
      units: z.array(unitSchema).min(1),
      people: z.array(personSchema).default([]),
      templates: z.array(templateSchema(deps)).default([]),
      bodies: z.array(bodySchema).default([]),
      settings: settingsSchema.default({}),
    })
    .transform((raw, ctx): OrgImport => {
      const problems: { path: PropertyKey[]; message: string }[] = [];
      const report = (path: PropertyKey[], message: string) => problems.push({ path, message });
      const result = resolve(raw, report);
      for (const p of problems) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
      return problems.length > 0 ? z.NEVER : result;
    });
}

/**
 * Unknown units named by roles, templates, parents and bodies, and unknown
 * people named by bodies, read from the file as it is, however broken its
 * shape: the schema checks these only once the shape is right, and a person
 * fixing a file wants every problem at once.
 */
export function referenceProblems(raw: unknown): { path: PropertyKey[]; message: string }[] {
  const file = (raw ?? {}) as { units?: unknown; people?: unknown; templates?: unknown; bodies?: unknown };
  const codeOf = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v).normalize("NFC").trim() : undefined);
  const known = new Set<string>();
  const unitKind = new Map<string, unknown>();
  const walk = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const u of list as { code?: unknown; kind?: unknown; children?: unknown }[]) {
      const c = codeOf(u.code);
      if (c !== undefined) {
        known.add(c);
        // A kind that is itself wrong is told by the schema, not again here.
        unitKind.set(c, (unitKinds as readonly unknown[]).includes(u.kind) ? u.kind : null);
      }
      walk(u.children);
    }
  };
  walk(file.units);
  if (known.size === 0) return [];
  const out: { path: PropertyKey[]; message: string }[] = [];
  const check = (value: unknown, path: PropertyKey[]) => {
    const c = codeOf(value);
    if (c !== undefined && !known.has(c)) out.push({ path, message: vi.importCli.unknownUnit(c) });
  };
  if (Array.isArray(file.people)) {
    (file.people as { roles?: unknown }[]).forEach((p, i) => {
      if (Array.isArray(p.roles)) (p.roles as { unit?: unknown }[]).forEach((r, j) => check(r.unit, ["people", i, "roles", j, "unit"]));
    });
  }
  if (Array.isArray(file.templates)) {
    (file.templates as { units?: unknown }[]).forEach((t, i) => {
      if (Array.isArray(t.units)) t.units.forEach((c, j) => check(c, ["templates", i, "units", j]));
      else if (t.units !== null && typeof t.units === "object") check((t.units as { under?: unknown }).under, ["templates", i, "units", "under"]);
    });
  }
  if (Array.isArray(file.bodies)) {
    // People are checked only when the list of people can be read at all.
    const people = file.people === undefined ? [] : Array.isArray(file.people) ? (file.people as ({ code?: unknown } | null)[]) : null;
    const knownPeople = people === null ? null : new Set(people.flatMap((p) => codeOf(p?.code) ?? []));
    const bodies = (file.bodies as ({ committee?: unknown; kind?: unknown; members?: unknown } | null)[]).map((b) => ({
      committee: codeOf(b?.committee),
      kind: typeof b?.kind === "string" && Object.hasOwn(importBodyKinds, b.kind) ? b.kind : undefined,
      members: Array.isArray(b?.members)
        ? (b.members as ({ person?: unknown; chair?: unknown } | null)[]).map((m) => ({ person: codeOf(m?.person), chair: m?.chair === true }))
        : [],
    }));
    checkBodies(bodies, (c) => (known.has(c) ? unitKind.get(c) : undefined), knownPeople, (path, message) => out.push({ path, message }));
  }
  return out;
}

interface BodyToCheck {
  committee: string | undefined;
  /** As the file writes it (standing_board); undefined when not one of those. */
  kind: string | undefined;
  members: { person: string | undefined; chair: boolean }[];
}

/**
 * The checks of the bodies, for the schema (a file of the right shape) and
 * for the reference check (any file): a committee unit that exists and is a
 * COMMITTEE, known people, each kind once per committee, each person once
 * per body, at most one chair. `unitKind` is undefined for an unknown unit;
 * `people` null when the people cannot be read.
 */
function checkBodies(bodies: BodyToCheck[], unitKind: (code: string) => unknown, people: Set<string> | null, report: Report): void {
  const t = vi.importCli;
  const bodyPath = new Map<string, PropertyKey[]>();
  bodies.forEach((b, i) => {
    const path = ["bodies", i];
    if (b.committee !== undefined) {
      const kind = unitKind(b.committee);
      if (kind === undefined) report([...path, "committee"], t.unknownUnit(b.committee));
      else if (typeof kind === "string" && kind !== "COMMITTEE") report([...path, "committee"], t.bodyNotCommittee(b.committee, kind));
    }
    if (b.committee !== undefined && b.kind !== undefined) {
      const key = `${b.committee}|${b.kind}`;
      const first = bodyPath.get(key);
      if (first) report([...path, "kind"], t.duplicateBody(b.kind, b.committee, formatPath(first)));
      else bodyPath.set(key, path);
    }
    const memberPath = new Map<string, PropertyKey[]>();
    let chairPath: PropertyKey[] | undefined;
    b.members.forEach((m, j) => {
      const at = [...path, "members", j];
      if (m.person !== undefined) {
        if (people !== null && !people.has(m.person)) report([...at, "person"], t.unknownPerson(m.person));
        const seen = memberPath.get(m.person);
        if (seen) report([...at, "person"], t.duplicateBodyMember(m.person, formatPath(seen)));
        else memberPath.set(m.person, at);
      }
      if (m.chair) {
        if (chairPath) report([...at, "chair"], t.twoChairs(formatPath(chairPath)));
        else chairPath = at;
      }
    });
  });
}

interface RawFile {
  units: RawUnit[];
  people: z.output<typeof personSchema>[];
  templates: z.output<ReturnType<typeof templateSchema>>[];
  bodies: z.output<typeof bodySchema>[];
  settings: z.output<typeof settingsSchema>;
}

type Report = (path: PropertyKey[], message: string) => void;

function resolve(raw: RawFile, report: Report): OrgImport {
  const t = vi.importCli;
  const units: (ImportUnit & { path: PropertyKey[]; explicitParent: boolean })[] = [];
  const unitPath = new Map<string, PropertyKey[]>();

  const walk = (list: RawUnit[], parentCode: string | null, base: PropertyKey[]) => {
    list.forEach((u, i) => {
      const path = [...base, i];
      const first = unitPath.get(u.code);
      if (first) report([...path, "code"], t.duplicateUnit(u.code, formatPath(first)));
      else unitPath.set(u.code, path);
      if (parentCode !== null && u.parent !== undefined && u.parent !== parentCode) {
        report([...path, "parent"], t.parentConflict(u.parent, parentCode));
      }
      units.push({
        code: u.code,
        name: u.name,
        shortName: u.short_name ?? null,
        kind: u.kind,
        parentCode: parentCode ?? u.parent ?? null,
        path,
        explicitParent: parentCode === null && u.parent !== undefined,
      });
      if (u.children) walk(u.children, u.code, [...path, "children"]);
    });
  };
  walk(raw.units, null, ["units"]);

  const parentOf = new Map(units.map((u) => [u.code, u.parentCode]));
  const seenCycles = new Set<string>();
  for (const u of units) {
    if (!u.explicitParent || u.parentCode === null) continue;
    if (!parentOf.has(u.parentCode)) {
      report([...u.path, "parent"], t.unknownUnit(u.parentCode));
      continue;
    }
    const chain = [u.code];
    let cur: string | null = u.parentCode;
    while (cur !== null && !chain.includes(cur)) {
      chain.push(cur);
      cur = parentOf.get(cur) ?? null;
    }
    if (cur === u.code) {
      const key = [...chain].sort().join("|");
      if (!seenCycles.has(key)) {
        seenCycles.add(key);
        report([...u.path, "parent"], t.cycle([...chain, u.code]));
      }
    }
  }

  const people: ImportPerson[] = [];
  const personPath = new Map<string, PropertyKey[]>();
  raw.people.forEach((p, i) => {
    const path = ["people", i];
    const first = personPath.get(p.code);
    if (first) report([...path, "code"], t.duplicatePerson(p.code, formatPath(first)));
    else personPath.set(p.code, path);
    const seen = new Set<string>();
    p.roles.forEach((r, j) => {
      if (!unitPath.has(r.unit)) report([...path, "roles", j, "unit"], t.unknownUnit(r.unit));
      const key = `${r.unit}|${r.role}`;
      if (seen.has(key)) report([...path, "roles", j], t.duplicateRole(r.role, r.unit));
      seen.add(key);
    });
    people.push({
      code: p.code,
      fullName: p.name,
      position: p.position ?? null,
      phone: p.phone ?? null,
      email: p.email ?? null,
      roles: [...new Map(p.roles.map((r) => [`${r.unit}|${r.role}`, { unitCode: r.unit, role: r.role }])).values()],
    });
  });

  const childrenOf = new Map<string, string[]>();
  for (const u of units) {
    if (u.parentCode === null) continue;
    const list = childrenOf.get(u.parentCode) ?? [];
    list.push(u.code);
    childrenOf.set(u.parentCode, list);
  }
  const kindOf = new Map(units.map((u) => [u.code, u.kind]));

  const templates: ImportTemplate[] = [];
  const templatePath = new Map<string, PropertyKey[]>();
  raw.templates.forEach((tp, i) => {
    const path = ["templates", i];
    const first = templatePath.get(tp.code);
    if (first) report([...path, "code"], t.duplicateTemplate(tp.code, formatPath(first)));
    else templatePath.set(tp.code, path);

    const form = tp.form ?? tp.form_file;
    if (tp.form !== undefined && tp.form_file !== undefined) report([...path, "form_file"], t.formTwice);
    if (form === undefined) report([...path, "form"], t.formMissing);

    let targets: string[] = [];
    if (Array.isArray(tp.units)) {
      tp.units.forEach((c, j) => {
        if (!unitPath.has(c)) report([...path, "units", j], t.unknownUnit(c));
      });
      targets = [...new Set(tp.units)];
    } else if (!unitPath.has(tp.units.under)) {
      report([...path, "units", "under"], t.unknownUnit(tp.units.under));
    } else {
      const sel = tp.units;
      const all: string[] = sel.include_self ? [sel.under] : [];
      const stack = [...(childrenOf.get(sel.under) ?? [])];
      // Depth-first in file order, so the stored targets read like the file.
      while (stack.length > 0) {
        const c = stack.shift()!;
        all.push(c);
        stack.unshift(...(childrenOf.get(c) ?? []));
      }
      targets = sel.kinds ? all.filter((c) => sel.kinds?.includes(kindOf.get(c) ?? "OTHER")) : all;
      if (targets.length === 0) report([...path, "units"], t.noTargets(sel.under));
    }

    if (form !== undefined) {
      templates.push({
        code: tp.code,
        title: tp.title,
        periodType: tp.period,
        deadlineWorkingDays: tp.deadline_working_days,
        editAfterDeadline: tp.edit_after_deadline,
        reminderPolicy: tp.reminder_policy ?? null,
        targetUnitCodes: targets,
        form,
      });
    }
  });

  checkBodies(
    raw.bodies.map((b) => ({ committee: b.committee, kind: b.kind.toLowerCase(), members: b.members })),
    (c) => kindOf.get(c),
    new Set(personPath.keys()),
    report,
  );
  const bodies: ImportBody[] = raw.bodies.map((b) => ({
    committeeCode: b.committee,
    kind: b.kind,
    name: b.name,
    members: b.members.map((m) => ({ personCode: m.person, chair: m.chair })),
  }));

  return {
    units: orderParentsFirst(units.map(({ code, name, shortName, kind, parentCode }) => ({ code, name, shortName, kind, parentCode }))),
    people,
    templates,
    bodies,
    settings: {
      ...(raw.settings.office_hours && { officeHours: raw.settings.office_hours }),
      ...(raw.settings.reminder_policy && { reminderPolicy: raw.settings.reminder_policy }),
      ...(raw.settings.questions && { questions: raw.settings.questions }),
    },
  };
}

function orderParentsFirst(units: ImportUnit[]): ImportUnit[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const out: ImportUnit[] = [];
  const done = new Set<string>();
  const visit = (u: ImportUnit, guard: Set<string>) => {
    if (done.has(u.code) || guard.has(u.code)) return;
    guard.add(u.code);
    const parent = u.parentCode === null ? undefined : byCode.get(u.parentCode);
    if (parent) visit(parent, guard);
    done.add(u.code);
    out.push(u);
  };
  for (const u of units) visit(u, new Set());
  return out;
}
