// Minimal zod views of Telegram updates: only the fields the adapter reads.
// Loose objects keep unknown fields, so new Bot API additions never break parsing.
import { z } from "zod";

export const tgChat = z.looseObject({ id: z.number(), type: z.string() });

export const tgUser = z.looseObject({
  id: z.number(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const tgPhotoSize = z.looseObject({
  file_id: z.string(),
  width: z.number(),
  height: z.number(),
  file_size: z.number().optional(),
});

const tgDocument = z.looseObject({
  file_id: z.string(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
  file_size: z.number().optional(),
});

export const tgMessage = z.looseObject({
  message_id: z.number(),
  date: z.number(),
  chat: tgChat,
  from: tgUser.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  document: tgDocument.optional(),
  photo: z.array(tgPhotoSize).optional(),
});
export type TgMessage = z.infer<typeof tgMessage>;

const tgCallbackQuery = z.looseObject({
  id: z.string(),
  from: tgUser,
  data: z.string().optional(),
  // Absent for inline-mode messages; "inaccessible" messages still carry chat and id.
  message: z.looseObject({ message_id: z.number(), date: z.number(), chat: tgChat }).optional(),
});

const tgChatMemberUpdated = z.looseObject({ chat: tgChat, from: tgUser, date: z.number() });

export const tgUpdate = z.looseObject({
  update_id: z.number().int(),
  message: tgMessage.optional(),
  edited_message: tgMessage.optional(),
  callback_query: tgCallbackQuery.optional(),
  my_chat_member: tgChatMemberUpdated.optional(),
});
export type TgUpdate = z.infer<typeof tgUpdate>;

/** What a webhook body must at least be. */
export const tgWebhookBody = z.looseObject({ update_id: z.number().int() });

/** The update kinds the bot asks Telegram for (getUpdates and setWebhook). */
export const allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
