export { createTelegramAdapter, SECRET_HEADER as TELEGRAM_SECRET_HEADER, type TelegramAdapterDeps } from "./adapter.ts";
export { telegramEnvelope, telegramToInbound } from "./inbound.ts";
export { inlineKeyboard, planTelegramCalls, TEXT_LIMIT as TELEGRAM_TEXT_LIMIT } from "./render.ts";
export { telegramSendError } from "./errors.ts";
