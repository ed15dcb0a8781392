/** @11ty/posthtml-urls (the URL walker of Eleventy's HTML transforms) ships no types; this is the part src/page-render.ts uses. */
declare module "@11ty/posthtml-urls" {
  import type { Plugin } from "posthtml";
  export default function urls(options: { eachURL: (url: string, attribute: string, tag: string) => string }): Plugin<unknown>;
}
