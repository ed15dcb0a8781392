/**
 * An encoder process (see src/images/encoder-pool.ts): runs the jobs its parent sends, one at a time,
 * and exits when the parent lets go of it.
 */
import sharp from "sharp";
import { peakRssKiB } from "../checks/memory.ts";
import { type EncodeJob, runEncodeJob } from "./encode.ts";

export interface JobRequest {
  id: number;
  job: EncodeJob;
}

export interface JobReply {
  id: number;
  /** Why the job failed; absent when it succeeded. */
  error?: string;
  /** This process's peak resident memory so far, in KiB. */
  maxRssKiB: number;
}

// One libvips thread: parallelism comes from running several encoder processes, and the AVIF
// encoder's bytes depend on its thread count, which must not depend on the machine's cores.
sharp.concurrency(1);
// Each photo is read once: libvips' operation cache would only hold decoded pixels in memory.
sharp.cache(false);

process.on("message", (request: JobRequest) => {
  const reply = (error?: string) =>
    process.send?.({
      id: request.id,
      ...(error !== undefined && { error }),
      maxRssKiB: peakRssKiB(),
    } satisfies JobReply);
  runEncodeJob(request.job).then(
    () => reply(),
    (error: unknown) => reply(error instanceof Error ? error.message : String(error)),
  );
});
