// grammY errors → SendFailure (so the outbound queue knows whether to retry)
// and → download errors.
import { GrammyError, HttpError } from "grammy";
import { DownloadError, FileTooLargeError, SendError } from "../channel.ts";
import { networkCode, neverSent } from "../shared/reached.ts";

export function telegramSendError(err: unknown): SendError {
  if (err instanceof GrammyError) {
    const code = err.error_code;
    const desc = err.description.toLowerCase();
    if (code === 429) return new SendError({ kind: "rate_limited", retryAfterSec: err.parameters.retry_after ?? 1 });
    if (code === 403) {
      const reason = desc.includes("blocked")
        ? "blocked"
        : desc.includes("deactivated")
          ? "user_deactivated"
          : desc.includes("kicked")
            ? "kicked"
            : "forbidden";
      return new SendError({ kind: "permanent", reason });
    }
    if (code === 400) {
      if (desc.includes("chat not found")) return new SendError({ kind: "permanent", reason: "chat_not_found" });
      if (err.parameters.migrate_to_chat_id !== undefined) return new SendError({ kind: "permanent", reason: "chat_migrated" });
      return new SendError({ kind: "permanent", reason: "bad_request" });
    }
    // 401 is a configuration problem, not the recipient's: retry once it is fixed.
    if (code === 401) return new SendError({ kind: "transient", reason: "unauthorized" });
    return new SendError({ kind: "transient", reason: `http_${code}` });
  }
  if (err instanceof HttpError) {
    const code = networkCode(err.error);
    if (neverSent(code)) return new SendError({ kind: "transient", reason: "network" });
    // grammY's own timeout is a plain Error; node-fetch's other failures carry a code or a type.
    const timedOut = err.error instanceof Error && err.error.message.includes("timed out");
    return new SendError({ kind: "ambiguous", reason: `no_answer:${code ?? (timedOut ? "timeout" : "network")}` });
  }
  // Not a platform or network error: whether anything left is unknown.
  return new SendError({ kind: "ambiguous", reason: "unknown" });
}

/** getFile errors → FileTooLargeError or DownloadError. */
export function telegramDownloadError(err: unknown, maxBytes: number): FileTooLargeError | DownloadError {
  if (err instanceof GrammyError) {
    const code = err.error_code;
    const desc = err.description.toLowerCase();
    // The cloud Bot API refuses getFile above 20 MB.
    if (code === 400 && desc.includes("too big")) return new FileTooLargeError(maxBytes);
    if (code === 400 && (desc.includes("file_id") || desc.includes("file not found") || desc.includes("temporarily unavailable"))) {
      return new DownloadError({ kind: "permanent", reason: "file_not_found" });
    }
    if (code === 400) return new DownloadError({ kind: "permanent", reason: "bad_request" });
    if (code === 429) return new DownloadError({ kind: "transient", reason: "rate_limited" });
    if (code === 401) return new DownloadError({ kind: "transient", reason: "unauthorized" });
    return new DownloadError({ kind: "transient", reason: `http_${code}` });
  }
  if (err instanceof HttpError) return new DownloadError({ kind: "transient", reason: "network" });
  return new DownloadError({ kind: "transient", reason: "unknown" });
}
