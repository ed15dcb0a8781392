import { test } from "uvu";
import * as assert from "uvu/assert";
import { midad } from "../.eleventy.ts";
import articles from "../plugins/articles.ts";
import type { EleventyConfig } from "../plugins/eleventy.ts";
import feeds from "../plugins/feeds.ts";
import headers from "../plugins/headers.ts";
import minify from "../plugins/minify.ts";
import pages from "../plugins/pages.ts";
import precompress from "../plugins/precompress.ts";
import sitemaps from "../plugins/sitemaps.ts";

/** The options each plugin receives from `midad(options)`, and the handlers it registers, without running Eleventy. */
function composed(options: Parameters<typeof midad>[0]) {
  const given = new Map<unknown, Record<string, unknown>>();
  const handlers = new Map<string, () => void>();
  const config = {
    addPlugin: (plugin: unknown, pluginOptions: Record<string, unknown> = {}) => given.set(plugin, pluginOptions),
    on: (event: string, handler: () => void) => handlers.set(event, handler),
  } as unknown as EleventyConfig;
  midad(options)(config);
  return { of: (plugin: unknown) => given.get(plugin) ?? {}, handlers };
}

test("midad() sets every plugin's options, and gives root, the build time, whitespace and compression once for all", () => {
  let reads = 0;
  const moments = [new Date("2022-01-10T08:00:00Z"), new Date("2022-01-10T09:00:00Z")];
  const { of, handlers } = composed({
    root: "/newsroom",
    buildTime: () => moments[Math.min(reads++, 1)]!,
    feeds: { fullText: false },
    sitemaps: { newsHours: 24 },
    headers: { maxAge: 300 },
    minify: { keepWhitespace: ["poem", "verse"] },
    precompress: { brotliQuality: 11, gzipLevel: 6 },
    pages: { workers: 1 },
    images: { urlPath: "/photos/" },
    // A server of the newsroom's own: the host that gets `_headers` and pre-compressed siblings both.
    site: { host: "nginx" },
  });
  for (const plugin of [articles, pages, minify, precompress]) assert.is(of(plugin).root, "/newsroom");
  assert.is(of(feeds).fullText, false);
  assert.is(of(sitemaps).newsHours, 24);
  assert.is(of(headers).maxAge, 300);
  assert.equal(of(headers).immutable, ["/photos/", "/assets/"], "the content-hashed folders follow the image folder");
  assert.equal(of(pages).keepWhitespace, ["poem", "verse"], "the page writer keeps what the minifier keeps");
  assert.equal(of(pages).compression, { brotliQuality: 11, gzipLevel: 6 }, "and compresses as pre-compression does");
  assert.is(of(pages).workers, 1);
  assert.is(of(pages).precompress, true, "siblings for a server that serves them");
  const times = [articles, feeds, sitemaps].map((plugin) => (of(plugin).buildTime as () => Date)());
  assert.equal(times, [moments[0], moments[0], moments[0]], "one moment for the whole build");
  handlers.get("eleventy.before")!();
  assert.equal((of(feeds).buildTime as () => Date)(), moments[1], "read again as the next build starts");
});

test("the host decides which plugins a build has: _headers where it is read, siblings where they are served", () => {
  const plugins = (host: "cloudflare-pages" | "github-pages" | "caddy") => {
    const { of } = composed({ root: "/newsroom", site: { host } });
    return {
      headers: "immutable" in of(headers),
      precompress: "root" in of(precompress),
      pages: of(pages).precompress,
    };
  };
  assert.equal(plugins("cloudflare-pages"), { headers: true, precompress: false, pages: false });
  assert.equal(plugins("github-pages"), { headers: false, precompress: false, pages: false });
  assert.equal(plugins("caddy"), { headers: true, precompress: true, pages: true });
});

test.run();
