-- DropIndex
DROP INDEX "TemplateVersion_templateId_checksum_key";

-- CreateIndex
CREATE INDEX "TemplateVersion_templateId_checksum_idx" ON "TemplateVersion"("templateId", "checksum");
