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

  eleventyConfig.addTemplate("home.11ty.js", {
    data: { permalink: "/index.html", eleventyExcludeFromCollections: true },
    render: (data: PageData) => renderHome(data.midad, data.stylesheet),
  });
  eleventyConfig.addTemplate("category.11ty.js", {
    data: {
      pagination: { data: "midad.categoryPages", size: 1, alias: "categoryPage" },
      permalink: (data: { categoryPage: CategoryPage }) => `${data.categoryPage.url}index.html`,
      eleventyExcludeFromCollections: true,
    },
    render: (data: PageData & { categoryPage: CategoryPage }) => renderCategoryPage(data.midad, data.stylesheet, data.categoryPage),
  });
  eleventyConfig.addTemplate("article.11ty.js", {
    data: {
      pagination: { data: "midad.articles", size: 1, alias: "article" },
      permalink: (data: { article: ArticlePage }) => `${data.article.url}index.html`,
      eleventyExcludeFromCollections: true,
    },
    render: (data: PageData & { article: ArticlePage }) => renderArticle(data.midad, data.stylesheet, data.article),
  });
  eleventyConfig.addTemplate("404.11ty.js", {
    data: { permalink: "/404.html", eleventyExcludeFromCollections: true },
    render: (data: PageData) => renderNotFound(data.midad, data.stylesheet),
  });
}
