import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { Parser } from "htmlparser2";
import pMap from "p-map";
import { compressionDefaults, encoders } from "../util/compression.ts";
import { filesAtOnce } from "../util/limits.ts";
import { parseSrcset } from "../util/srcset.ts";
import { filesUnder } from "../util/walk.ts";
import { chooseCandidate, slotWidth } from "./image-choice.ts";

export type PageType = "home" | "category" | "article" | "404";
export const pageTypes: PageType[] = ["home", "category", "article", "404"];

/** What one page may cost. */
export interface Budget {
  /** The page's HTML, stylesheet inline, brotli-compressed. */
  brotliBytes: number;
  /**
   * Requests the browser must finish before it can render: the page itself plus every render-blocking stylesheet,
   * script or `@import`.
   */
  requestsBeforeRender: number;
  /** Every image the page makes the phone fetch, tab icon included. */
  imageBytes: number;
}

/**
 * 14 KiB: the first round trip of a new connection carries about 14.6 KB (TCP's initial window of
 * ten segments, RFC 6928), of which the response headers take a few hundred bytes. The page alone
 * renders; the lead photo (AVIF at the phone's slot) and the tab icon stay within 100 KB.
 */
export const defaultBudget: Budget = { brotliBytes: 14 * 1024, requestsBeforeRender: 1, imageBytes: 100_000 };

export interface Device {
  /** Viewport width in CSS px. */
  width: number;
  /** Device pixel ratio. */
  dpr: number;
}

export interface PageCost {
  /** Served path, under the path prefix. */
  url: string;
  type: PageType;
  raw: number;
  gzip: number;
  brotli: number;
  requestsBeforeRender: number;
  imageBytes: number;
  /** The image URLs counted in `imageBytes`. */
  images: string[];
}

export interface MeasureOptions {
  dir: string;
  pathPrefix: string;
  /** URL slugs of the categories: their folders hold category pages. */
  categorySlugs: string[];
  device: Device;
}

/**
 * A page's type from its file in the build: `index.html`, `404.html`, a category's folder; an article is
 * `YYYY/MM/<slug>/index.html`; every other page lists articles (tags, yearly and monthly archives) as a category's do.
 */
export function pageType(file: string, categorySlugs: string[]): PageType {
  if (file === "index.html") return "home";
  if (file === "404.html") return "404";
  const [first = "", month = "", slug = "", ...rest] = file.split("/");
  if (categorySlugs.includes(first)) return "category";
  const isArticle =
    /^\d{4}$/.test(first) && /^\d{2}$/.test(month) && slug !== "page" && rest.join("/") === "index.html";
  return isArticle ? "article" : "category";
}

interface PageScan {
  blocking: string[];
  images: string[];
}

/**
 * The resources that hold up the first render (stylesheets, scripts that are neither `async`,
 * `defer` nor modules, `@import`s of inline styles) and the images a phone of `device` fetches:
 * for a `<picture>` its first `<source>` (AVIF, which current phones decode), else the `<img>`,
 * the candidate chosen from `srcset` for the slot `sizes` gives; and the tab icon.
 */
