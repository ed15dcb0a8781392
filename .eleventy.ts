import articles from "./plugins/articles.ts";
import pages from "./plugins/pages.ts";
import site from "./site.config.ts";
import type { EleventyConfig } from "./plugins/eleventy.ts";

/** Composes midad's plugins; all behaviour lives in plugins/ and src/. */
export default function (eleventyConfig: EleventyConfig) {
  eleventyConfig.addPlugin(articles, { site, includeDrafts: process.env.ELEVENTY_RUN_MODE === "serve" });
  eleventyConfig.addPlugin(pages);
  return {
    dir: { input: "templates", output: "_site" },
    templateFormats: ["11ty.js"],
  };
}
