// The port between the chat platforms and the core. Adapters translate
// platform updates into InboundMessage and render OutboundMessage into
// platform calls; nothing in the core knows which platform it talks to.

export type PlatformName = "TELEGRAM" | "ZALO" | "SANDBOX";

export type InboundContent =
  | { type: "text"; text: string }
  /** A tapped button (Telegram callback data). Zalo has no buttons: typed numbers arrive as text. */
  | { type: "choice"; value: string }
  | {
      type: "file";
      kind: "document" | "photo";
      fileId: string;
      fileName?: string;
      mimeType?: string;
      sizeBytes?: number;
      caption?: string;
    }
  /** Stickers, voice, locations...: anything the bot does not take. */
  | { type: "unsupported"; what: string };

export interface InboundMessage {
  platform: PlatformName;
  /** Unique per platform update; the de-duplication key. */
  updateKey: string;
  chatId: string;
  chatType: "private" | "group";
  from: { id: string; displayName?: string };
  messageId: string;
  date: Date;
  content: InboundContent;
  /** Telegram callback query to acknowledge, when content is a choice. */
  callbackQueryId?: string;
}

export interface Choice {
  /** Returned as InboundContent.choice; at most 64 bytes (Telegram callback_data). */
  value: string;
  label: string;
  /** Short words that also pick this option when typed (folded: no diacritics, no spaces), e.g. "gui". */
  aliases?: string[];
}

export interface OutboundMessage {
  text: string;
  /** Telegram renders buttons; Zalo renders numbered lines. */
  choices?: Choice[];
  /**
   * On channels without buttons: "words": do not number the options, because
   * the text already gives typed numbers another meaning and says what to
   * type; "numbered": the text already lists the options with their numbers,
   * in order, so only the hint on how to answer is added.
   */
  typedChoices?: "words" | "numbered";
  /** A file to send along, e.g. an Excel export or a PNG chart. */
  file?: { fileName: string; mimeType: string; data: Uint8Array };
}

/** The envelope every adapter extracts from a raw update before it is stored. */
export interface UpdateEnvelope {
  updateKey: string;
  chatKey: string;
}

export type SendFailure =
  | { kind: "rate_limited"; retryAfterSec: number }
  /** Will never succeed: blocked by the user, chat not found, bad request. */
  | { kind: "permanent"; reason: string }
  /** Known not to have reached the platform (no connection, a 5xx answer): worth another try. */
  | { kind: "transient"; reason: string }
  /**
   * No answer after the request may have left (a timeout, a reset): the
   * platform may have shown the message, so another try could show it twice.
   */
  | { kind: "ambiguous"; reason: string };

export class SendError extends Error {
  constructor(
    readonly failure: SendFailure,
    /** Platform ids of the parts of a split message delivered before the failure. */
    readonly sentIds: readonly string[] = [],
  ) {
    super(`send failed: ${failure.kind}${"reason" in failure ? ` (${failure.reason})` : ""}`);
    this.name = "SendError";
  }
}

export interface SendOptions {
  /**
   * Parts of a split message already delivered by an earlier try: sending
   * starts at this part (0-based), so a retry does not show them again.
   */
  fromPart?: number;
}

/** A file the user attached, as the adapter fetched it from the platform. */
export interface DownloadedFile {
  data: Uint8Array;
  /** As the platform reports it; may be generic or wrong. Sniff the bytes before trusting it. */
  mimeType?: string;
  fileName?: string;
}

/** The file is over the size the bot takes (or over what the platform lets a bot fetch). */
export class FileTooLargeError extends Error {
  constructor(
    readonly maxBytes: number,
    /** Known size, when the platform declared it or the download got that far. */
    readonly sizeBytes?: number,
  ) {
    super(`file too large: ${sizeBytes !== undefined ? `${sizeBytes} bytes` : "size unknown"}, limit ${maxBytes} bytes`);
    this.name = "FileTooLargeError";
  }
}

export type DownloadFailure =
  /** Network trouble, timeouts, 5xx, 429: worth another try later. */
  | { kind: "transient"; reason: string }
  /** Unknown or expired file id, unsupported channel: retrying will not help. */
  | { kind: "permanent"; reason: string };

/** A download failed for a reason other than size. Never carries a URL (Telegram's holds the token). */
export class DownloadError extends Error {
  constructor(readonly failure: DownloadFailure) {
    super(`download failed: ${failure.kind} (${failure.reason})`);
    this.name = "DownloadError";
  }
}

/** What the core needs from a platform to talk back. */
export interface ChannelSender {
  readonly platform: PlatformName;
  /** Sends one message (split if too long); returns the platform ids of the parts sent. Throws SendError. */
  send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<string[]>;
  /** Acknowledges a tapped button so the client stops its spinner. Best effort. */
  answerChoice?(callbackQueryId: string): Promise<void>;
}

/** Receives raw updates; `sink` resolves only once they are stored durably. */
export type UpdateSink = (platform: PlatformName, rawUpdates: unknown[]) => Promise<void>;

export interface ChannelAdapter extends ChannelSender {
  /** Extracts the de-duplication and ordering keys, or null for updates to ignore. */
  envelope(raw: unknown): UpdateEnvelope | null;
  /** Translates a stored raw update for the core, or null when it carries nothing to handle. */
  toInbound(raw: unknown): InboundMessage | null;
  /** Long polling loop; resolves when `signal` aborts. */
  poll(sink: UpdateSink, signal: AbortSignal): Promise<void>;
  /** Webhook request: verifies the secret in constant time, then stores the body. Returns the HTTP status. */
  webhook(headers: Record<string, string | string[] | undefined>, body: unknown, sink: UpdateSink): Promise<number>;
  /** Registers or removes the platform webhook to match the configuration. */
  configureDelivery(): Promise<void>;
  /**
   * Fetches the bytes of an inbound file (InboundContent file: fileId, sizeBytes).
   * Throws FileTooLargeError when the declared size or the streamed bytes exceed
   * maxBytes, DownloadError otherwise.
   */
  download(file: { fileId: string; sizeBytes?: number }, maxBytes: number): Promise<DownloadedFile>;
  /** Platform username of the bot for deep links, when known. */
  describe(): Promise<{ username?: string }>;
}
