// @ts-check
/**
 * `npm run build` runs `node scripts/launch.mjs build`: scripts/build.ts compiled by esbuild, with the
 * modules its worker threads run, into a folder (`.cache/code/build-<hash>/`, kept while midad's code is
 * the same) and run by Node itself. Under tsx every module a build loads, some 750 of Eleventy's, midad's
 * and their dependencies', passes through tsx's loader in a thread of its own: 0.6 to 0.9 s of every
 * build, a quarter of a rebuild of 4,000 articles (docs/performance.md), and each worker thread would pay
 * it again. Packages stay outside the files, loaded by Node as they are; child processes (image
 * encoders), which start seldom, load their TypeScript with tsx. With `--config FILE` (an Eleventy
 * config of the user's own, which may be TypeScript) the script runs under tsx as it is.
 *   node scripts/launch.mjs SCRIPT [options of scripts/SCRIPT.ts]
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
/** What a compiled script is made of: midad's code and settings, the exact dependencies, the compiler's settings. */
const sourceFolders = ["src", "plugins", "templates", "scripts"];
const sourceFiles = [".eleventy.ts", "site.config.ts", "package-lock.json", "tsconfig.json"];

/**
 * A hash of the project's folder and every source file's path and bytes, in a fixed order (about 10 ms). The compiled
 * files name the source files by their absolute paths, so a project moved with its `.cache` (a CI cache restored into
 * another workspace) compiles its own.
 */
function sourceHash() {
  const hash = createHash("sha256");
  hash.update(`${root}\0`);
  const files = sourceFolders.flatMap((folder) =>
    readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))),
  );
  for (const file of [...files, ...sourceFiles].sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * Each source module keeps its own `import.meta.url` and `import.meta.dirname`, so that the paths it finds files by
 * (workers, templates' scripts, midad's root) are those of the source tree, wherever the compiled file is.
 * @type {import("esbuild").Plugin}
 */
const sourceLocations = {
  name: "source-locations",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, ({ path: file }) => ({
      contents: readFileSync(file, "utf8")
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(file).href))
        .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(file))),
      loader: "ts",
    }));
  },
};

/**
 * Modules that worker threads run: compiled beside the script, so that a thread starts without tsx's loader (which
 * starts a thread of its own in each worker and compiles every module again: about half a second a worker).
 */
const workerSources = ["src/articles/article-worker.ts", "plugins/page-worker.ts"];

/**
 * The folder of the compiled `scripts/<name>.ts` (as `scripts/<name>.mjs` in it) and its workers, compiled now if this
 * code has none yet; older ones are removed.
 */
async function compiled(name) {
  const folder = path.join(root, ".cache", "code");
  const target = path.join(folder, `${name}-${sourceHash()}`);
  if (existsSync(target)) return target;
  const { build } = await import("esbuild");
  mkdirSync(folder, { recursive: true });
  // Written aside and renamed: a build started meanwhile runs either no folder or a whole one.
  const draft = `${target}.${process.pid}.draft`;
  const result = await build({
    entryPoints: [path.join("scripts", `${name}.ts`), ...workerSources].map((file) => path.join(root, file)),
    outdir: draft,
    outbase: root,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(root, "tsconfig.json"),
    plugins: [sourceLocations],
    logLevel: "silent",
  }).catch((/** @type {{ errors?: import("esbuild").Message[] }} */ error) => {
    if (!error.errors) throw error;
    return { errors: error.errors };
  });
  if (result.errors.length > 0) {
    rmSync(draft, { recursive: true, force: true });
    for (const { location, text } of result.errors)
      console.error(location ? `${location.file}:${location.line}:${location.column + 1}: ${text}` : text);
    console.error(`npm run ${name} cannot start: fix the code above (\`npm run typecheck\` lists every fault).`);
    process.exit(1);
  }
  renameSync(draft, target);
  // Older compiled folders go, and the drafts of launches that were killed while compiling; a running one keeps its own.
  for (const other of readdirSync(folder)) {
    const drafter = /\.(\d+)\.draft$/.exec(other)?.[1];
    const stale = drafter === undefined ? path.join(folder, other) !== target : !runs(Number(drafter));
    if (other.startsWith(`${name}-`) && stale) rmSync(path.join(folder, other), { recursive: true, force: true });
  }
  return target;
}

/** Whether process `pid` is running (one of another user counts too). @param {number} pid */
function runs(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === "EPERM";
  }
}

const [name, ...options] = process.argv.slice(2);
if (!name || !existsSync(path.join(root, "scripts", `${name}.ts`))) {
  console.error(`node scripts/launch.mjs SCRIPT: no script scripts/${name}.ts`);
  process.exit(1);
}
const source = path.join(root, "scripts", `${name}.ts`);
// Eleventy registers a module resolver that busts the import cache of files changed between a watcher's rebuilds; on
// Node 20 it runs in a thread of its own, which every later import waits on (about 0.15 s of a rebuild of 4,000
// articles). A launched script builds once, so it has nothing to bust. Eleventy's own switch (its issue 3371).
process.env.ELEVENTY_SKIP_ESM_RESOLVER ??= "1";
// The script reads its options from process.argv, as when Node runs it.
process.argv = [process.argv[0] ?? process.execPath, source, ...options];
if (options.some((option) => option === "--config" || option.startsWith("--config="))) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(source).href);
} else {
  const code = await compiled(name);
  // Where src/util/typescript.ts finds the compiled workers: the build's threads share its environment.
  process.env.MIDAD_COMPILED_CODE = code;
  await import(pathToFileURL(path.join(code, "scripts", `${name}.mjs`)).href);
}
