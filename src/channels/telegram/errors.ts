// grammY errors → SendFailure, so the outbound queue knows whether to retry.
import { GrammyError, HttpError } from "grammy";
import { SendError } from "../channel.ts";

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
  if (err instanceof HttpError) return new SendError({ kind: "transient", reason: "network" });
  return new SendError({ kind: "transient", reason: "unknown" });
}
