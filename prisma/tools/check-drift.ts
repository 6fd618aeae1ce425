// `npm run db:check`: fails when schema.prisma and prisma/migrations disagree,
// i.e. someone changed the model without running db:new-migration.
import { diffMigrationsToSchema } from "./schema-engine.ts";

async function main(): Promise<number> {
  const diff = await diffMigrationsToSchema();
  if (diff === "") {
    console.log("OK: prisma/migrations matches schema.prisma");
    return 0;
  }
  console.error("Drift: prisma/migrations does not build schema.prisma; the missing SQL follows. After a model change, run: npm run db:new-migration -- <name>");
  // The SQL goes to stdout so it can be redirected into a file for review.
  process.stdout.write(diff);
  return 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`Could not check migrations: ${err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err)}`);
    process.exitCode = 1;
  },
);
