import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { filesUnder, listTree, pathUnder, relativeEntryPath, walkFiles } from "../src/util/walk.ts";
import { removeDir } from "./helpers/build.ts";

const Walk = suite<{ dir: string }>("walking a folder: relative paths, however the folder is written");

Walk.before.each(async (context) => {
  context.dir = await mkdtemp(path.join(tmpdir(), "midad-walk-"));
  for (const file of ["index.html", "2022/01/خبر/index.html", "2022/01/خبر/index.html.br", "pagefind/a/b/c.pf"]) {
    mkdirSync(path.dirname(path.join(context.dir, file)), { recursive: true });
    writeFileSync(path.join(context.dir, file), file);
  }
});
Walk.after.each(({ dir }) => removeDir(dir));

Walk("every entry's path is the one path.relative gives, with a trailing slash, dot segments or none", ({ dir }) => {
  const spellings = [dir, `${dir}${path.sep}`, path.join(dir, "2022", ".."), `${path.join(dir, "2022")}${path.sep}..`];
  for (const spelling of spellings) {
    const tree = listTree(spelling);
    assert.ok(tree.length >= 10, `${spelling}: ${tree.length} entries`);
    for (const entry of tree)
      assert.is(
        relativeEntryPath(spelling, entry),
        path.relative(spelling, path.join(entry.parentPath, entry.name)),
        `${spelling}: ${entry.name}`,
      );
  }
  assert.equal(filesUnder(`${dir}${path.sep}`), [
    "2022/01/خبر/index.html",
    "2022/01/خبر/index.html.br",
    "index.html",
    "pagefind/a/b/c.pf",
  ]);
});

Walk("a walk a folder at a time visits every file and link the whole listing has, and no folder", ({ dir }) => {
  // A link to a folder is visited as itself, never followed: its target's files would be visited twice.
  symlinkSync(path.join(dir, "2022"), path.join(dir, "pagefind", "link"));
  const visited: string[] = [];
  walkFiles(`${dir}${path.sep}`, (relative) => visited.push(relative));
  const notFolders = listTree(dir)
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relativeEntryPath(dir, entry));
  assert.equal(visited.sort(), notFolders.sort());
  assert.equal(visited, [
    "2022/01/خبر/index.html",
    "2022/01/خبر/index.html.br",
    "index.html",
    "pagefind/a/b/c.pf",
    "pagefind/link",
  ]);
});

Walk("a relative path under a folder is the one path.join gives, made absolute", ({ dir }) => {
  for (const spelling of [dir, `${dir}${path.sep}`, `${path.join(dir, "2022")}${path.sep}..`]) {
    const under = pathUnder(spelling);
    for (const file of filesUnder(dir)) assert.is(under(file), path.resolve(spelling, ...file.split("/")), file);
  }
});

Walk.run();
