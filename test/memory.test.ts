import { spawn } from "node:child_process";
import { once } from "node:events";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { peakRssKiB, treeRssKiB } from "../src/checks/memory.ts";

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

Memory.run();
