-- DropIndex
DROP INDEX "Conversation_platform_chatId_key";

-- AlterTable
ALTER TABLE "Conversation" DROP CONSTRAINT "Conversation_pkey",
DROP COLUMN "chatId",
DROP COLUMN "id",
DROP COLUMN "platform",
ADD COLUMN     "personId" INTEGER NOT NULL,
ADD CONSTRAINT "Conversation_pkey" PRIMARY KEY ("personId");

-- AlterTable
ALTER TABLE "Submission" DROP COLUMN "cursor";

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
