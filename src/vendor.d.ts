/**
 * @11ty/posthtml-urls (the URL walker of Eleventy's HTML transforms) ships no types; this is the part
 * src/publish/page-render.ts uses.
 */
declare module "@11ty/posthtml-urls" {
  import type { Plugin } from "posthtml";
  export default function urls(options: {
    eachURL: (url: string, attribute: string, tag: string) => string;
  }): Plugin<unknown>;
}

/**
 * eleventy-img's markup generator on its own (its package has no exports map and no types for it): the function its
 * entry module re-exports.
 */
declare module "@11ty/eleventy-img/src/generate-html.js" {
  export function generateHTML(metadata: Record<string, unknown[]>, attributes: Record<string, string>): string;
}
