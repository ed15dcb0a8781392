import type { HtmlnanoOptions } from "htmlnano";
import type { Node } from "posthtml";

/**
 * The two modules of htmlnano's `safe` preset that change these pages. Whitespace is collapsed
 * conservatively: runs become one space, nothing between two words or inline elements disappears,
 * and `<pre>` keeps its own. The preset's attribute modules were measured to change nothing in the
 * templates' output, and each walks the whole page again; its content minifiers are left out on
 * purpose: the stylesheet is minified before it is inlined, so the `_headers` CSP hash matches the
 * page byte for byte, and `minifyJson` would re-serialise JSON-LD, turning the `\u003c` escapes
 * that keep a headline quoting `</script>` inside its block back into `<`.
 */
export const htmlMinifyPreset: HtmlnanoOptions = { collapseWhitespace: "conservative", removeComments: "safe" };

export interface HtmlMinifyOptions {
  /**
   * Classes of elements whose whitespace the stylesheet lays out (`white-space: pre-wrap`), kept as written like
   * `<pre>`'s.
   */
  keepWhitespace: string[];
}

/** The attribute that carries a protected element's real tag through htmlnano; no page ever has it. */
const keptTag = "data-midad-kept-tag";

/**
 * htmlnano keeps the whitespace of `<pre>` but cannot know which classes a stylesheet gives
 * `white-space: pre-wrap`. So those elements pass through it as `<pre>` (collapsing stops at them,
 * and they stay blocks, as they are) and get their own tag back afterwards.
 */
function disguiseAsPre(classes: Set<string>) {
  return (tree: Node) =>
    tree.walk((node) => {
      if (node.tag && node.attrs?.class?.split(/\s+/).some((name) => classes.has(name))) {
        node.attrs = { ...node.attrs, [keptTag]: node.tag };
        node.tag = "pre";
      }
      return node;
    });
}

function undisguise(tree: Node): Node {
  return tree.walk((node) => {
    const tag = node.attrs?.[keptTag];
    if (tag) {
      delete node.attrs![keptTag];
      node.tag = tag;
    }
    return node;
  });
}

/**
 * Minifies one HTML document; configuration files (`.htmlnanorc`) are never read, so a build is the same wherever it
 * runs.
 */
export async function minifyHtml(html: string, options: HtmlMinifyOptions): Promise<string> {
  // Loaded on the first page to minify: a rebuild that finds every page in the cache never needs them.
  const [{ default: posthtml }, { default: htmlnanoModule }] = await Promise.all([
    import("posthtml"),
    import("htmlnano"),
  ]);
  // htmlnano 3.3 declares its ES module with CommonJS types, so TypeScript sees the plugin one `.default` deeper than
  // it is at run time.
  const htmlnano = htmlnanoModule as unknown as typeof htmlnanoModule.default;
  const minifier = htmlnano({ skipConfigLoading: true }, htmlMinifyPreset);
  const result = await posthtml([disguiseAsPre(new Set(options.keepWhitespace)), minifier, undisguise]).process(html);
  return result.html;
}
