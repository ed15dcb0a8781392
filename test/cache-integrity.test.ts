import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generateCorpus } from "../scripts/corpus.ts";
import { assertSameTree, removeDir, snapshot } from "./helpers/build.ts";
import { linkProject } from "./helpers/npm-project.ts";

const Integrity = suite<{ work: string; clean: Map<string, string> }>(
  "a damaged cache entry is named and made again: the build publishes what a clean build does",
);

/** `npm run build` in the project, its caches in work/.cache. */
const build = (work: string, output: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts", "--output", output], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, SOURCE_DATE_EPOCH: "1767225600" },
  });

/** Every file of a cache folder, by path. */
const cacheFiles = (work: string, folder: string) =>
  readdirSync(path.join(work, ".cache", folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => path.join(entry.parentPath, entry.name));

Integrity.before(async (context) => {
  context.work = mkdtempSync(path.join(tmpdir(), "midad-integrity-"));
  await linkProject(context.work);
  // Enough for a few files of the article index, and photos for the image records.
  await generateCorpus({ count: 40, out: path.join(context.work, "articles"), images: 0.1 });
  const first = build(context.work, "clean");
  assert.is(first.status, 0, first.stderr);
  context.clean = snapshot(path.join(context.work, "clean"));
});
Integrity.after(async ({ work }) => removeDir(work));

for (const [name, folder, pick] of [
  ["a file of the article index", "articles", /\.json$/],
  ["a photo's record", "images", /facts\/.+\.json$/],
] as const) {
  Integrity(`${name}, cut short, is named in one warning and made again`, ({ work, clean }) => {
    const damaged = cacheFiles(work, folder).filter((file) => pick.test(file));
    assert.ok(damaged.length > 0, `the cache has ${name}`);
    truncateSync(damaged[0]!, 7);
    const output = `after-${folder}`;
    const run = build(work, output);
    assert.is(run.status, 0, run.stderr);
    const warnings = run.stderr.split("\n").filter((line) => line.startsWith("warning: "));
    assert.equal(
      warnings.filter((line) => line.includes(path.relative(work, damaged[0]!))).length,
      1,
      `one warning names ${damaged[0]}: ${run.stderr}`,
    );
    assert.match(warnings.join("\n"), /cannot be read \(.+\)/);
    assertSameTree(snapshot(path.join(work, output)), clean);
    rmSync(path.join(work, output), { recursive: true });
    const again = build(work, output);
    assert.not.match(again.stderr, "warning: .cache", "made again, it is whole");
  });
}

Integrity.run();
