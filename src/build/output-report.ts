import { type Dirent, lstatSync, readFileSync } from "node:fs";
import path from "node:path";
import type { HostLimits, HostProfile } from "../site/hosts.ts";
import { pathUnder, relativeEntryPath, walkFiles } from "../util/walk.ts";
import { FixableError } from "./failure.ts";

/** The kinds of files an output is made of, as the messages name them. */
export type OutputKind = "pages" | "photos" | "search index" | "feeds and sitemaps" | "compressed siblings" | "other";

export interface Tally {
  files: number;
  bytes: number;
}

/** What a build's output holds, and how it differs from the site it replaces. */
export interface OutputReport extends Tally {
  /** Files and bytes by kind, largest first by files. */
  kinds: [OutputKind, Tally][];
  /** The largest file, relative to the output. */
  largest: { file: string; bytes: number };
  /** Files the replaced site did not have, had with other bytes, and had that this one does not. */
  added: number;
  changed: number;
  removed: number;
}

/** Where the output's kinds of files live: the image pipeline's and the search index's folders, without slashes. */
export interface OutputFolders {
  images: string;
  search: string;
}

function kindOf(file: string, folders: OutputFolders): OutputKind {
  if (/\.(br|gz)$/.test(file)) return "compressed siblings";
  const top = file.split("/")[0];
  if (top === folders.images) return "photos";
  if (top === folders.search) return "search index";
  if (file.endsWith(".html")) return "pages";
  if (/\.(xml|json|txt)$/.test(file)) return "feeds and sitemaps";
  return "other";
}

/**
 * Counts the files and bytes of `staging` (its `tree`) by kind, and compares each file with the one at the same path
 * in `output`, the site it replaces: the same inode (a page or shard linked from the cache again) or the same bytes is
 * unchanged. Deploy tools upload what changed; the counts say how much that is.
 */
export function reportOutput(staging: string, output: string, tree: Dirent[], folders: OutputFolders): OutputReport {
  const kinds = new Map<OutputKind, Tally>();
  const report: OutputReport = {
    files: 0,
    bytes: 0,
    kinds: [],
    largest: { file: "", bytes: 0 },
    added: 0,
    changed: 0,
    removed: 0,
  };
  const inOutput = pathUnder(output);
  const present = new Set<string>();
  for (const entry of tree) {
    if (!entry.isFile()) continue;
    const file = relativeEntryPath(staging, entry);
    const stats = lstatSync(path.join(entry.parentPath, entry.name));
    present.add(file);
    report.files++;
    report.bytes += stats.size;
    if (stats.size > report.largest.bytes) report.largest = { file, bytes: stats.size };
    const kind = kindOf(file, folders);
    const tally = kinds.get(kind) ?? { files: 0, bytes: 0 };
    tally.files++;
    tally.bytes += stats.size;
    kinds.set(kind, tally);
    const before = lstatSync(inOutput(file), { throwIfNoEntry: false });
    if (!before?.isFile()) report.added++;
    else if (before.ino === stats.ino && before.dev === stats.dev) continue;
    else if (before.size !== stats.size || !sameBytes(inOutput(file), path.join(entry.parentPath, entry.name)))
      report.changed++;
  }
  if (lstatSync(output, { throwIfNoEntry: false })?.isDirectory())
    walkFiles(output, (file) => {
      if (!present.has(file)) report.removed++;
    });
  report.kinds = [...kinds].sort(([, a], [, b]) => b.files - a.files);
  return report;
}

function sameBytes(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

const number = (value: number) => value.toLocaleString("en-US");
/** Bytes as people read them: MB (10^6), as the hosts state their limits in their own units below. */
export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const limitBytes = (bytes: number) =>
  bytes >= 1024 ** 3 ? `${Number((bytes / 1024 ** 3).toFixed(2))} GiB` : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/** One line of the build's summary: the output's files and bytes, what changed, and the share of the host's limits. */
export function describeOutput(report: OutputReport, host: HostProfile): string {
  const shares = [
    Number.isFinite(host.limits.files) &&
      `${percent(report.files / host.limits.files)} of ${number(host.limits.files)} files`,
    Number.isFinite(host.limits.bytes) &&
      `${percent(report.bytes / host.limits.bytes)} of ${limitBytes(host.limits.bytes)}`,
  ].filter(Boolean);
  return (
    `Output: ${number(report.files)} files, ${megabytes(report.bytes)} (${number(report.added)} added, ` +
    `${number(report.changed)} changed, ${number(report.removed)} removed)` +
    (shares.length > 0 ? `; ${shares.join(" and ")} for ${host.limitsOf}.` : `; for ${host.label}.`)
  );
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Past this share of a limit, the build warns. */
export const warnAt = 0.8;

/**
 * Checks the output against the host's limits: over one, a FixableError naming the limit, the counts, what takes
 * most and the fix, so the build fails before a deployment would; past 80% of one, a warning to print.
 */
export function checkHostLimits(report: OutputReport, host: HostProfile): string[] {
  const over: string[] = [];
  const near: string[] = [];
  const measure = (name: keyof HostLimits, value: number, text: (v: number) => string) => {
    const limit = host.limits[name];
    if (!Number.isFinite(limit)) return;
    if (value > limit) over.push(`${text(value)}, over the limit of ${text(limit)}`);
    else if (value > limit * warnAt)
      near.push(`${text(value)}, ${percent(value / limit)} of the limit of ${text(limit)}`);
  };
  measure("files", report.files, (v) => `${number(v)} files`);
  measure("bytes", report.bytes, (v) => (v === host.limits.bytes ? limitBytes(v) : megabytes(v)));
  if (report.largest.bytes > host.limits.fileBytes)
    over.push(
      `${report.largest.file} is ${megabytes(report.largest.bytes)}, over the limit of ${limitBytes(host.limits.fileBytes)} a file`,
    );
  if (over.length > 0) throw new FixableError(limitMessage(report, host, over));
  return near.map((line) => `the output is near ${host.limitsOf}'s limits: ${line}; ${host.raise}`);
}

function limitMessage(report: OutputReport, host: HostProfile, over: string[]): string {
  const kinds = report.kinds
    .map(([kind, tally]) => `${kind} ${number(tally.files)} files, ${megabytes(tally.bytes)}`)
    .join("; ");
  const photos = report.kinds.find(([kind]) => kind === "photos")?.[1];
  const photosAlone =
    photos && (photos.files > host.limits.files || photos.bytes > host.limits.bytes)
      ? "\n  the photos alone exceed the limit (docs/hosts.md gives what a photo costs): publish fewer widths, or serve the photos from another host"
      : "";
  return (
    `the output does not fit ${host.limitsOf}: ${over.join("; ")}\n  it holds ${kinds}${photosAlone}\n` +
    `  fix: ${host.raise}, or choose another host with \`host\` in site.config.ts (docs/hosts.md compares them); ` +
    "the output was not published"
  );
}
