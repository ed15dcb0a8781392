import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generateCorpus } from "../scripts/corpus.ts";
import { assertSameTree, removeDir, repoRoot, snapshot } from "./helpers/build.ts";

const Launch = suite<{ work: string }>("npm run build: the build compiled once, run without tsx");

/** A project of its own: a copy of midad's code (so a test can change it) around the real node_modules. */
Launch.before((context) => {
  context.work = mkdtempSync(path.join(tmpdir(), "midad-launch-"));
  for (const name of ["src", "plugins", "templates", "scripts", ".eleventy.ts", "site.config.ts", "tsconfig.json"])
    cpSync(path.join(repoRoot, name), path.join(context.work, name), { recursive: true });
  for (const name of ["package.json", "package-lock.json", "authors.yaml", "stories.yaml"])
    cpSync(path.join(repoRoot, name), path.join(context.work, name));
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(context.work, "node_modules"));
});
Launch.after(async ({ work }) => removeDir(work));

const env = { ...process.env, SOURCE_DATE_EPOCH: "1767225600" };
const launch = (work: string, args: string[]) =>
  spawnSync(process.execPath, ["scripts/launch.mjs", "build", ...args], { cwd: work, encoding: "utf8", env });
const compiledFiles = (work: string) => readdirSync(path.join(work, ".cache", "code")).sort();
/** The caches but the compiled code: the next build starts cold. */
const clearCaches = (work: string) => {
  for (const name of readdirSync(path.join(work, ".cache")))
    if (name !== "code") rmSync(path.join(work, ".cache", name), { recursive: true });
};

Launch(
  "the compiled build, its worker threads included, writes the very files the build under tsx writes",
  async ({ work }) => {
    // Enough articles to be parsed in worker threads (400) and pages rendered in them (24), as a first build's are.
    await generateCorpus({ count: 420, out: path.join(work, "articles") });
    const compiled = launch(work, ["--output", "compiled"]);
    assert.is(compiled.status, 0, compiled.stderr);
    assert.equal(compiledFiles(work).length, 1, "one compiled build");
    assert.ok(existsSync(path.join(work, ".cache", "code", compiledFiles(work)[0]!, "scripts", "build.mjs")));
    clearCaches(work);
    const underTsx = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts", "--output", "tsx"], {
      cwd: work,
      encoding: "utf8",
      env,
    });
    assert.is(underTsx.status, 0, underTsx.stderr);
    const site = snapshot(path.join(work, "compiled"));
    assert.ok(site.size > 900, `a whole site (${site.size} files and folders)`);
    assertSameTree(site, snapshot(path.join(work, "tsx")));
  },
);

Launch("the worker threads run the modules compiled with the build, not their TypeScript under tsx", ({ work }) => {
  const [compiled] = compiledFiles(work);
  const workers = ["src/articles/article-worker.mjs", "plugins/page-worker.mjs"];
  for (const worker of workers) {
    const file = path.join(work, ".cache", "code", compiled!, worker);
    const module = readFileSync(file);
    // A compiled worker that fails as soon as a thread loads it: the build fails only if threads load it.
    writeFileSync(file, `throw new Error("compiled ${worker} loaded");\n`);
    clearCaches(work);
    const run = launch(work, ["--output", "workers"]);
    writeFileSync(file, module);
    assert.is(run.status, 1, `${worker}: the build ran without it`);
    assert.match(run.stdout + run.stderr, `compiled ${worker} loaded`);
  }
});

Launch("the compiled build is kept while the code is the same, and made again, alone, when it changes", ({ work }) => {
  const before = compiledFiles(work);
  assert.is(launch(work, ["--output", "again"]).status, 0);
  assert.equal(compiledFiles(work), before, "the same code runs the same compiled file");
  // A draft of a launch killed while compiling (no process has that number: Linux's numbers stop at 2^22), and one
  // of a compile under way (this process's number).
  const killedDraft = `build-0.${2 ** 22 + 1}.draft`;
  const runningDraft = `build-0.${process.pid}.draft`;
  for (const draft of [killedDraft, runningDraft]) writeFileSync(path.join(work, ".cache", "code", draft), "");
  appendFileSync(path.join(work, "templates", "pages", "home.ts"), "\n// a change to the code\n");
  const changed = launch(work, ["--output", "changed"]);
  assert.is(changed.status, 0, changed.stderr);
  const after = compiledFiles(work).filter((name) => name !== runningDraft);
  assert.ok(compiledFiles(work).includes(runningDraft), "the draft of a running compile is left to it");
  assert.is(after.length, 1, "the older compiled file and the killed launch's draft are removed");
  assert.is.not(after[0], before[0]);
});

Launch("a project moved with its .cache (a CI cache restored elsewhere) builds what a clean build does", ({ work }) => {
  const moved = `${work}-moved`;
  // Moved, not copied: nothing is left where the compiled files and the caches were made.
  renameSync(work, moved);
  try {
    const run = launch(moved, ["--output", "moved"]);
    assert.is(run.status, 0, run.stderr);
    rmSync(path.join(moved, ".cache"), { recursive: true });
    const clean = launch(moved, ["--output", "clean"]);
    assert.is(clean.status, 0, clean.stderr);
    assertSameTree(snapshot(path.join(moved, "moved")), snapshot(path.join(moved, "clean")));
  } finally {
    renameSync(moved, work);
  }
});

Launch("code that does not compile stops the build with its file and line, and no stack", ({ work }) => {
  const config = path.join(work, "site.config.ts");
  writeFileSync(config, `${readFileSync(config, "utf8")}\nexport const broken = ;\n`);
  const run = launch(work, ["--output", "broken"]);
  assert.is(run.status, 1);
  assert.match(run.stderr, /site\.config\.ts:\d+:\d+: /);
  assert.match(run.stderr, "npm run build cannot start");
  assert.not.match(run.stderr, /^\s+at .+[:(]/m);
});

Launch.run();
