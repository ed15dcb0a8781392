import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DeepPartial } from "../src/options.ts";
import { mergeOptions } from "../src/options.ts";
import type { CategoryPage } from "../src/sections.ts";
import type { ArticlePage, Site } from "../src/site.ts";
import { renderArticle } from "../templates/pages/article.ts";
import { renderCategoryPage } from "../templates/pages/category.ts";
import { renderHome } from "../templates/pages/home.ts";
import { renderNotFound } from "../templates/pages/not-found.ts";
import type { EleventyConfig } from "./eleventy.ts";

/** Registers the site's pages (home, categories, articles, 404) as virtual Eleventy templates. */
export interface Options {
  /** The one stylesheet, inlined into every page. Default `templates/styles/site.css`. */
  stylesheet: string;
  /** Project root the stylesheet path is relative to. Default: the working directory. */
  root: string;
}

export const defaults: Options = { stylesheet: "templates/styles/site.css", root: process.cwd() };

interface PageData {
  midad: Site;
  stylesheet: string;
}

export default function pagesPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const stylesheetPath = path.resolve(options.root, options.stylesheet);
  eleventyConfig.addWatchTarget(stylesheetPath);
  eleventyConfig.addGlobalData("stylesheet", async () => (await readFile(stylesheetPath, "utf8")).trim());

  const addPage = <Data>(name: string, data: Record<string, unknown>, render: (data: PageData & Data) => string) =>
    eleventyConfig.addTemplate(`${name}.11ty.js`, { data: { eleventyExcludeFromCollections: true, ...data }, render });
  /** One page per item of a list in the `midad` data, written at the item's own `url`. */
  const onePagePer = (list: string, alias: string) => ({
    pagination: { data: `midad.${list}`, size: 1, alias },
    permalink: (data: Record<string, { url: string }>) => `${data[alias]!.url}index.html`,
  });

  addPage("home", { permalink: "/index.html" }, (data) => renderHome(data.midad, data.stylesheet));
  addPage<{ categoryPage: CategoryPage }>("category", onePagePer("categoryPages", "categoryPage"),
    (data) => renderCategoryPage(data.midad, data.stylesheet, data.categoryPage));
  addPage<{ article: ArticlePage }>("article", onePagePer("articles", "article"),
    (data) => renderArticle(data.midad, data.stylesheet, data.article));
  addPage("404", { permalink: "/404.html" }, (data) => renderNotFound(data.midad, data.stylesheet));
}
