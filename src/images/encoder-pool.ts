import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EncodeJob } from "./encode.ts";
import type { JobReply, JobRequest } from "./encoder-process.ts";

export interface EncoderPoolOptions {
  /** Encoder processes at once, each running one job at a time. */
  processes: number;
  /** Jobs one process runs before it is replaced. */
  jobsPerProcess: number;
  /** How long an idle process waits for another job before it exits, in milliseconds. */
  idleMs: number;
}

export interface EncoderPool {
  run(job: EncodeJob): Promise<void>;
  /** The peak resident memory of each encoder process started so far, in start order, in KiB. */
  processPeaksKiB(): number[];
  /** Encoder processes started so far. */
  processesStarted(): number;
}

interface Waiting {
  job: EncodeJob;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Encoder {
  child: ChildProcess;
  /** Its place in start order. */
  index: number;
  jobsRun: number;
  current?: Waiting;
  idleTimer?: NodeJS.Timeout;
}

const workerPath = fileURLToPath(new URL("./encoder-process.ts", import.meta.url));

/**
 * Encodes in child processes rather than in the build's own. Encoders leave the C heap
 * fragmented (glibc keeps what sharp and libaom freed), so one long-lived process grows with every
 * photo; a process replaced after a few photos returns all of it, and memory stays bounded by
 * `processes` encoders whatever the number of photos. Each process has one libuv thread, so it runs
 * exactly one libvips pipeline at a time: one core and one decoded photo per process.
 */
export function createEncoderPool(options: EncoderPoolOptions): EncoderPool {
  const waiting: Waiting[] = [];
  const encoders = new Set<Encoder>();
  let nextId = 0;
  const peaksKiB: number[] = [];

  function spawn(): Encoder {
    const child = fork(workerPath, [], {
      execArgv: ["--import", import.meta.resolve("tsx")],
      // Two malloc arenas instead of eight per core: less memory left fragmented between photos.
      env: { ...process.env, UV_THREADPOOL_SIZE: "1", MALLOC_ARENA_MAX: "2" },
      serialization: "json",
    });
    const encoder: Encoder = { child, index: peaksKiB.push(0) - 1, jobsRun: 0 };
    child.on("message", (reply: JobReply) => {
      peaksKiB[encoder.index] = Math.max(peaksKiB[encoder.index]!, reply.maxRssKiB);
      const done = encoder.current;
      encoder.current = undefined;
      encoder.jobsRun++;
      if (reply.error === undefined) done?.resolve();
      else done?.reject(new Error(reply.error));
      if (encoder.jobsRun >= options.jobsPerProcess) retire(encoder);
      dispatch();
    });
    const lost = (reason: string) => {
      encoders.delete(encoder);
      clearTimeout(encoder.idleTimer);
      encoder.current?.reject(
        new Error(`the image encoder process ${reason} while encoding ${encoder.current.job.sourcePath}`),
      );
      encoder.current = undefined;
      dispatch();
    };
    child.on("exit", (code, signal) =>
      lost(signal ? `was killed by ${signal} (out of memory?)` : `exited with code ${code}`),
    );
    child.on("error", (error) => lost(`failed: ${error.message}`));
    encoders.add(encoder);
    return encoder;
  }

  /** The process exits once its channel closes; the job it ran has already been answered. */
  function retire(encoder: Encoder): void {
    encoders.delete(encoder);
    clearTimeout(encoder.idleTimer);
    if (encoder.child.connected) encoder.child.disconnect();
  }

  function dispatch(): void {
    for (const encoder of encoders) {
      if (waiting.length === 0) break;
      if (!encoder.current) start(encoder, waiting.shift()!);
    }
    while (waiting.length > 0 && encoders.size < options.processes) start(spawn(), waiting.shift()!);
    for (const encoder of encoders) if (!encoder.current && !encoder.idleTimer) idle(encoder);
  }

  function start(encoder: Encoder, next: Waiting): void {
    clearTimeout(encoder.idleTimer);
    encoder.idleTimer = undefined;
    encoder.current = next;
    // A process at work holds the build open; an idle one must not.
    encoder.child.ref();
    encoder.child.channel?.ref();
    encoder.child.send({ id: nextId++, job: next.job } satisfies JobRequest);
  }

  function idle(encoder: Encoder): void {
    encoder.child.unref();
    encoder.child.channel?.unref();
    encoder.idleTimer = setTimeout(() => retire(encoder), options.idleMs).unref();
  }

  return {
    run: (job) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ job, resolve, reject });
        dispatch();
      }),
    processPeaksKiB: () => [...peaksKiB],
    processesStarted: () => peaksKiB.length,
  };
}
