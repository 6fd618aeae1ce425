// Takes a file sent as an answer: downloads it from the platform, checks its
// real type, stores it, and links it to the answer.
import { DownloadError, FileTooLargeError, type ChannelAdapter, type PlatformName } from "../channels/channel.ts";
import { optimisticOf } from "../db/deferred.ts";
import { AttachmentRejectedError, saveAttachment } from "../files/attachments.ts";
import type { FileStore } from "../files/storage.ts";
import type { AttachFile } from "./flow.ts";

export function createAttachFile(deps: { channels: ReadonlyMap<PlatformName, Pick<ChannelAdapter, "download">>; store: FileStore }): AttachFile {
  return async (tx, { file, message, personId, submissionId, path, maxBytes, now }) => {
    const channel = deps.channels.get(message.platform);
    if (!channel) return { ok: false, reason: "download_failed" };
    // Handled without a transaction (db/deferred.ts), the row goes straight to the pool.
    const optimistic = optimisticOf(tx);
    let downloaded;
    try {
      downloaded = await channel.download({ fileId: file.fileId, ...(file.sizeBytes !== undefined ? { sizeBytes: file.sizeBytes } : {}) }, maxBytes);
    } catch (err) {
      if (err instanceof FileTooLargeError) return { ok: false, reason: "too_large" };
      if (err instanceof DownloadError) return { ok: false, reason: "download_failed" };
      throw err;
    }
    try {
      const saved = await saveAttachment(
        { store: deps.store, prisma: tx, ...(optimistic ? { run: optimistic.run } : {}) },
        {
          data: downloaded.data,
          fileName: file.fileName ?? downloaded.fileName ?? (file.kind === "photo" ? "anh-chup.jpg" : "tep-dinh-kem"),
          mimeType: downloaded.mimeType ?? file.mimeType ?? "application/octet-stream",
          uploadedById: personId,
          ...(submissionId !== undefined ? { submissionId } : {}),
          ...(path !== undefined ? { answerPath: path } : {}),
          now,
        },
      );
      return { ok: true, attachmentId: saved.id, fileName: saved.fileName, mimeType: saved.mimeType, sizeBytes: saved.sizeBytes };
    } catch (err) {
      if (err instanceof AttachmentRejectedError) return { ok: false, reason: err.reason };
      throw err;
    }
  };
}
