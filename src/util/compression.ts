import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** How `.br` and `.gz` siblings are made: by pre-compression and the page writer, and as the budget measures them. */
export interface CompressionSettings {
  /** Brotli quality, 0 to 11. */
  brotliQuality: number;
  /** gzip level, 1 to 9. */
  gzipLevel: number;
}

/**
 * Brotli 8 and gzip 9, measured on the site's pages (docs/performance.md): brotli 11 makes them 8%
 * smaller for 30 times the time, and every new article renders its categories' listing pages again;
 * 10 comes within 0.5% of 11 for 13 times the time of 8.
 */
export const compressionDefaults: CompressionSettings = { brotliQuality: 8, gzipLevel: 9 };

/**
 * Siblings a static host serves in place of a file, and how each is made. Synchronous: the page
 * writer's worker threads compress on their own core, where the asynchronous form would queue every
 * page on libuv's four threads, shared by the whole process and its file writes.
 */
export function encoders(options: CompressionSettings): { suffix: ".br" | ".gz"; encode: (bytes: Buffer) => Buffer }[] {
  return [
    {
      suffix: ".br",
      encode: (bytes) =>
        brotliCompressSync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        }),
    },
    { suffix: ".gz", encode: (bytes) => gzipSync(bytes, { level: options.gzipLevel }) },
  ];
}
