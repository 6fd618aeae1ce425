// `npm run build`: compiles the app for `npm start` into dist/app/ — one
// esbuild bundle of src/main.ts, with the modules it imports lazily (the
// app, the workbook and chart writers) as chunks of their own; npm packages
// stay imports of node_modules. About half a second. `npm start` calls
// ensureBuilt() first, which builds only when a source file changed since.
//
// dist/app/ sits two levels below the repository like src/<dir>/, so the
// source's `new URL("../../prisma/...", import.meta.url)` finds the same files.
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { fileURLToPath, pathToFileURL, URL } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const outDir = join(root, "dist", "app");
export const entry = join(outDir, "main.js");
const stampFile = join(outDir, "build.json");
const require = createRequire(import.meta.url);

/** What a build depends on besides its source files: a change to any of these rebuilds. */
function toolchain() {
  return {
    node: process.version,
    esbuild: require("esbuild/package.json").version,
    script: fingerprint(fileURLToPath(import.meta.url)),
  };
}

function fingerprint(file) {
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}`;
}

/** True when dist/app was built from the source files as they are now. */
export function isUpToDate() {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    return false;
  }
  try {
    if (JSON.stringify(stamp.toolchain) !== JSON.stringify(toolchain())) return false;
    // A new file only matters once an existing file imports it, and that file changed.
    for (const [file, print] of Object.entries(stamp.inputs)) {
      if (fingerprint(join(root, file)) !== print) return false;
    }
    statSync(entry);
    return true;
  } catch {
    return false; // an input or an output is gone
  }
}

/**
 * Prisma's generated client keeps its WebAssembly query compiler as a 4.6 MB
 * base64 string in a module, so the string (twice: the module's source and
 * the value) stays in the heap for the life of the process. The bundle reads
 * the same bytes from a .wasm file next to it instead. If a Prisma upgrade
 * changes the generated code, the client is bundled as generated.
 */
function prismaWasmFromFile(wasmFiles) {
  return {
    name: "prisma-wasm-from-file",
    setup(build) {
      build.onLoad({ filter: /[\\/]db[\\/]generated[\\/]internal[\\/]class\.ts$/ }, async (args) => {
        const source = readFileSync(args.path, "utf8");
        const load = /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/[\w.-]+\.wasm-base64\.mjs)"\)\s*\n\s*return await decodeBase64AsWasm\(wasm\)/;
        const m = load.exec(source);
        if (!m) return { contents: source, loader: "ts" };
        const file = require.resolve(m[1]);
        wasmFiles.set("source", file);
        const { wasm } = await import(pathToFileURL(file).href);
        const bytes = Buffer.from(wasm, "base64");
        const name = `query-compiler-${createHash("sha256").update(bytes).digest("hex").slice(0, 12)}.wasm`;
        wasmFiles.set(name, bytes);
        const read = `const { readFile } = await import("node:fs/promises")\n    return new WebAssembly.Module(await readFile(new URL("./${name}", import.meta.url)))`;
        return { contents: source.replace(load, read), loader: "ts" };
      });
    },
  };
}

/**
 * The exact edits patchPrismaRuntime makes, for the installed Prisma 7.10:
 * the two loops of the parameterization graph's deserializer, and its two
 * readers (inputEdge, outputEdge).
 */
const prismaGraphEdits = [
  [
    "let i=this.#i(),o={};for(let s=0;s<i;s++){let a=this.#i(),u=this.#a(),m=this.#o(),P=this.#o(),S={flags:this.#s()};u!==0&&(S.scalarMask=u),m!==void 0&&(S.childNodeId=m),P!==void 0&&(S.enumNameIndex=P),o[a]=S}r.push({edges:o})",
    "let i=this.#i(),o=new Map;for(let s=0;s<i;s++){let a=this.#i(),u=this.#a(),m=this.#o(),P=this.#o(),S={flags:this.#s()};u!==0&&(S.scalarMask=u),m!==void 0&&(S.childNodeId=m),P!==void 0&&(S.enumNameIndex=P),o.set(a,S)}r.push({edges:o})",
  ],
  [
    "let i=this.#i(),o={};for(let s=0;s<i;s++){let a=this.#i(),u=this.#o(),m=this.#o(),P={};u!==void 0&&(P.argsNodeId=u),m!==void 0&&(P.outputNodeId=m),o[a]=P}r.push({edges:o})",
    "let i=this.#i(),o=new Map;for(let s=0;s<i;s++){let a=this.#i(),u=this.#o(),m=this.#o(),P={};u!==void 0&&(P.argsNodeId=u),m!==void 0&&(P.outputNodeId=m),o.set(a,P)}r.push({edges:o})",
  ],
  ["let o=n.edges[i];if(o)return{flags:o.flags,", "let o=n.edges.get(i);if(o)return{flags:o.flags,"],
  ["let o=n.edges[i];if(o)return{argsNodeId:o.argsNodeId,", "let o=n.edges.get(i);if(o)return{argsNodeId:o.argsNodeId,"],
];

/**
 * Prisma's runtime turns the schema's parameterization graph (about 1,100
 * nodes) into objects keyed by string-table indexes in the hundreds, so V8
 * gives nearly every node a holey elements array of 4-16 KB: about 8 MB of
 * heap, mostly holes, for the life of the process. The patched runtime keys
 * the same edges by a Map. Returns the patched source, or undefined when the
 * source is not exactly the one the edits were written for (each edit found
 * once, and no other use of `edges`), so another Prisma version runs as shipped.
 */
export function patchPrismaRuntime(source) {
  if (source.split("edges").length - 1 !== 4) return undefined;
  let patched = source;
  for (const [from, to] of prismaGraphEdits) {
    if (patched.split(from).length !== 2) return undefined;
    patched = patched.replace(from, () => to);
  }
  // The shipped source map no longer matches the edited line.
  return patched.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

/**
 * Prisma's runtime as node loads it for "@prisma/client/runtime/client" (the
 * "node" condition: client.js), patched by patchPrismaRuntime: its path, a
 * file name for the copy, and the patched bytes. Undefined when the installed
 * runtime is not the one the edits were written for.
 */
export function patchedPrismaRuntime() {
  const file = fileURLToPath(import.meta.resolve("@prisma/client/runtime/client"));
  const patched = patchPrismaRuntime(readFileSync(file, "utf8"));
  if (patched === undefined) return undefined;
  const name = `prisma-client-runtime-${createHash("sha256").update(patched).digest("hex").slice(0, 12)}.cjs`;
  return { file, name, bytes: Buffer.from(patched) };
}

/**
 * The bundle imports a patched copy of Prisma's runtime (see
 * patchPrismaRuntime), written next to it. It is the same CommonJS module
 * node would load, and its own imports resolve from the repository's
 * node_modules as before. Nothing else loads the runtime, so it is not loaded
 * twice. When the runtime cannot be patched, the import stays as it was.
 */
function prismaRuntimePatched(files) {
  return {
    name: "prisma-runtime-patched",
    setup(build) {
      let runtime;
      build.onResolve({ filter: /^@prisma\/client\/runtime\/client$/ }, () => {
        runtime ??= patchedPrismaRuntime() ?? null;
        if (runtime === null) return undefined;
        files.set(runtime.name, runtime);
        return { path: `./${runtime.name}`, external: true };
      });
    },
  };
}

/** Writes `bytes` to `file` so that a reader sees the old file or the new one, never half. */
function writeAtomic(file, bytes) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/** Builds dist/app. Returns the seconds it took. */
export async function build() {
  const started = performance.now();
  const esbuild = await import("esbuild");
  const wasmFiles = new Map();
  const runtimeFiles = new Map();
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ["src/main.ts"],
      outdir: outDir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20.19",
      packages: "external",
      sourcemap: "linked",
      metafile: true,
      write: false,
      logLevel: "warning",
      plugins: [prismaWasmFromFile(wasmFiles), prismaRuntimePatched(runtimeFiles)],
    });
    mkdirSync(outDir, { recursive: true });
    const written = new Set(["build.json"]);
    // Chunks first and the entry last, each replaced whole: a process that
    // starts meanwhile (or one running from the previous build that loads a
    // chunk lazily) never reads half a file.
    const outputs = [...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
    const wasmSource = wasmFiles.get("source");
    wasmFiles.delete("source");
    for (const [name, bytes] of wasmFiles) outputs.unshift({ path: join(outDir, name), contents: bytes });
    for (const [name, { bytes }] of runtimeFiles) outputs.unshift({ path: join(outDir, name), contents: bytes });
    for (const file of outputs) {
      written.add(relative(outDir, file.path));
      writeAtomic(file.path, file.contents);
    }
    const inputs = {};
    for (const file of Object.keys(result.metafile.inputs)) inputs[file] = fingerprint(join(root, file));
    if (wasmSource) inputs[relative(root, wasmSource)] = fingerprint(wasmSource);
    for (const { file } of runtimeFiles.values()) inputs[relative(root, file)] = fingerprint(file);
    writeAtomic(stampFile, JSON.stringify({ toolchain: toolchain(), inputs }, null, 1));
    // Files of earlier builds: kept a day for processes still running from them.
    for (const name of readdirSync(outDir)) {
      const file = join(outDir, name);
      if (!written.has(name) && Date.now() - statSync(file).mtimeMs > 86_400_000) rmSync(file, { force: true });
    }
  } finally {
    await esbuild.stop();
  }
  return (performance.now() - started) / 1000;
}

/** Builds when a source file changed since the last build. Returns whether it built. */
export async function ensureBuilt() {
  if (isUpToDate()) return false;
  await build();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // An explicit build starts clean.
  rmSync(dirname(outDir), { recursive: true, force: true });
  const seconds = await build();
  process.stdout.write(`built ${relative(root, entry)} in ${seconds.toFixed(2)} s\n`);
}
