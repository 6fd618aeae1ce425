// Prisma CLI config. Only `generate` is used: migrations run through the
// project's own runner (src/db/migrate.ts) because the CLI's schema engine
// cannot be downloaded on offline machines.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
