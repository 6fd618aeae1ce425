// Structured logs. Message texts, tokens and phone numbers never go in: the
// redaction below is a safety net, the habit is to not log them at all.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "baocao" },
      redact: {
        paths: ["token", "*.token", "text", "*.text", "phone", "*.phone", "code", "*.code", "payload", "*.payload", "secret", "*.secret"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

/** Strips bot tokens from anything that might carry a URL (error messages). */
export function scrubTokens(s: string): string {
  return s.replace(/bot\d+:[A-Za-z0-9_-]+/g, "bot[redacted]").replace(/\/bot[^/\s]{8,}\//g, "/bot[redacted]/");
}
