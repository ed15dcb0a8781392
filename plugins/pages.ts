import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Asset, contentHashedUrl, imageType } from "../src/publish/assets.ts";
import { type ContentCache, contentKey, createContentCache } from "../src/publish/content-cache.ts";
import type { RenderSettings } from "../src/publish/page-render.ts";
import { writePages } from "../src/publish/page-writer.ts";
import type { IndexedPage } from "../src/publish/search-index.ts";
import type { Site } from "../src/site/site.ts";
import { type CompressionSettings, compressionDefaults } from "../src/util/compression.ts";
import { pageWorkers } from "../src/util/limits.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import type { PageContext } from "../templates/layouts/base.ts";
import { renderHome } from "../templates/pages/home.ts";
import { renderNotFound } from "../templates/pages/not-found.ts";
import type { AfterBuildEvent, EleventyConfig } from "./eleventy.ts";
import { defaults as minifyDefaults, openMinifyCache } from "./minify.ts";
import { pageTemplates } from "./page-templates.ts";

/**
 * The site's pages: home and 404 as virtual Eleventy templates; article and category pages, which
 * grow with the archive, written by midad's page writer (src/publish/page-writer.ts) after Eleventy's own
 * pages, reused from the page cache when nothing they are made of changed. Publishes the logo too.
 */
export interface Options {
  /** The one stylesheet, minified and inlined into every page. Default `templates/styles/site.css`. */
  stylesheet: string;
  /**
   * The outlet's logo: a square PNG or JPEG, at least 112 px wide (search engines' minimum). Default
   * `templates/assets/logo.png`.
   */
  logo: string;
  /** Site folder the logo is published in, under a content-hashed name. Default `/assets/`. */
  assetsPath: string;
  /** Project root the stylesheet, logo and cache paths are relative to. Default: the working directory. */
  root: string;
  /**
   * Folder of finished pages (with their `.br` and `.gz` siblings) by key, relative to the root. Default
   * `.cache/pages`.
   */
  cacheDir: string;
  /** Days a cached page no build has used stays in the cache. Default 7. */
  cacheDays: number;
  /** Classes whose whitespace the HTML minifier keeps. Default: the minify plugin's. */
  keepWhitespace: string[];
  /** How the pages' `.br` and `.gz` siblings are compressed. Default: the precompress plugin's settings. */
  compression: CompressionSettings;
  /**
   * Whether a build gives each page `.br` and `.gz` siblings: only servers the newsroom runs (nginx, Caddy) serve them;
   * the hosts compress on the fly and would only store them. Default false; midad sets it from the site's `host`.
   */
  precompress: boolean;
  /** Worker threads that render pages at most. Default: one per core while half the memory holds 256 MiB each. */
  workers: number;
  /**
   * Files in the output folder that an earlier build linked from the page cache, relative with `/` separators: the
   * staging folder's (`createStaging`'s `kept`), which a build keeps where they are still right. Read by the first
   * build into each folder; the dev server's later builds know what they wrote. Default: none.
   */
  kept: string[];
  /**
   * Called after each build with the page writer's files, relative to the output folder: the pages, which it scanned
   * for active content (`npm run build` scans only the others again), and every file with their siblings, which
   * `npm run build` lists for the next build (see `publish`). Default: nothing.
   */
  onPagesWritten: (written: { pages: string[]; files: string[] }) => void;
}

export const defaults: Options = {
  stylesheet: "templates/styles/site.css",
  logo: "templates/assets/logo.png",
  assetsPath: "/assets/",
  root: process.cwd(),
  cacheDir: ".cache/pages",
  cacheDays: 7,
  keepWhitespace: minifyDefaults.keepWhitespace,
  compression: compressionDefaults,
  precompress: false,
  workers: pageWorkers(),
  kept: [],
  onPagesWritten: () => undefined,
};

/**
 * What the articles plugin hands over once a build's articles are read (`midad.site`): the site, and the markup every
 * page shows at its top (the dev server's problems).
 */
export interface SiteReady {
  site: Site;
  problemsPanel: string;
}

/**
 * What the pages plugin hands over once a build's pages are in the output folder (`midad.pages`), and, where the page
 * writer says so, once its article pages are, before the others (`midad.articlePages`, see `onArticlePages`).
 */
export interface PagesWritten {
  output: string;
  /** The article pages, newest first: what the search index is made of. */
  articlePages: IndexedPage[];
  /** Eleventy's: `build` for `npm run build`, `serve` or `watch` for the dev server. */
  runMode: string;
}

interface PageData {
  midad: Site;
  stylesheet: string;
  logo: Asset;
}

async function readLogo(
  file: string,
  assetsPath: string,
  cache: ContentCache,
): Promise<{ asset: Asset; content: Buffer }> {
  const fix = "point the pages plugin's `logo` option at a square PNG or JPEG of at least 112 px";
  const content = await readFile(file).catch((error: Error) => {
    throw new Error(`logo ${file} cannot be read (${error.message}); ${fix}`);
  });
  const { width, height } = JSON.parse(
    await remembered(cache, `${contentKey("logo-size", content)}.json`, async () => {
      const { default: sharp } = await import("sharp");
      const { width, height } = await sharp(content)
        .metadata()
        .catch((error: Error) => {
          throw new Error(`logo ${file} is not an image (${error.message}); ${fix}`);
        });
      return JSON.stringify({ width, height });
    }),
  ) as { width: number; height: number };
  if (width < 112 || height < 112) throw new Error(`logo ${file} is ${width}x${height} px; ${fix}`);
  const url = contentHashedUrl(assetsPath, path.basename(file), content);
  return { asset: { url, width, height, type: imageType(url) }, content };
}

