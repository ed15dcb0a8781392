import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { contentHashedUrl, imageType, type Asset } from "../src/assets.ts";
import { minifyCss } from "../src/minify.ts";
import type { DeepPartial } from "../src/options.ts";
import { mergeOptions } from "../src/options.ts";
import type { CategoryPage } from "../src/sections.ts";
import type { ArticlePage, Site } from "../src/site.ts";
import type { PageContext } from "../templates/layouts/base.ts";
import { renderArticle } from "../templates/pages/article.ts";
import { renderCategoryPage } from "../templates/pages/category.ts";
import { renderHome } from "../templates/pages/home.ts";
import { renderNotFound } from "../templates/pages/not-found.ts";
import type { EleventyConfig } from "./eleventy.ts";

/** Registers the site's pages (home, categories, articles, 404) as virtual Eleventy templates, and publishes the logo they use. */
export interface Options {
  /** The one stylesheet, minified and inlined into every page. Default `templates/styles/site.css`. */
  stylesheet: string;
  /** The outlet's logo: a square PNG or JPEG, at least 112 px wide (search engines' minimum). Default `templates/assets/logo.png`. */
  logo: string;
  /** Site folder the logo is published in, under a content-hashed name. Default `/assets/`. */
  assetsPath: string;
  /** Project root the stylesheet and logo paths are relative to. Default: the working directory. */
  root: string;
}

export const defaults: Options = { stylesheet: "templates/styles/site.css", logo: "templates/assets/logo.png", assetsPath: "/assets/", root: process.cwd() };

interface PageData {
  midad: Site;
  stylesheet: string;
  logo: Asset;
}

async function readLogo(file: string, assetsPath: string): Promise<{ asset: Asset; content: Buffer }> {
  const fix = "point the pages plugin's `logo` option at a square PNG or JPEG of at least 112 px";
  const content = await readFile(file).catch((error: Error) => {
    throw new Error(`logo ${file} cannot be read (${error.message}); ${fix}`);
  });
  const { width, height } = await sharp(content).metadata().catch((error: Error) => {
    throw new Error(`logo ${file} is not an image (${error.message}); ${fix}`);
  });
  if (width < 112 || height < 112) throw new Error(`logo ${file} is ${width}x${height} px; ${fix}`);
  const url = contentHashedUrl(assetsPath, path.basename(file), content);
  return { asset: { url, width, height, type: imageType(url) }, content };
}

export default function pagesPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const stylesheetPath = path.resolve(options.root, options.stylesheet);
  const logoPath = path.resolve(options.root, options.logo);
  // Read by each build's data step and written out by the same build's after-step.
  let logo: Promise<{ asset: Asset; content: Buffer }> | undefined;
  eleventyConfig.addWatchTarget(stylesheetPath);
  eleventyConfig.addWatchTarget(logoPath);
  // Minified here, once, and left as it is by the HTML minifier: the `_headers` CSP allows it by the hash of these exact bytes.
  eleventyConfig.addGlobalData("stylesheet", async () => minifyCss(await readFile(stylesheetPath, "utf8")));
  eleventyConfig.addGlobalData("logo", async () => (await (logo = readLogo(logoPath, options.assetsPath))).asset);
  eleventyConfig.on("eleventy.after", async ({ directories, outputMode }) => {
    if (outputMode !== "fs" || !logo) return;
    const { asset, content } = await logo;
    const target = path.join(path.resolve(options.root, directories.output), asset.url);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  });

  const addPage = <Data>(name: string, data: Record<string, unknown>, render: (context: PageContext, data: PageData & Data) => string) =>
    eleventyConfig.addTemplate(`${name}.11ty.js`, {
      data: { eleventyExcludeFromCollections: true, ...data },
      render: (data: PageData & Data) => render({ site: data.midad, stylesheet: data.stylesheet, logo: data.logo }, data),
    });
  /** One page per item of a list in the `midad` data, written at the item's own `url`. */
  const onePagePer = (list: string, alias: string) => ({
    pagination: { data: `midad.${list}`, size: 1, alias },
    permalink: (data: Record<string, { url: string }>) => `${data[alias]!.url}index.html`,
  });

  addPage("home", { permalink: "/index.html" }, (context) => renderHome(context));
  addPage<{ categoryPage: CategoryPage }>("category", onePagePer("categoryPages", "categoryPage"),
    (context, data) => renderCategoryPage(context, data.categoryPage));
  addPage<{ article: ArticlePage }>("article", onePagePer("articles", "article"),
    (context, data) => renderArticle(context, data.article));
  addPage("404", { permalink: "/404.html" }, (context) => renderNotFound(context));
}
