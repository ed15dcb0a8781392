import { statSync } from "node:fs";

/**
 * How much older than the moment it is stamped a file's times must be to be trusted. A write changes a file's change
 * time (ctime), which no program can set back, but to the file system's clock tick: a second on some file systems (two
 * for FAT's modification time), a few milliseconds on Linux's. A file written just before it was stamped could be
 * written again within the same tick, same size, same times: Git calls such a file "racily clean" and reads it again.
 */
const settledMs = 3000;

/**
 * What tells that a file is as it was without reading it, as Git's index does: its device, inode, size, modification
 * and change times, taken before the file is read. Empty when they cannot tell: a file changed within `settledMs` of
 * `now` (or dated in the future), or one that is not a readable file. An empty stamp matches nothing, so the file is
 * read and hashed each time, as every file was before stamps.
 */
export function sourceStamp(file: string, now = Date.now()): string {
  const info = statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!info?.isFile()) return "";
  const settled = BigInt(Math.floor(now - settledMs));
  if (info.mtimeMs > settled || info.ctimeMs > settled) return "";
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
}
