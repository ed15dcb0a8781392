import { createHash } from "node:crypto";

/**
 * A cache entry that only the build reads (a minified stylesheet, a rendered body) carries the SHA-256 and the length
 * of its bytes in a first line, so that a read can tell the bytes written from bytes cut short or changed since:
 * content-addressed caches key an entry by its inputs, and only a digest of the output says the output is intact.
 */
const mark = "midad-sha256 ";
/** The longest header: the mark, the digest, a space, a length of up to 15 digits, a line feed. */
const longestHeader = mark.length + 64 + 1 + 15 + 1;

function digest(content: Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The entry as written: the header, then the content. */
export function seal(content: string | Uint8Array): Buffer {
  const bytes = Buffer.from(content);
  return Buffer.concat([Buffer.from(`${mark}${digest(bytes)} ${bytes.length}\n`), bytes]);
}

/**
 * The content of a sealed entry, or what is wrong with it when it is not what was written: `damage` is empty for an
 * entry of the format before seals, a miss rather than damage, made again quietly.
 */
export function unseal(bytes: Buffer): Buffer | { damage: string } {
  const start = bytes.subarray(0, mark.length).toString("latin1");
  if (start !== mark) return { damage: mark.startsWith(start) ? `cut short at ${bytes.length} bytes` : "" };
  const end = bytes.subarray(0, longestHeader).indexOf(10);
  const header = /^midad-sha256 ([0-9a-f]{64}) (\d+)$/.exec(bytes.subarray(0, Math.max(end, 0)).toString("latin1"));
  if (!header) return { damage: `cut short at ${bytes.length} bytes` };
  const content = bytes.subarray(end + 1);
  const length = Number(header[2]);
  if (content.length < length) return { damage: `cut short at ${content.length} of ${length} bytes` };
  if (content.length > length || digest(content) !== header[1]) return { damage: "its bytes are not those written" };
  return content;
}
