import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import { parseHTML } from "linkedom";
import * as assert from "uvu/assert";
import { midad } from "../../.eleventy.ts";
import { ArticleProblemsError, formatProblem, type Problem } from "../../src/articles/problems.ts";
import { createImagePipeline, defaultImageOptions } from "../../src/images/pipeline.ts";
import { resolveSiteConfig, type SiteConfig } from "../../src/site/config.ts";
import { loadSite, type Site } from "../../src/site/site.ts";
import type { DeepPartial } from "../../src/util/options.ts";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
/** Encoded images are named by content and options, so every test can share one cache. */
export const testImageCache = path.join(tmpdir(), "midad-test-image-cache");

/** Writes `files` (path → content, relative to a fresh articles folder) and returns that folder. */
export async function writeArticles(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "midad-articles-"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

export interface BuiltPage {
  url: string;
  html: string;
  document: Document;
}

/**
 * Text outputs a build writes (pages, feeds, sitemaps, `robots.txt`, `_headers`), not photos or compressed siblings.
 */
const textOutput = /(?:\.html|\.xml|\.json|\.txt|\/_headers)$/;

/** Every text output of a built folder by URL: `/2022/01/a/` for `2022/01/a/index.html`. */
export async function readOutputs(output: string): Promise<Map<string, string>> {
  const files = (await readdir(output, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => `/${path.relative(output, path.join(entry.parentPath, entry.name)).split(path.sep).join("/")}`)
    .filter((url) => textOutput.test(url))
    .sort();
  return new Map(
    await Promise.all(
      files.map(
        async (file) =>
          [file.replace(/(^|\/)index\.html$/, "$1"), await readFile(path.join(output, file), "utf8")] as const,
      ),
    ),
  );
}

/** How a test builds: the site's settings, whether drafts are published, and the moment the build is for. */
export interface TestBuild {
  site?: DeepPartial<SiteConfig>;
  /** The newsroom's profiles of its bylines; default: none. */
  authorsFile?: string;
  /** The newsroom's titles and summaries of its stories; default: none. */
  storiesFile?: string;
  includeDrafts?: boolean;
  buildTime?: Date;
  /** Articles in one shard of the search index, and shards a search covers at first; default: the search plugin's. */
  shardSize?: number;
  shardsPerStep?: number;
}

/**
 * Builds a site to a fresh folder with Eleventy's programmatic API, as `npm run build` does, and
 * returns every text output (pages, feeds, sitemaps, `_headers`, …) by URL.
 */
export async function buildOutputs(articlesDir: string, build: TestBuild = {}): Promise<Map<string, string>> {
  const output = await mkdtemp(path.join(tmpdir(), "midad-site-"));
  try {
    await writeSite(articlesDir, output, build);
    return await readOutputs(output);
  } finally {
    await rm(output, { recursive: true, force: true });
  }
}

/** Like `buildOutputs`, for the HTML pages alone, each parsed with linkedom. */
export async function buildPages(articlesDir: string, build: TestBuild = {}): Promise<Map<string, BuiltPage>> {
  return pagesOf(await buildOutputs(articlesDir, build));
}

/** The HTML pages among a build's outputs, each parsed into a DOM. */
export function pagesOf(outputs: Map<string, string>): Map<string, BuiltPage> {
  const pages = [...outputs].filter(([url]) => url.endsWith("/") || url.endsWith(".html"));
  return new Map(pages.map(([url, content]) => [url, { url, html: content, document: parseHTML(content).document }]));
}

export function page(pages: Map<string, BuiltPage>, url: string): Document {
  const found = pages.get(url);
  if (!found) throw new Error(`no page at ${url}; built: ${[...pages.keys()].join(", ")}`);
  return found.document;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A minimal valid article; `fields` replace or add front matter lines. */
export function article(fields: Record<string, string> = {}, body = "نص الخبر."): string {
  const merged: Record<string, string> = {
    title: '"خبر تجريبي"',
    date: "2022-01-08T14:30",
    categories: "[سياسة]",
    ...fields,
  };
  const lines = Object.entries(merged)
    .filter(([, value]) => value !== "")
    .map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join("\n")}\n---\n\n${body}\n`;
}

/** Builds a site to disk with Eleventy's programmatic API, as `npm run build` does. */
export async function writeSite(
  articlesDir: string,
  output: string,
  { site = {}, includeDrafts = false, buildTime, authorsFile, storiesFile, shardSize, shardsPerStep }: TestBuild = {},
): Promise<void> {
  const eleventy = new Eleventy("templates", output, {
    quietMode: true,
    config: midad({
      articlesDir,
      site,
      includeDrafts,
      ...(authorsFile && { authorsFile }),
      ...(storiesFile && { storiesFile }),
      root: repoRoot,
      images: { cacheDir: testImageCache },
      ...(buildTime && { buildTime: () => buildTime }),
      search: { ...(shardSize && { shardSize }), ...(shardsPerStep && { shardsPerStep }) },
    }),
  });
  await eleventy.write();
}

/**
 * Every file under `dir` with the hash of its bytes, and every folder (`name/`): two equal snapshots are
 * byte-for-byte the same tree.
 */
export function snapshot(dir: string): Map<string, string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  const name = (entry: (typeof entries)[number]) => path.relative(dir, path.join(entry.parentPath, entry.name));
  const files = entries.filter((entry) => entry.isFile()).map(name);
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => `${name(entry)}/`);
  return new Map(
    [
      ...files.map(
        (file) =>
          [
            file,
            createHash("sha256")
              .update(readFileSync(path.join(dir, file)))
              .digest("hex"),
          ] as const,
      ),
      ...folders.map((folder) => [folder, "folder"] as const),
    ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Two snapshots are the same tree: the same files, each with the same bytes; `context` starts every message. */
export function assertSameTree(actual: Map<string, string>, expected: Map<string, string>, context = ""): void {
  const prefix = context ? `${context}: ` : "";
  assert.equal([...actual.keys()], [...expected.keys()], `${prefix}the same files`);
  for (const [file, hash] of expected) assert.is(actual.get(file), hash, `${prefix}${file} has the same bytes`);
}

/**
 * Loads a folder of articles as the build does (`loadSite`), written from `files`: the site, or
 * every problem of the articles. `buildTime` leaves out the articles dated after it.
 */
export async function loadArticles(
  files: Record<string, string | Buffer>,
  { buildTime }: { buildTime?: Date } = {},
): Promise<{ site?: Site; problems: Problem[] }> {
  const dir = await writeArticles(files);
  try {
    const images = createImagePipeline({ ...defaultImageOptions, cacheDir: testImageCache });
    const site = await loadSite({
      root: dir,
      articlesDir: dir,
      config: resolveSiteConfig(),
      includeDrafts: false,
      images,
      ...(buildTime && { buildTime }),
    });
    return { site, problems: [] };
  } catch (error) {
    if (error instanceof ArticleProblemsError) return { problems: [...error.problems] };
    throw error;
  } finally {
    await removeDir(dir);
  }
}

export type Json = Record<string, unknown>;

/** A page's structured data: each `<script type="application/ld+json">` block, parsed. */
export function jsonLd(doc: Document): Json[] {
  return [...doc.querySelectorAll('script[type="application/ld+json"]')].map(
    (script) => JSON.parse(script.textContent ?? "") as Json,
  );
}

/** Builds as `buildOutputs` does, expecting the build to fail on its articles or data files: their problems, as shown. */
export async function buildProblems(articlesDir: string, build: TestBuild = {}): Promise<string[]> {
  const error = await buildOutputs(articlesDir, build).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  const cause = error instanceof Error ? error.cause : undefined;
  assert.instance(cause, ArticleProblemsError, "the build stops on the articles' problems");
  return (cause as ArticleProblemsError).problems.map(formatProblem);
}

export interface ScriptRun {
  /** Variables added to the environment. */
  env?: Record<string, string>;
  /** A module run before the script, after tsx's own (which compiles it too): the simulated full disk. */
  preload?: string;
  /** Default 120 s. */
  timeout?: number;
}

/** Runs `scripts/<name>.ts` as `npm run` does, in its own process from the repository, and waits for it. */
export function runScript(name: string, args: string[], { env = {}, preload, timeout = 120_000 }: ScriptRun = {}) {
  return spawnSync(
    process.execPath,
    ["--import", "tsx", ...(preload ? ["--import", preload] : []), `scripts/${name}.ts`, ...args],
    {
      cwd: repoRoot,
      encoding: "utf8",
      timeout,
      env: { ...process.env, ...env },
    },
  );
}
