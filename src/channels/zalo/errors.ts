// Zalo client errors → SendFailure, so the outbound queue knows whether to retry.
import { SendError } from "../channel.ts";
import { neverSent } from "../shared/reached.ts";
import { ZaloApiError, ZaloNetworkError } from "./api.ts";

export function zaloSendError(err: unknown): SendError {
  if (err instanceof ZaloApiError) {
    const code = err.errorCode;
    const desc = err.description.toLowerCase();
    if (code === 429 || err.httpStatus === 429) {
      return new SendError({ kind: "rate_limited", retryAfterSec: err.retryAfterSec ?? 1 });
    }
    if (desc.includes("block")) return new SendError({ kind: "permanent", reason: "blocked" });
    if (code === 403) return new SendError({ kind: "permanent", reason: "forbidden" });
    if (code === 404) return new SendError({ kind: "permanent", reason: "chat_not_found" });
    if (code === 400) return new SendError({ kind: "permanent", reason: "bad_request" });
    // 401 is the bot's configuration, not the recipient: retry once it is fixed.
    if (code === 401) return new SendError({ kind: "transient", reason: "unauthorized" });
    return new SendError({ kind: "transient", reason: `error_${code}` });
  }
  if (err instanceof ZaloNetworkError) {
    // The client keeps only a code: a system error code, "timeout", "aborted" or
    // "fetch_failed" (fetch refused the request itself, e.g. a blocked port:
    // every failure on a socket carries a code).
    if (neverSent(err.reason) || err.reason === "fetch_failed") return new SendError({ kind: "transient", reason: "network" });
    return new SendError({ kind: "ambiguous", reason: `no_answer:${err.reason}` });
  }
  // Not a platform or network error: whether anything left is unknown.
  return new SendError({ kind: "ambiguous", reason: "unknown" });
}
