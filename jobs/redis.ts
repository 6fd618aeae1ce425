// The Redis connection shared by queues and workers.
import { Redis } from "ioredis";
import { redactUrl } from "../src/db/database.ts";

export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

/** How to get Redis, for the one-line start-up error. */
export const REDIS_HELP =
  "install and start Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis && brew services start redis; Docker: docker compose up -d redis), or set REDIS_URL";

/** Connects and checks Redis answers; rejects with one clear line if not. */
export async function connectRedis(url: string, timeoutMs = 3_000): Promise<Redis> {
  const redis = new Redis(url, {
    // Workers need blocking commands that wait for Redis to come back.
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on("error", () => undefined); // reported by health checks and callers
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), timeoutMs)),
    ]);
  } catch (err) {
    redis.disconnect();
    throw new RedisUnavailableError(`Redis is not reachable at ${redactUrl(url)} (${(err as Error).message})`);
  }
  return redis;
}

