export { createZaloAdapter, SECRET_HEADER as ZALO_SECRET_HEADER, type ZaloAdapterDeps, type OutboundFile } from "./adapter.ts";
export { createZaloApi, ZaloApiError, ZaloNetworkError, ZALO_API_ROOT, type ZaloApi, type ZaloApiDeps } from "./api.ts";
export { zaloEnvelope, zaloToInbound } from "./inbound.ts";
export { numberedChoices, planZaloCalls, renderZaloText, zaloTextParts, ZALO_TEXT_LIMIT, type ZaloCall } from "./render.ts";
export { zaloSendError } from "./errors.ts";
export type { ZaloUpdate } from "./schema.ts";
