-- CreateTable
CREATE TABLE "SandboxEntry" (
    "id" SERIAL NOT NULL,
    "chatId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "fileName" TEXT,
    "mimeType" TEXT,
    "fileData" BYTEA,

    CONSTRAINT "SandboxEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SandboxEntry_chatId_id_idx" ON "SandboxEntry"("chatId", "id");
