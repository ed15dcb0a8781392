import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { exitCodeOf, InterruptedError, watchForInterruption } from "../src/build/interruption.ts";
import { pageListPath } from "../src/build/staging.ts";
import { article, assertSameTree, removeDir, repoRoot, runScript, snapshot, writeArticles } from "./helpers/build.ts";

const buildArgs = (output: string, articles: string) => [
  "--import",
  "tsx",
  "scripts/build.ts",
  "--output",
  output,
  "--articles",
  articles,
];

/** `npm run build` as its own process; `preload` is a module run first (the simulated full disk). */
function build(output: string, articles: string, preload?: string) {
  return runScript("build", ["--output", output, "--articles", articles], preload ? { preload } : {});
}

/** A Node stack frame, which no message for a fault a user can meet may show. */
const stackFrame = /^\s+at .+[:(]/m;

/**
 * What a failed build must leave: the output as it was, and beside it only the list of its pages (see `publish`): no
 * staging folder, no lock, no lock draft.
 */
function assertLeftAsItWas(parent: string, output: string, published: Map<string, string>, extra: string[] = []): void {
  assertSameTree(snapshot(output), published, "the output");
  assert.equal(
    readdirSync(parent).sort(),
    [path.basename(output), path.basename(pageListPath(output)), ...extra].sort(),
    "nothing else is left beside the output",
  );
}

const Disk = suite("a full disk: one message, nothing left behind");

/** A 3 MiB tmpfs when this process may mount one (root, outside a locked-down container); otherwise undefined. */
function mountTinyDisk(): string | undefined {
  const dir = path.join(tmpdir(), `midad-tiny-disk-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", dir], { encoding: "utf8" });
  return mounted.status === 0 ? dir : undefined;
}

Disk(
  "a build that runs out of disk says so, where and how much is free, exits 1, and leaves _site byte for byte as it was",
  async () => {
    const files: Record<string, string> = {};
    for (let n = 0; n < 30; n++)
      files[`2022/01/item-${n}.md`] = article({ title: `"خبر رقم ${n}"` }, "نص الخبر. ".repeat(200));
    const articles = await writeArticles(files);
    const tiny = mountTinyDisk();
    const parent = tiny ?? (await mkdtemp(path.join(tmpdir(), "midad-full-")));
    const output = path.join(parent, "_site");
    try {
      const first = build(output, articles);
      assert.is(first.status, 0, first.stderr);
      const published = snapshot(output);
      // Fill the disk but for 200 KB, or, without a disk of our own, make every write into a staging folder fail as a
      // full disk does.
      if (tiny)
        writeFileSync(
          path.join(parent, "filler"),
          Buffer.alloc(Math.max(0, statfsSync(parent).bavail * statfsSync(parent).bsize - 200_000)),
        );
      writeFileSync(
        path.join(articles, "2022/01/item-3.md"),
        article({ title: '"خبر معدل"' }, "نص جديد. ".repeat(200)),
      );
      const full = build(
        output,
        articles,
        tiny ? undefined : path.join(repoRoot, "test/fixtures/disk-full/preload.ts"),
      );
      assert.is(full.status, 1, full.stderr);
      const lines = full.stderr.trim().split("\n");
      assert.match(
        lines[0]!,
        new RegExp(
          `^the disk is full while writing into ${parent} \\(\\d[\\d,]* bytes were free there when it stopped\\): free some space, or build onto another disk with --output DIR$`,
        ),
      );
      assert.is(lines.length, 2, full.stderr);
      assert.match(lines[1]!, `The build failed: ${output} was left as it was.`);
      assert.not.match(full.stderr, stackFrame);
      assertLeftAsItWas(parent, output, published, tiny ? ["filler"] : []);
    } finally {
      if (tiny) spawnSync("umount", [tiny]);
      await removeDir(parent);
      await removeDir(articles);
    }
  },
);

Disk.run();

interface Context {
  articles: string;
  parent: string;
  output: string;
  published: Map<string, string>;
}

const Signals = suite<Context>("SIGINT and SIGTERM: the build stops, cleans up and says so");

Signals.before(async (context) => {
  const files: Record<string, string> = {};
  for (let n = 0; n < 400; n++) files[`2022/01/bulk-${n}.md`] = article({ title: `"خبر رقم ${n}"` });
  context.articles = await writeArticles(files);
  context.parent = await mkdtemp(path.join(tmpdir(), "midad-signal-"));
  context.output = path.join(context.parent, "_site");
  const first = build(context.output, context.articles);
  assert.is(first.status, 0, first.stderr);
  context.published = snapshot(context.output);
  // Every later build renders every page again: the article pages change with the build time.
  writeFileSync(path.join(context.articles, "2022/01/bulk-0.md"), article({ title: '"خبر معدل"' }));
});
Signals.after(async (context) => {
  await removeDir(context.articles);
  await removeDir(context.parent);
});

/**
 * Starts a build and, once it is writing pages into its staging folder, sends `signal`: to the
 * build alone, or, `group`, to its whole process group, as Ctrl-C in a terminal does (npm and tsx
 * then pass it on too, so the build receives it more than once).
 */
async function interrupt(context: Context, signal: NodeJS.Signals, command: "node" | "npm", group = false) {
  const child =
    command === "node"
      ? spawn(process.execPath, buildArgs(context.output, context.articles), { cwd: repoRoot, detached: group })
      : spawn("npm", ["run", "build", "--", "--output", context.output, "--articles", context.articles], {
          cwd: repoRoot,
          detached: group,
        });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.resume();
  const exited = once(child, "exit");
  const staging = () => readdirSync(context.parent).find((name) => name.startsWith("_site.staging-"));
  const writing = () => {
    const folder = staging();
    return (
      folder !== undefined &&
      readdirSync(path.join(context.parent, folder), { recursive: true }).some((file) => String(file).endsWith(".html"))
    );
  };
  for (const started = Date.now(); !writing() && child.exitCode === null && Date.now() - started < 60_000; )
    await sleep(5);
  assert.is(child.exitCode, null, `the build was still running when signalled: ${stderr}`);
  if (group) process.kill(-child.pid!, signal);
  else child.kill(signal);
  const [code, signalCode] = (await exited) as [number | null, NodeJS.Signals | null];
  return { code, signal: signalCode, stderr };
}

Signals("SIGTERM midway: exit 143, 'interrupted', _site unchanged, no staging folder or lock", async (context) => {
  const { code, stderr } = await interrupt(context, "SIGTERM", "node");
  assert.is(code, 143, stderr);
  assert.match(stderr, "the build was interrupted (SIGTERM)");
  assert.match(stderr, `The build stopped: ${context.output} was left as it was.`);
  assert.not.match(stderr, stackFrame);
  assertLeftAsItWas(context.parent, context.output, context.published);
});

Signals(
  "Ctrl-C during npm run build (SIGINT to the process group, passed on by npm and tsx too): exit 130, cleaned up",
  async (context) => {
    const { code, signal, stderr } = await interrupt(context, "SIGINT", "npm", true);
    // npm itself ends by the signal it was sent once the build has exited 130: a shell shows 130 either way.
    assert.ok(code === 130 || signal === "SIGINT", `exit ${code}, signal ${signal}: ${stderr}`);
    assert.match(stderr, "The build stopped: ");
    assert.match(stderr, "the build was interrupted (SIGINT)");
    assert.not.match(stderr, "Stopped at once", "one Ctrl-C, passed on, is not a second one");
    assertLeftAsItWas(context.parent, context.output, context.published);
  },
);

Signals.run();

const Twice = suite("watchForInterruption: one signal stops the build, a second one exits at once");

Twice("the first SIGINT rejects the race; its echo within a second is ignored; a later one calls atOnce", async () => {
  const atOnce: string[] = [];
  const interruption = watchForInterruption((signal) => atOnce.push(signal));
  // A signal handler alone does not keep Node running until the signal arrives.
  const alive = setInterval(() => undefined, 1000);
  try {
    const never = new Promise<never>(() => undefined);
    const raced = interruption.race(never).then(
      () => undefined,
      (error: unknown) => error,
    );
    process.kill(process.pid, "SIGINT");
    const error = await raced;
    assert.instance(error, InterruptedError);
    assert.is((error as InterruptedError).signal, "SIGINT");
    assert.is(exitCodeOf("SIGINT"), 130);
    assert.is(exitCodeOf("SIGTERM"), 143);
    process.kill(process.pid, "SIGINT");
    await sleep(100);
    assert.equal(atOnce, [], "the same Ctrl-C, passed on by npm");
    await sleep(1000);
    process.kill(process.pid, "SIGTERM");
    await sleep(100);
    assert.equal(atOnce, ["SIGTERM"]);
  } finally {
    clearInterval(alive);
    interruption.dispose();
  }
});

Twice.run();

const Messages = suite("what a user can get wrong: one message naming the thing, the reason and the fix, no stack");

/** Runs a failing build and returns its error output, checked for what every such message must be. */
function failedBuild(args: string[]): string {
  const parent = mkdtempSync(path.join(tmpdir(), "midad-message-"));
  try {
    const run = runScript("build", ["--output", path.join(parent, "_site"), ...args], { timeout: 60_000 });
    assert.is(run.status, 1, run.stderr);
    assert.not.match(run.stderr, stackFrame);
    assert.not.match(run.stderr, "[11ty]", "Eleventy's own report is not added");
    assert.match(run.stderr, `The build failed: ${path.join(parent, "_site")} was left as it was.`);
    assert.equal(readdirSync(parent), [], "nothing is left behind");
    return run.stderr;
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

Messages("a missing articles folder", () => {
  const stderr = failedBuild(["--articles", "no-such-folder"]);
  assert.match(
    stderr,
    `the articles folder no-such-folder does not exist (looked for ${path.join(repoRoot, "no-such-folder")}): create it, or point the build at the folder that holds them (npm run build -- --articles DIR)`,
  );
});

Messages("an articles folder that is a file", () => {
  assert.match(failedBuild(["--articles", "package.json"]), "the articles folder package.json is a file, not a folder");
});

Messages("bad site.config.ts values, each named with what is accepted", () => {
  const stderr = failedBuild(["--config", "test/fixtures/bad-config/eleventy.config.ts"]);
  assert.match(stderr, "site.config.ts is invalid; correct these values in it:");
  assert.match(stderr, "pageSize must be a positive integer, got eight");
  assert.match(stderr, 'timeZone must be an IANA zone such as Asia/Yerevan, got "Asia/Erevan"');
});

Messages("an article that is not a regular file is a problem of the build, located, with the others", async () => {
  const articles = await writeArticles({
    "2022/01/good.md": article(),
    "2022/01/bad.md": article({ categories: "[رياضة]" }),
  });
  try {
    spawnSync("mkfifo", [path.join(articles, "2022/01/pipe.md")]);
    const stderr = failedBuild(["--articles", articles]);
    assert.match(stderr, "2 problems in articles; nothing was published:");
    assert.match(
      stderr,
      `${path.relative(repoRoot, path.join(articles, "2022/01/pipe.md"))}: this is not a regular file (a pipe, socket or device)`,
    );
  } finally {
    await removeDir(articles);
  }
});

Messages("--verbose adds the stacks", () => {
  const output = path.join(tmpdir(), `midad-verbose-${process.pid}`);
  const run = runScript("build", ["--output", output, "--articles", "no-such-folder", "--verbose"], {
    timeout: 60_000,
  });
  assert.is(run.status, 1);
  assert.match(run.stderr, stackFrame);
});

Messages("a mistyped option, and a tool run before any build, are one line each", () => {
  const script = (name: string, ...args: string[]) => runScript(name, args, { timeout: 60_000 });
  const mistyped = script("build", "--ouput", "x");
  assert.is(mistyped.status, 1);
  assert.is(
    mistyped.stderr.trim(),
    "Unknown option '--ouput'; npm run build accepts --output VALUE, --articles VALUE, --config VALUE, --host VALUE, --verbose",
  );
  const unknownHost = script("build", "--host", "geocities");
  assert.is(unknownHost.status, 1);
  assert.is(
    unknownHost.stderr.trim(),
    "--host geocities is not a host midad knows: give one of cloudflare-pages, netlify, github-pages, nginx, caddy (docs/hosts.md)",
  );
  const missing = path.join(tmpdir(), `midad-never-built-${process.pid}`);
  for (const name of ["budget", "check-links", "lighthouse"]) {
    const run = script(name, "--dir", missing);
    assert.is(run.status, 1, name);
    assert.is(
      run.stderr.trim(),
      `there is no built site in ${missing} (no index.html): run \`npm run build\` first, or give the built folder with --dir DIR`,
      name,
    );
  }
});

Messages.run();
