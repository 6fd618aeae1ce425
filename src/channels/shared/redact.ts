// Error details that are safe to log: no token, no message text.

/** Removes every occurrence of the token from a string (URLs in network errors carry it). */
export function redact(s: string, token: string): string {
  return token === "" ? s : s.split(token).join("<token>");
}

/** A short, token-free description of an unknown error for logs. */
export function safeErrorFields(err: unknown, token: string): Record<string, unknown> {
  if (!(err instanceof Error)) return { err: redact(String(err), token) };
  const fields: Record<string, unknown> = { errName: err.name, errMessage: redact(err.message, token) };
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") fields.errCode = code;
  return fields;
}
