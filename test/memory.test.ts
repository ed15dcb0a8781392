import { spawn } from "node:child_process";
import { once } from "node:events";
import { setImmediate as nextTurn } from "node:timers/promises";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { peakRssKiB, treeRssKiB } from "../src/checks/memory.ts";
import { collectGarbage } from "../src/util/collect-garbage.ts";

const Memory = suite("memory figures of the benchmarks");

Memory("the peak of this process is at least what it holds now", () => {
  const now = process.memoryUsage().rss / 1024;
  assert.ok(peakRssKiB() >= now * 0.95, `peak ${peakRssKiB()} KiB, now ${now} KiB`);
});

Memory("the process tree counts what a child process holds", async () => {
  // A child that fills 200 MiB and says so, then waits to be killed.
  const child = spawn(
    process.execPath,
    ["-e", "const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log('ready'); setInterval(() => b[0]++, 1000);"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    await once(child.stdout, "data");
    const own = process.memoryUsage().rss / 1024;
    const tree = treeRssKiB();
    assert.ok(tree - own > 180 * 1024, `tree ${tree} KiB, own ${own} KiB`);
  } finally {
    child.kill();
    await once(child, "exit");
  }
});

Memory("a collection on request frees what nothing holds, and leaves `gc` unexposed", async () => {
  let garbage: number[] | undefined = Array.from({ length: 1000 }, (_, index) => index);
  const weak = new WeakRef(garbage);
  garbage = undefined;
  // A WeakRef's target stays alive until the turn that read or made it ends.
  await nextTurn();
  collectGarbage();
  assert.is(weak.deref(), undefined);
  assert.is(typeof (globalThis as { gc?: unknown }).gc, "undefined");
});

Memory.run();
