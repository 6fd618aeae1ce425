-- CreateEnum
CREATE TYPE "QuestionKind" AS ENUM ('QUESTION', 'PROPOSAL', 'INFO_REQUEST');

-- CreateEnum
CREATE TYPE "BodyKind" AS ENUM ('STANDING_BOARD', 'INSPECTION', 'OFFICE');

-- CreateEnum
CREATE TYPE "QuestionVerdict" AS ENUM ('SATISFIED', 'NOT_SATISFIED');

-- DropIndex
DROP INDEX "QuestionAnswer_questionId_idx";

-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "questionId" INTEGER;

-- AlterTable
ALTER TABLE "OutboundMessage" ADD COLUMN     "questionId" INTEGER;

-- AlterTable
ALTER TABLE "Question" ADD COLUMN     "answeredAt" TIMESTAMPTZ(3),
ADD COLUMN     "conference" TEXT,
ADD COLUMN     "draft" JSONB,
ADD COLUMN     "draftUpdatedAt" TIMESTAMPTZ(3),
ADD COLUMN     "drafterId" INTEGER,
ADD COLUMN     "enteredById" INTEGER,
ADD COLUMN     "kind" "QuestionKind" NOT NULL DEFAULT 'QUESTION',
ADD COLUMN     "parentId" INTEGER,
ADD COLUMN     "targetBodyId" INTEGER,
ADD COLUMN     "verdict" "QuestionVerdict",
ADD COLUMN     "verdictAt" TIMESTAMPTZ(3),
ADD COLUMN     "verdictComment" TEXT;

-- AlterTable
ALTER TABLE "QuestionAnswer" ADD COLUMN     "draftedById" INTEGER,
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "CommitteeBody" (
    "id" SERIAL NOT NULL,
    "committeeId" INTEGER NOT NULL,
    "kind" "BodyKind" NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "CommitteeBody_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BodyMember" (
    "bodyId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "chair" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "BodyMember_pkey" PRIMARY KEY ("bodyId","personId")
);

-- CreateIndex
CREATE UNIQUE INDEX "CommitteeBody_committeeId_kind_key" ON "CommitteeBody"("committeeId", "kind");

-- CreateIndex
CREATE INDEX "BodyMember_personId_idx" ON "BodyMember"("personId");

-- CreateIndex
CREATE INDEX "OutboundMessage_questionId_idx" ON "OutboundMessage"("questionId");

-- CreateIndex
CREATE INDEX "Question_targetPersonId_status_idx" ON "Question"("targetPersonId", "status");

-- CreateIndex
CREATE INDEX "Question_askedById_idx" ON "Question"("askedById");

-- CreateIndex
CREATE INDEX "Question_parentId_idx" ON "Question"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionAnswer_questionId_revision_key" ON "QuestionAnswer"("questionId", "revision");

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommitteeBody" ADD CONSTRAINT "CommitteeBody_committeeId_fkey" FOREIGN KEY ("committeeId") REFERENCES "Unit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BodyMember" ADD CONSTRAINT "BodyMember_bodyId_fkey" FOREIGN KEY ("bodyId") REFERENCES "CommitteeBody"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BodyMember" ADD CONSTRAINT "BodyMember_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_enteredById_fkey" FOREIGN KEY ("enteredById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_targetBodyId_fkey" FOREIGN KEY ("targetBodyId") REFERENCES "CommitteeBody"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Question"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Question" ADD CONSTRAINT "Question_drafterId_fkey" FOREIGN KEY ("drafterId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuestionAnswer" ADD CONSTRAINT "QuestionAnswer_draftedById_fkey" FOREIGN KEY ("draftedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundMessage" ADD CONSTRAINT "OutboundMessage_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "Question"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Exactly one addressee: a unit, a person or a body.
ALTER TABLE "Question" ADD CONSTRAINT "Question_one_target" CHECK (num_nonnulls("targetUnitId", "targetPersonId", "targetBodyId") = 1);
