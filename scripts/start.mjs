// `npm start`: runs the compiled app (dist/app/main.js), building it first
// when a source file changed (a fresh clone, a pull, an edit). In this one
// process: npm's script execs node on this file, so there is no shell and no
// second node between npm and the bot, and a stop signal reaches the app.
//
// When dist/ cannot be written (a read-only install) the app runs from its
// TypeScript source through tsx instead, as `npm run dev` does.
import { build, entry, isUpToDate, root } from "./build.mjs";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { pathToFileURL } from "node:url";

let main = entry;
if (!isUpToDate()) {
  // The same line src/main.ts prints, before esbuild would fail on the missing import.
  if (!existsSync(join(root, "src", "db", "generated", "client.ts"))) {
    process.stderr.write("Cannot start: the Prisma client is not generated (src/db/generated is missing). Run `npm install` or `npm run db:generate`.\n");
    process.exit(1);
  }
  try {
    await build();
  } catch (err) {
    // A mistake in the source: esbuild has printed it, and tsx would fail on it too.
    if (err && typeof err === "object" && "errors" in err) process.exit(1);
    process.stderr.write(`Could not build dist/ (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); running from source with tsx.\n`);
    const { register } = await import("tsx/esm/api");
    register();
    main = join(root, "src", "main.ts");
  }
}
await import(pathToFileURL(main).href);
