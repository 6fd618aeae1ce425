// Queue definitions. Every proactive message is a job on its platform's send
// queue, with a job id derived from the message's dedup key, so the same
// message is never queued twice.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { PlatformName } from "../src/channels/channel.ts";

export const sendQueueName = (platform: PlatformName) => `send-${platform.toLowerCase()}`;
export const MAINTENANCE_QUEUE = "maintenance";

export interface SendJobData {
  outboundId: number;
}

export interface Queues {
  send(platform: PlatformName): Queue<SendJobData>;
  maintenance: Queue;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createQueues(deps: { connection: Redis; prefix: string; onError?: (err: Error) => void }): Queues {
  const sendQueues = new Map<PlatformName, Queue<SendJobData>>();
  // Without a listener, a connection error becomes an uncaught exception.
  const onError = deps.onError ?? (() => undefined);
  const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: deps.connection, prefix: deps.prefix });
  maintenance.on("error", onError);
  return {
    send(platform) {
      let q = sendQueues.get(platform);
      if (!q) {
        q = new Queue<SendJobData>(sendQueueName(platform), {
          connection: deps.connection,
          prefix: deps.prefix,
          defaultJobOptions: {
            attempts: 8,
            backoff: { type: "exponential", delay: 2_000 },
            removeOnComplete: { age: 24 * 3600, count: 10_000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        });
        q.on("error", onError);
        sendQueues.set(platform, q);
      }
      return q;
    },
    maintenance,
    async ping() {
      await deps.connection.ping();
    },
    async close() {
      await Promise.all([...sendQueues.values(), maintenance].map((q) => q.close()));
    },
  };
}

/** BullMQ refuses ':' in custom job ids; dedup keys use it as a separator. */
export function jobIdFor(dedupKey: string): string {
  return dedupKey.replaceAll(":", "|");
}

/** Queues stored outbound rows; re-queuing a row whose job still exists is a no-op. */
export async function enqueueOutbound(queues: Queues, rows: { id: number; dedupKey: string; platform: PlatformName }[]): Promise<void> {
  const byPlatform = new Map<PlatformName, { id: number; dedupKey: string }[]>();
  for (const row of rows) {
    const list = byPlatform.get(row.platform);
    if (list) list.push(row);
    else byPlatform.set(row.platform, [row]);
  }
  for (const [platform, list] of byPlatform) {
    // In chunks: one round trip per chunk instead of one per message.
    for (let i = 0; i < list.length; i += 500) {
      const jobs = list.slice(i, i + 500).map((row) => ({ name: "send", data: { outboundId: row.id }, opts: { jobId: jobIdFor(row.dedupKey) } }));
      await queues.send(platform).addBulk(jobs);
    }
  }
}
