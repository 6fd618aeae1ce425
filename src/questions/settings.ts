// The committee's settings for questions (the Setting row "questions"): the
// default answer deadline in working days, and whether every committee
// member sees every question. Set by the import file's `settings.questions`.
import { z } from "zod";
import type { Prisma, Tx } from "../db/database.ts";

export const QUESTIONS_SETTING_KEY = "questions";

export const DEFAULT_ANSWER_DAYS = 10;
export const MAX_ANSWER_DAYS = 90;

export const questionSettingsSchema = z.strictObject({
  /** Working days from the moment a question is sent to its default deadline. */
  answer_days: z.number().int().min(1).max(MAX_ANSWER_DAYS).optional(),
  /** true: every COMMITTEE_MEMBER of the committee sees its questions, not only those involved. */
  visible_to_members: z.boolean().optional(),
});
export type QuestionSettingsInput = z.infer<typeof questionSettingsSchema>;

export interface QuestionSettings {
  answerDays: number;
  visibleToMembers: boolean;
}

/** The stored settings, each missing or invalid value replaced by its default. */
export async function loadQuestionSettings(db: Prisma | Tx): Promise<QuestionSettings> {
  const row = await db.setting.findUnique({ where: { key: QUESTIONS_SETTING_KEY }, select: { value: true } });
  const parsed = questionSettingsSchema.safeParse(row?.value ?? {});
  const value = parsed.success ? parsed.data : {};
  return { answerDays: value.answer_days ?? DEFAULT_ANSWER_DAYS, visibleToMembers: value.visible_to_members ?? false };
}
