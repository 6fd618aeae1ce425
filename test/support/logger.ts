import { createLogger } from "../../src/logger.ts";

/** Tests log only errors, to keep the output readable. */
export const testLogger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
