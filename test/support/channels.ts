// One driver per platform, so every conversation scenario runs unchanged
// over the Telegram and the Zalo emulator.
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { startZaloEmulator, type ZaloEmulator } from "../emulators/zalo.ts";

export interface ChannelDriver {
  readonly name: "Telegram" | "Zalo";
  readonly platform: "TELEGRAM" | "ZALO";
  /** Environment that points the bot at this emulator. */
  env(): Record<string, string>;
  /** A user writes in their private chat with the bot (chat id = user id). */
  say(user: number, text: string, name?: string): void;
  sendSticker(user: number): void;
  /** A photo (e.g. of the signed page) sent by the user. */
  sendPhoto(user: number, data: Uint8Array): void;
  /**
   * Picks an option of the bot's last message by its label: a button tap on
   * Telegram, the option's number typed on Zalo. Throws when not offered.
   */
  choose(user: number, label: string): void;
  /** Texts the bot has sent to this user so far. */
  replies(user: number): string[];
  /** Waits for the bot's n-th message (1-based) to this user and returns its text. */
  reply(user: number, n: number): Promise<string>;
  close(): Promise<void>;
}

export async function telegramDriver(): Promise<ChannelDriver & { emulator: TelegramEmulator }> {
  const emulator = await startTelegramEmulator();
  const texts = (user: number) => emulator.messagesTo(user).map((c) => c.text ?? c.caption ?? "");
  return {
    name: "Telegram",
    platform: "TELEGRAM",
    emulator,
    env: () => ({ TELEGRAM_BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot }),
    say: (user, text, name) => {
      emulator.userSends(user, text, { first_name: name ?? `User${user}` });
    },
    sendSticker: (user) => {
      emulator.injectUpdate({
        message: {
          message_id: Date.now() % 1_000_000,
          date: Math.floor(Date.now() / 1000),
          chat: { id: user, type: "private" },
          from: { id: user, is_bot: false, first_name: `User${user}` },
          sticker: { file_id: "st1", file_unique_id: "st1u", width: 512, height: 512, is_animated: false, is_video: false, type: "regular" },
        },
      });
    },
    replies: texts,
    async reply(user, n) {
      await emulator.waitFor((c) => String(c.chat_id) === String(user) && texts(user).length >= n, 20_000);
      return texts(user)[n - 1]!;
    },
    sendPhoto: (user, data) => {
      emulator.userSendsPhoto(user, data, { from: { first_name: `User${user}` } });
    },
    choose(user, label) {
      const last = emulator.messagesTo(user).findLast((c) => c.reply_markup !== undefined);
      const rows = (last?.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
      const button = rows.flat().find((b) => b.text === label);
      if (!button?.callback_data) throw new Error(`no button "${label}" in the last keyboard: ${rows.flat().map((b) => b.text).join(" | ")}`);
      emulator.userTaps(user, button.callback_data, { from: { first_name: `User${user}` } });
    },
    close: () => emulator.close(),
  };
}

export async function zaloDriver(): Promise<ChannelDriver & { emulator: ZaloEmulator }> {
  const emulator = await startZaloEmulator();
  return {
    name: "Zalo",
    platform: "ZALO",
    emulator,
    env: () => ({ ZALO_BOT_TOKEN: emulator.token, ZALO_API_ROOT: emulator.apiRoot }),
    say: (user, text, name) => {
      emulator.userSends(String(user), text, { id: String(user), display_name: name ?? `User${user}` });
    },
    sendSticker: (user) => {
      emulator.sendSticker(String(user), { id: String(user) });
    },
    replies: (user) => emulator.messagesTo(String(user)).map((c) => c.text ?? ""),
    sendPhoto: (user, data) => {
      emulator.sendImageData(String(user), data, { from: { id: String(user) } });
    },
    choose(user, label) {
      // Zalo has no buttons: options are numbered lines, answered by typing the number.
      const texts = emulator.messagesTo(String(user)).map((c) => c.text ?? "");
      for (let i = texts.length - 1; i >= 0; i--) {
        const line = texts[i]!.split("\n").find((l) => l.replace(/^(\d+)\. /, "") === label && /^\d+\. /.test(l));
        if (line) {
          emulator.userSends(String(user), line.split(".")[0]!, { id: String(user) });
          return;
        }
      }
      // Options offered as words (where numbers mean something else): type the label.
      emulator.userSends(String(user), label, { id: String(user) });
    },
    async reply(user, n) {
      const texts = () => emulator.messagesTo(String(user)).map((c) => c.text ?? "");
      await emulator.waitFor((c) => c.chat_id === String(user) && texts().length >= n, 20_000);
      return texts()[n - 1]!;
    },
    close: () => emulator.close(),
  };
}

export const drivers = [
  { name: "Telegram", make: telegramDriver },
  { name: "Zalo", make: zaloDriver },
] as const;
