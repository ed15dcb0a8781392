import { availableParallelism, totalmem } from "node:os";

/**
 * Files a build reads, writes or links at once, wherever it walks a list of files (articles,
 * photos, pages, siblings): a build must work under `ulimit -n 256` (macOS's default), whatever the
 * archive's size, and the disk gains nothing from a longer queue.
 */
export const filesAtOnce = 32;

/**
 * Worker threads that render pages: one per core, as long as half the memory (`memoryBytes`: the
 * machine's, or the container's limit) holds 256 MiB for each, which is well above what one holds
 * (Markdown, templates, htmlnano and brotli on one page at a time).
 */
export function pageWorkers(
  cores = availableParallelism(),
  memoryBytes = Math.min(totalmem(), process.constrainedMemory?.() || Infinity),
): number {
  return Math.max(1, Math.min(cores, Math.floor(memoryBytes / 2 / (256 * 2 ** 20))));
}
