import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  acquireLock,
  BuildLockedError,
  createStaging,
  lockPath,
  publish,
  recoverInterrupted,
} from "../src/build/staging.ts";
import { filesUnder } from "../src/util/walk.ts";
import { removeDir } from "./helpers/build.ts";

const Staging = suite<{ parent: string; output: string }>("atomic publishing: lock, staging folder, recovery");

Staging.before.each(async (context) => {
  context.parent = await mkdtemp(path.join(tmpdir(), "midad-staging-"));
  context.output = path.join(context.parent, "_site");
});
Staging.after.each(async ({ parent }) => removeDir(parent));

/** The id of a process that has exited: its lock is stale. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

Staging(
  "a second build cannot take the lock while the first holds it; the message names the holder and the way out",
  async ({ output }) => {
    const first = await acquireLock(output, []);
    const error = await acquireLock(output, []).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(error, BuildLockedError);
    assert.match((error as Error).message, `another build (process ${process.pid} on ${hostname()}, started `);
    assert.match((error as Error).message, `If no build is running, delete ${lockPath(output)}`);
    assert.ok(existsSync(lockPath(output)), "the holder's lock stays");
    await first.release();
    assert.not.ok(existsSync(lockPath(output)));
    await (await acquireLock(output, [])).release();
  },
);

Staging("the lock of a build that no longer runs is taken over, with a note", async ({ output }) => {
  const pid = deadPid();
  await writeFile(lockPath(output), JSON.stringify({ pid, host: hostname(), started: "2022-01-10T08:00:00.000Z" }));
  const notes: string[] = [];
  const lock = await acquireLock(output, notes);
  assert.equal(notes, [
    `removed the lock of a build that no longer runs (process ${pid}, started 2022-01-10T08:00:00.000Z)`,
  ]);
  assert.is(JSON.parse(readFileSync(lockPath(output), "utf8")).pid, process.pid);
  await lock.release();
});

Staging(
  "after a build killed mid-publish the previous output is put back; staging folders are removed",
  async ({ parent, output }) => {
    const previous = path.join(parent, "_site.previous-4242");
    await mkdir(previous);
    await writeFile(path.join(previous, "index.html"), "old");
    const { dir: staging } = await createStaging(output);
    await writeFile(path.join(staging, "index.html"), "half");
    const notes: string[] = [];
    await recoverInterrupted(output, notes);
    assert.is(readFileSync(path.join(output, "index.html"), "utf8"), "old");
    assert.not.ok(existsSync(previous));
    assert.not.ok(existsSync(staging));
    assert.is(notes.length, 2);
  },
);

Staging("publishing replaces the whole output: files of the old one are gone", async ({ output }) => {
  await mkdir(path.join(output, "2022/01/deleted"), { recursive: true });
  await writeFile(path.join(output, "2022/01/deleted/index.html"), "old");
  const { dir: staging } = await createStaging(output);
  await writeFile(path.join(staging, "index.html"), "new");
  await publish(staging, output);
  assert.not.ok(existsSync(path.join(output, "2022")));
  assert.is(readFileSync(path.join(output, "index.html"), "utf8"), "new");
  assert.not.ok(existsSync(staging));
});

/** A staging folder with these files, published over `output` with `pageFiles` listed as the page writer's. */
async function publishFiles(output: string, files: Record<string, string>, pageFiles: string[]): Promise<void> {
  const { dir } = await createStaging(output, { keepPages: false });
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  await publish(dir, output, { pageFiles });
}

Staging("the next staging folder keeps the replaced site's listed page files and no other", async ({ output }) => {
  const site = { "index.html": "home", "2022/01/a/index.html": "a", "2022/01/a/index.html.br": "a, compressed" };
  const pageFiles = ["2022/01/a/index.html", "2022/01/a/index.html.br"];
  await publishFiles(output, site, pageFiles);
  await publishFiles(output, { "index.html": "home, again" }, []);
  const kept = await createStaging(output);
  assert.equal(kept.kept, pageFiles, "the first site's page files, listed");
  assert.equal(filesUnder(kept.dir), pageFiles, "its other files are gone");
  assert.is(readFileSync(path.join(kept.dir, "2022/01/a/index.html"), "utf8"), "a");
  await publish(kept.dir, output);
  await publishFiles(output, { "index.html": "home, a third time" }, []);
  const { dir, kept: none } = await createStaging(output);
  assert.equal(none, []);
  assert.equal(filesUnder(dir), [], "nothing listed, nothing kept");
});

Staging("without a page writer to check them, a staging folder keeps no file", async ({ output }) => {
  await publishFiles(output, { "index.html": "home", "2022/01/a/index.html": "a" }, ["2022/01/a/index.html"]);
  await publishFiles(output, { "index.html": "home, again" }, []);
  const { dir, kept } = await createStaging(output, { keepPages: false });
  assert.equal(kept, []);
  assert.equal(filesUnder(dir), []);
  assert.ok(existsSync(path.join(dir, "2022/01")), "its folders are kept");
});

Staging("kept folders stay whole for their writer, but a staging folder without one keeps none", async ({ output }) => {
  const index = { "pagefind/shard/pagefind-entry.json": "{}", "pagefind/shards.json": "[]" };
  const publishKeeping = async (keepPages: boolean, files: Record<string, string>) => {
    const { dir } = await createStaging(output, { keepPages });
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    }
    await publish(dir, output, { keptFolders: ["pagefind"] });
  };
  await publishKeeping(true, { "index.html": "home", ...index });
  await publishKeeping(true, { "index.html": "home, again" });
  const kept = await createStaging(output);
  assert.equal(kept.kept, [], "not listed for the page writer");
  assert.equal(filesUnder(kept.dir), Object.keys(index).sort(), "the folder's files, and no other");
  await publish(kept.dir, output, { keptFolders: ["pagefind"] });
  await publishKeeping(true, { "index.html": "home, a third time" });
  const { dir } = await createStaging(output, { keepPages: false });
  assert.equal(filesUnder(dir), []);
  assert.not.ok(existsSync(path.join(dir, "pagefind")), "the kept folder is gone");
});

Staging.run();
