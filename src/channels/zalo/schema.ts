// zod views of Zalo Bot Platform payloads. Loose: Zalo adds fields without notice.
import { z } from "zod";

const zaloId = z.union([z.string(), z.number()]).transform(String);

export const zaloMessage = z.looseObject({
  message_id: zaloId,
  from: z.looseObject({ id: zaloId, display_name: z.string().optional(), is_bot: z.boolean().optional() }),
  chat: z.looseObject({ id: zaloId, chat_type: z.string().optional() }),
  date: z.union([z.number(), z.string()]).optional(),
  text: z.string().optional(),
  // Image messages: the photo is a URL. Some payloads call it photo_url.
  photo: z.unknown().optional(),
  photo_url: z.string().optional(),
  caption: z.string().optional(),
});

export const zaloUpdate = z.looseObject({
  event_name: z.string(),
  message: zaloMessage.optional(),
});
export type ZaloUpdate = z.infer<typeof zaloUpdate>;

/** Every reply of the Bot API. */
export const zaloReply = z.looseObject({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.looseObject({ retry_after: z.number().optional() }).optional(),
});

export const zaloSent = z.looseObject({ message_id: zaloId, date: z.number().optional() });
export type ZaloSent = z.infer<typeof zaloSent>;

export const zaloBotInfo = z.looseObject({
  id: zaloId,
  account_name: z.string().optional(),
  account_type: z.string().optional(),
  display_name: z.string().optional(),
  can_join_groups: z.boolean().optional(),
});
export type ZaloBotInfo = z.infer<typeof zaloBotInfo>;

export const zaloWebhookInfo = z.looseObject({ url: z.string().optional(), updated_at: z.number().optional() });
export type ZaloWebhookInfo = z.infer<typeof zaloWebhookInfo>;

/**
 * Real payloads come either as the update itself or wrapped as {ok, result: update}
 * (getUpdates replies, and webhook bodies on some accounts). Returns the update object.
 */
export function unwrapZaloUpdate(raw: unknown): unknown {
  if (typeof raw === "object" && raw !== null && !("event_name" in raw) && "result" in raw) {
    return raw.result;
  }
  return raw;
}

export function parseZaloUpdate(raw: unknown): ZaloUpdate | null {
  const r = zaloUpdate.safeParse(unwrapZaloUpdate(raw));
  return r.success ? r.data : null;
}
