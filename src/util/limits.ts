import { availableParallelism, totalmem } from "node:os";

/**
 * Files a build reads, writes or links at once, wherever it walks a list of files (articles,
 * photos, pages, siblings): a build must work under `ulimit -n 256` (macOS's default), whatever the
 * archive's size, and the disk gains nothing from a longer queue.
 */
export const filesAtOnce = 32;

/**
 * The old-generation heap of a page or article worker thread, in MiB: what `pageWorkers` counts for one. Without it
 * V8 lets each thread's heap grow towards the process's limit before it collects (measured on a 4,000-article cold
 * build: 594 MiB for the build's process without it, 490 MiB with it).
 */
export const workerHeapMb = 256;

/**
 * Worker threads that render pages: one per core, as long as half the memory (`memoryBytes`: the
 * machine's, or the container's limit) holds 256 MiB for each, which is well above what one holds
 * (Markdown, templates, htmlnano and brotli on one page at a time).
 */
export function pageWorkers(
  cores = availableParallelism(),
  memoryBytes = Math.min(totalmem(), process.constrainedMemory?.() || Infinity),
): number {
  return Math.max(1, Math.min(cores, Math.floor(memoryBytes / 2 / (workerHeapMb * 2 ** 20))));
}
