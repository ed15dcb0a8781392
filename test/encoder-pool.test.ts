import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { EncodeJob, EncoderSettings } from "../src/images/encode.ts";
import { createEncoderPool } from "../src/images/encoder-pool.ts";
import { defaultImageOptions, encoderConcurrency } from "../src/images/pipeline.ts";

const Pool = suite<{ dir: string; settings: EncoderSettings; photo: string }>("encoder processes");

Pool.before(async (context) => {
  context.dir = await mkdtemp(path.join(tmpdir(), "midad-encoders-"));
  context.settings = { ...defaultImageOptions, cacheDir: path.join(context.dir, "cache") };
  context.photo = path.join(context.dir, "photo.jpg");
  await sharp({ create: { width: 1600, height: 1000, channels: 3, background: "#446688" } })
    .jpeg()
    .toFile(context.photo);
});
Pool.after(async ({ dir }) => rm(dir, { recursive: true, force: true }));

const card = (context: { dir: string; settings: EncoderSettings }, sourcePath: string, name: string): EncodeJob => ({
  kind: "card",
  sourcePath,
  outputPath: path.join(context.dir, "cache", name),
  settings: context.settings,
});

/** The pids of this process's encoder processes, from `ps`. */
function encoderPids(): number[] {
  const lines = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" }).split(
    "\n",
  );
  return lines.filter((line) => line.includes("encoder-process")).map((line) => Number.parseInt(line.trim(), 10));
}

Pool("jobs run in encoder processes, each replaced after its share of jobs", async (context) => {
  const pool = createEncoderPool({ processes: 1, jobsPerProcess: 2, idleMs: 1000 });
  await Promise.all(["a", "b", "c"].map((name) => pool.run(card(context, context.photo, `${name}.jpeg`))));
  for (const name of ["a", "b", "c"]) {
    const meta = await sharp(path.join(context.dir, "cache", `${name}.jpeg`)).metadata();
    assert.equal([meta.format, meta.width, meta.height], ["jpeg", 1200, 630]);
  }
  assert.is(pool.processesStarted(), 2, "three jobs at two per process");
  const peaks = pool.processPeaksKiB();
  assert.is(peaks.length, 2);
  assert.ok(
    peaks.every((peak) => peak > 10_000),
    `each process reported its peak memory: ${peaks.join(", ")} KiB`,
  );
});

Pool("a job that fails rejects with the encoder's reason, and the next job still runs", async (context) => {
  const broken = path.join(context.dir, "broken.jpg");
  const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#884422" } })
    .jpeg()
    .toBuffer();
  writeFileSync(broken, bytes.subarray(0, bytes.length / 2));
  const pool = createEncoderPool({ processes: 1, jobsPerProcess: 8, idleMs: 1000 });
  const error = await pool.run(card(context, broken, "broken.jpeg")).then(
    () => undefined,
    (reason: Error) => reason,
  );
  assert.instance(error, Error);
  assert.match(error!.message, /premature end|truncated|corrupt/i);
  await pool.run(card(context, context.photo, "after-failure.jpeg"));
  assert.is(pool.processesStarted(), 1, "a failed job does not cost the process");
});

Pool(
  "an encoder process killed mid-job fails that job, naming the photo; the next job gets a fresh process",
  async (context) => {
    const large = path.join(context.dir, "large.jpg");
    await sharp({
      create: {
        width: 4000,
        height: 3000,
        channels: 3,
        background: "#000000",
        noise: { type: "gaussian", mean: 128, sigma: 40 },
      },
    })
      .jpeg()
      .toFile(large);
    const pool = createEncoderPool({ processes: 1, jobsPerProcess: 8, idleMs: 1000 });
    const job = pool.run({ kind: "pictures", sourcePath: large, transparent: false, settings: context.settings }).then(
      () => undefined,
      (reason: Error) => reason,
    );
    let pids: number[] = [];
    for (let tries = 0; pids.length === 0 && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      pids = encoderPids();
    }
    assert.is(pids.length, 1, "one encoder process at work");
    process.kill(pids[0]!, "SIGKILL");
    const error = await job;
    assert.instance(error, Error);
    assert.match(error!.message, /killed by SIGKILL/);
    assert.ok(error!.message.includes(large), error!.message);
    await pool.run(card(context, context.photo, "after-kill.jpeg"));
    assert.is(pool.processesStarted(), 2);
  },
);

Pool("idle encoder processes do not keep a finished build running", async (context) => {
  const script = [
    `import { createEncoderPool } from ${JSON.stringify(path.resolve("src/images/encoder-pool.ts"))};`,
    "const pool = createEncoderPool({ processes: 2, jobsPerProcess: 8, idleMs: 60000 });",
    `await pool.run(${JSON.stringify(card(context, context.photo, "exit.jpeg"))});`,
    "console.log('done');",
  ].join("\n");
  const started = Date.now();
  const ran = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.is(ran.status, 0, ran.stderr);
  assert.is(ran.stdout.trim(), "done");
  assert.ok(Date.now() - started < 30_000, "ended well before the 60 s idle time");
});

Pool.run();

const Sizing = suite("how many encoder processes");

Sizing("one per core while half the memory holds them at 512 MiB each, and always at least one", () => {
  const gib = 2 ** 30;
  assert.is(encoderConcurrency(2, 24 * gib), 2, "this machine: the cores decide");
  assert.is(encoderConcurrency(16, 2 * gib), 2, "a many-core box with 2 GiB: memory decides");
  assert.is(encoderConcurrency(8, 3 * gib), 3);
  assert.is(encoderConcurrency(4, 256 * 2 ** 20), 1, "too little memory for even one still encodes");
});

Sizing.run();