export function scanPage(html: string, device: Device): PageScan {
  const blocking: string[] = [];
  const images: string[] = [];
  // Inside a <picture>: whether its image is chosen yet (by a <source>, else by its <img>).
  let picture: "outside" | "open" | "chosen" = "outside";
  let inStyle = false;
  const pick = (attributes: Record<string, string>) => {
    const srcset = attributes.srcset;
    const chosen = srcset
      ? chooseCandidate(parseSrcset(srcset), slotWidth(attributes.sizes, device.width), device.dpr)?.url
      : attributes.src;
    if (chosen) images.push(chosen);
  };
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        const rel = (attributes.rel ?? "").toLowerCase().split(/\s+/);
        if (tag === "link" && rel.includes("stylesheet") && attributes.media !== "print")
          blocking.push(attributes.href ?? "");
        if (tag === "link" && rel.includes("icon") && attributes.href) images.push(attributes.href);
        if (
          tag === "script" &&
          attributes.src &&
          !("async" in attributes) &&
          !("defer" in attributes) &&
          attributes.type !== "module"
        )
          blocking.push(attributes.src);
        if (tag === "style") inStyle = true;
        if (tag === "picture") picture = "open";
        if ((tag === "source" && picture === "open" && attributes.srcset) || (tag === "img" && picture !== "chosen")) {
          pick(attributes);
          if (picture === "open") picture = "chosen";
        }
      },
      ontext(text) {
        if (inStyle)
          for (const match of text.matchAll(/@import\s+(?:url\()?["']?([^"')\s;]+)/g)) blocking.push(match[1]!);
      },
      onclosetag(tag) {
        if (tag === "style") inStyle = false;
        if (tag === "picture") picture = "outside";
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return { blocking, images };
}

/**
 * The bytes a host sends with a coding: the build's pre-compressed sibling when it is current, else compressed now at
 * the same settings.
 */
async function encodedSize(file: string, bytes: Buffer, suffix: ".br" | ".gz"): Promise<number> {
  const [sibling, original] = await Promise.all([stat(file + suffix).catch(() => undefined), stat(file)]);
  if (sibling && sibling.mtimeMs >= original.mtimeMs) return sibling.size;
  return encoders(compressionDefaults)
    .find((encoder) => encoder.suffix === suffix)!
    .encode(bytes).length;
}

function servedUrl(file: string, pathPrefix: string): string {
  return pathPrefix + file.replace(/(^|\/)index\.html$/, "$1");
}

/** Measures every HTML page of a build as a phone of `device` would load it. */
export async function measureSite(options: MeasureOptions): Promise<PageCost[]> {
  const pages = filesUnder(options.dir, (name) => name.endsWith(".html"));
  const fileOf = (url: string) =>
    path.join(
      options.dir,
      decodeURIComponent(new URL(url, `http://site${options.pathPrefix}`).pathname.slice(options.pathPrefix.length)),
    );
  return pMap(
    pages,
    async (page): Promise<PageCost> => {
      const file = path.join(options.dir, page);
      const bytes = await readFile(file);
      const { blocking, images } = scanPage(bytes.toString("utf8"), options.device);
      const imageSizes = await Promise.all(
        images.map(
          async (url) =>
            (
              await stat(fileOf(url)).catch(() => {
                throw new Error(`${page}: the image ${url} is not in the build`);
              })
            ).size,
        ),
      );
      return {
        url: servedUrl(page, options.pathPrefix),
        type: pageType(page, options.categorySlugs),
        raw: bytes.length,
        gzip: await encodedSize(file, bytes, ".gz"),
        brotli: await encodedSize(file, bytes, ".br"),
        requestsBeforeRender: 1 + blocking.length,
        imageBytes: imageSizes.reduce((sum, size) => sum + size, 0),
        images,
      };
    },
    { concurrency: filesAtOnce },
  );
}

/** One line per page and budget it exceeds. */
export function overBudget(costs: PageCost[], budget: Budget): string[] {
  const lines: string[] = [];
  for (const cost of costs) {
    if (cost.brotli > budget.brotliBytes)
      lines.push(`${cost.url}: ${cost.brotli} B brotli, over ${budget.brotliBytes} B; trim the page or its stylesheet`);
    if (cost.requestsBeforeRender > budget.requestsBeforeRender)
      lines.push(
        `${cost.url}: ${cost.requestsBeforeRender} requests before first render, over ${budget.requestsBeforeRender}; inline the stylesheet, defer scripts`,
      );
    if (cost.imageBytes > budget.imageBytes)
      lines.push(
        `${cost.url}: ${cost.imageBytes} B of images (${cost.images.join(", ")}), over ${budget.imageBytes} B`,
      );
  }
  return lines;
}

const number = (n: number) => n.toLocaleString("en-US");

/**
 * A table of the page types: how many pages, and the largest of each figure among them (with the page of the largest
 * brotli size).
 */
export function budgetTable(costs: PageCost[], budget: Budget): string {
  const header = [
    "page type",
    "pages",
    "raw B",
    "gzip B",
    "brotli B",
    "requests before render",
    "image B",
    "largest page",
  ];
  const rows = pageTypes
    .map((type) => costs.filter((cost) => cost.type === type))
    .filter((group) => group.length > 0)
    .map((group) => {
      const max = (pick: (cost: PageCost) => number) => Math.max(...group.map(pick));
      const largest = group.reduce((a, b) => (b.brotli > a.brotli ? b : a));
      return [
        group[0]!.type,
        number(group.length),
        number(max((c) => c.raw)),
        number(max((c) => c.gzip)),
        number(max((c) => c.brotli)),
        String(max((c) => c.requestsBeforeRender)),
        number(max((c) => c.imageBytes)),
        largest.url,
      ];
    });
  const table = [
    header,
    ...rows,
    [
      "budget",
      "",
      "",
      "",
      number(budget.brotliBytes),
      String(budget.requestsBeforeRender),
      number(budget.imageBytes),
      "",
    ],
  ];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 || column === row.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
