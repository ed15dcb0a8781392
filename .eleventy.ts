import articles, { type Options as ArticlesOptions } from "./plugins/articles.ts";
import type { EleventyConfig } from "./plugins/eleventy.ts";
import pages from "./plugins/pages.ts";
import type { DeepPartial } from "./src/options.ts";
import site from "./site.config.ts";

/** midad as one Eleventy configuration: it only composes plugins, all behaviour lives in plugins/ and src/. */
export function midad(options: DeepPartial<ArticlesOptions> = {}) {
  return function configure(eleventyConfig: EleventyConfig) {
    eleventyConfig.addPlugin(articles, options);
    eleventyConfig.addPlugin(pages, { ...(options.root && { root: options.root }) });
    return {
      dir: { input: "templates", output: "_site" },
      templateFormats: ["11ty.js"],
    };
  };
}

export default midad({ site, includeDrafts: process.env.ELEVENTY_RUN_MODE === "serve" });
