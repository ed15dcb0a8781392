import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import { parseHTML } from "linkedom";
import { midad } from "../../.eleventy.ts";
import type { SiteConfig } from "../../src/config.ts";
import type { DeepPartial } from "../../src/options.ts";

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
 * Builds a site in memory with Eleventy's programmatic API (nothing written) and returns every
 * output (pages, feeds, sitemaps, `_headers`, …) by URL. `buildTime` fixes the moment the build is for.
 */
export async function buildOutputs(articlesDir: string, site: DeepPartial<SiteConfig> = {}, includeDrafts = false, buildTime?: Date): Promise<Map<string, string>> {
  const eleventy = new Eleventy("templates", path.join(articlesDir, "_site"), {
    quietMode: true,
    config: midad({ articlesDir, site, includeDrafts, root: repoRoot, images: { cacheDir: testImageCache }, ...(buildTime && { buildTime: () => buildTime }) }),
  });
  const results = (await eleventy.toJSON()) as { url: string; content: string }[];
  return new Map(results.map(({ url, content }) => [url, content]));
}

/** Like `buildOutputs`, for the HTML pages alone, each parsed with linkedom. */
export async function buildPages(articlesDir: string, site: DeepPartial<SiteConfig> = {}, includeDrafts = false, buildTime?: Date): Promise<Map<string, BuiltPage>> {
  return pagesOf(await buildOutputs(articlesDir, site, includeDrafts, buildTime));
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
  const merged: Record<string, string> = { title: "\"خبر تجريبي\"", date: "2022-01-08T14:30", categories: "[سياسة]", ...fields };
  const lines = Object.entries(merged).filter(([, value]) => value !== "").map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join("\n")}\n---\n\n${body}\n`;
}

/** Builds a site to disk with Eleventy's programmatic API, as `npm run build` does, optionally with site settings (a path prefix, say) and a fixed build time. */
export async function writeSite(articlesDir: string, output: string, site: DeepPartial<SiteConfig> = {}, buildTime?: Date): Promise<void> {
  const eleventy = new Eleventy("templates", output, {
    quietMode: true,
    config: midad({ articlesDir, site, root: repoRoot, images: { cacheDir: testImageCache }, ...(buildTime && { buildTime: () => buildTime }) }),
  });
  await eleventy.write();
}