/**
 * What `make` gives, from the minify cache under `name` when an earlier build made it: the stylesheet minified (csso)
 * and the logo's size (sharp) take a tenth of a second each to load, on every build, for files that change once in a while.
 */
async function remembered(cache: ContentCache, name: string, make: () => Promise<string>): Promise<string> {
  const cached = await cache.read(name);
  if (cached) return cached.toString("utf8");
  const made = await make();
  await cache.write(name, made);
  return made;
}

/** The stylesheet minified, by its content. */
function minifiedCss(css: string, cache: ContentCache): Promise<string> {
  return remembered(cache, `${contentKey("csso", css)}.css`, async () => {
    const { minifyCss } = await import("../src/publish/minify-css.ts");
    return minifyCss(css);
  });
}

export default function pagesPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const stylesheetPath = path.resolve(options.root, options.stylesheet);
  const minifyCache = openMinifyCache(path.resolve(options.root, minifyDefaults.cacheDir));
  const logoPath = path.resolve(options.root, options.logo);
  // Read by each build's data step and written out by the same build's pages.
  let logo: Promise<{ asset: Asset; content: Buffer }> | undefined;
  let stylesheet: Promise<string> | undefined;
  let ready: SiteReady | undefined;
  let build: Omit<AfterBuildEvent, "results"> | undefined;
  // This build's pages, once under way: see `writeEarly`.
  let writing: Promise<PagesWritten & { pages: string[]; files: string[] }> | undefined;
  // Files the last build wrote into each output folder: the dev server writes into the same folder every time.
  const writtenBefore = new Map<string, ReadonlySet<string>>();
  eleventyConfig.on("eleventy.before", async (event: Omit<AfterBuildEvent, "results">) => {
    // A rebuild that failed in Eleventy's own templates may still be writing its pages into the same folder.
    await writing?.catch(() => undefined);
    ready = undefined;
    writing = undefined;
    build = event;
  });
  const write = async () => {
    const { directories, runMode } = build!;
    const output = path.resolve(options.root, directories.output);
    const { asset, content } = await logo!;
    const target = path.join(output, asset.url);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    const site = ready!.site;
    const settings: RenderSettings = {
      root: options.root,
      config: site.config,
      stylesheet: await stylesheet!,
      logo: asset,
      keepWhitespace: options.keepWhitespace,
      problemsPanel: ready!.problemsPanel,
      cacheDir: path.resolve(options.root, options.cacheDir),
      bodies: site.bodies,
      authors: Object.fromEntries(site.authors),
      // The dev server never serves the siblings, and each rebuild would wait for them.
      ...(runMode === "build" && options.precompress && { compression: options.compression }),
    };
    const written = await writePages(site, settings, output, {
      templates: pageTemplates,
      workerFile: new URL("./page-worker.ts", import.meta.url),
      workers: options.workers,
      existing: writtenBefore.get(output) ?? new Set(options.kept),
      onArticlePages: async (articlePages) => {
        await eleventyConfig.emit("midad.articlePages", { output, articlePages, runMode } satisfies PagesWritten);
      },
    });
    await createContentCache(settings.cacheDir).prune(options.cacheDays);
    return { ...written, output, runMode };
  };
  // The dev server writes the pages as soon as the site, stylesheet and logo are read, beside Eleventy's own templates
  // (feeds, sitemaps, home), so an edited article is served some 0.15 s sooner at 4,000 articles. A build writes them
  // after, as a failure of those templates then leaves nothing writing into the staging folder it discards.
  const writeEarly = () => {
    if (build?.runMode === "build" || build?.outputMode !== "fs" || writing || !ready || !stylesheet || !logo) return;
    writing = write();
    // Awaited by the after-step; should Eleventy fail before it, the next rebuild's before-step waits for it.
    writing.catch(() => undefined);
  };
  eleventyConfig.on("midad.site", (handed: SiteReady) => {
    ready = handed;
    writeEarly();
  });
  eleventyConfig.addWatchTarget(stylesheetPath);
  eleventyConfig.addWatchTarget(logoPath);
  // Minified here, once, and left as it is by the HTML minifier: the `_headers` CSP allows it by the hash of these
  // exact bytes.
  eleventyConfig.addGlobalData("stylesheet", () => {
    stylesheet = readFile(stylesheetPath, "utf8").then((css) => minifiedCss(css, minifyCache));
    writeEarly();
    return stylesheet;
  });
  eleventyConfig.addGlobalData("logo", async () => {
    logo = readLogo(logoPath, options.assetsPath, minifyCache);
    writeEarly();
    return (await logo).asset;
  });
  eleventyConfig.on("eleventy.after", async ({ outputMode }: AfterBuildEvent) => {
    if (outputMode !== "fs" || !logo || !stylesheet || !ready) return;
    const { pages, files, output, articlePages, runMode } = await (writing ?? write());
    writtenBefore.set(output, new Set(files));
    options.onPagesWritten({ pages, files });
    await eleventyConfig.emit("midad.pages", { output, articlePages, runMode } satisfies PagesWritten);
  });

  const addPage = (name: string, permalink: string, render: (context: PageContext, site: Site) => string) =>
    eleventyConfig.addTemplate(`${name}.11ty.js`, {
      data: { eleventyExcludeFromCollections: true, permalink },
      render: (data: PageData) =>
        render({ site: data.midad, stylesheet: data.stylesheet, logo: data.logo }, data.midad),
    });
  addPage("home", "/index.html", (context, site) => renderHome(context, site.home));
  addPage("404", "/404.html", (context, site) => renderNotFound(context, site.articles));
}
