// Baseline for `npm run bench`: stock Eleventy 3 building the same corpus as midad, with as little
// configuration as possible. The corpus .md files are ordinary Eleventy Markdown templates (default
// markdown-it, their own front matter, default permalinks), every page uses one plain Nunjucks
// layout, and the photos are passthrough-copied next to their pages.
//
// Run by scripts/bench.ts as `eleventy --config=this file --input=corpus --output=…` from the folder holding the
// corpus.
import path from "node:path";

const includesDir = path.join(import.meta.dirname, "_includes");

export default function baseline(eleventyConfig) {
  const input = eleventyConfig.directories.input;
  eleventyConfig.addGlobalData("layout", "article.njk");
  // Passthrough paths are relative to the project root, not to the input folder.
  eleventyConfig.addPassthroughCopy(`${input}**/*.{png,jpg}`);
  return {
    dir: {
      // Relative to the input folder (the corpus, in a temporary folder): the layout stays here.
      includes: path.relative(input, includesDir),
    },
  };
}
