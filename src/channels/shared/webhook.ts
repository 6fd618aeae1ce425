// The one way a webhook call is taken, for every platform: the secret header
// checked in constant time, the body checked, then stored before the 2xx.
import type { PlatformName, UpdateSink } from "../channel.ts";
import type { ChannelLogger } from "./logger.ts";
import { safeErrorFields } from "./redact.ts";
import { headerValue, secretMatches } from "./secret.ts";

export interface WebhookCall {
  platform: PlatformName;
  secretHeader: string;
  secret: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The update to store and fields for the log, or null for a malformed body. */
  parse(): { update: unknown; logFields: Record<string, unknown> } | null;
  sink: UpdateSink;
  logger: ChannelLogger;
  token: string;
}

/**
 * Returns the HTTP status: 401 bad secret, 400 malformed, 200 stored, 503 not
 * stored (the platform re-sends). The sink stores whatever parses, sanitised
 * or marked refused, so a 503 only ever means the database could not be reached.
 */
export async function receiveWebhook(call: WebhookCall): Promise<number> {
  const name = call.platform.toLowerCase();
  if (!secretMatches(headerValue(call.headers, call.secretHeader), call.secret)) {
    call.logger.warn({ platform: call.platform }, `${name} webhook refused: bad secret`);
    return 401;
  }
  const parsed = call.parse();
  if (!parsed) {
    call.logger.warn({ platform: call.platform }, `${name} webhook refused: malformed body`);
    return 400;
  }
  try {
    await call.sink(call.platform, [parsed.update]); // stored as the platform sent it
    return 200;
  } catch (err) {
    call.logger.error({ platform: call.platform, ...parsed.logFields, ...safeErrorFields(err, call.token) }, `${name} webhook: sink failed`);
    return 503;
  }
}
