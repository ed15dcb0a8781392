import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from "node:zlib";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { defaults } from "../plugins/precompress.ts";
import { type PrecompressOptions, precompress } from "../src/publish/precompress.ts";
import { removeDir, writeArticles, writeSite } from "./helpers/build.ts";
import { newsroomArticles } from "./helpers/newsroom.ts";

interface Context {
  site: string;
  cache: string;
  options: PrecompressOptions;
}

const text = (label: string) => `<p>${label} ${"نص عربي يتكرر ليضغط جيداً. ".repeat(200)}</p>\n`;
const files: Record<string, string> = {
  "index.html": text("home"),
  "politics/index.html": text("politics"),
  "feed.xml": text("feed"),
  "feed.json": text("json"),
  "style.css": text("css"),
  "logo.svg": text("svg"),
  "robots.txt": text("robots"),
  "photo.jpeg": "not text",
  "archive.tar.gz": "a download the site offers",
  "gone.html.br": "left from a page deleted since",
  "gone.html.gz": "likewise",
};

const Precompress = suite<Context>("pre-compressed siblings");

Precompress.before.each(async (context) => {
  context.site = await mkdtemp(path.join(tmpdir(), "midad-precompress-"));
  context.cache = path.join(context.site, "..", `${path.basename(context.site)}-cache`);
  context.options = { ...defaults, cacheDir: context.cache };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(context.site, name)), { recursive: true });
    await writeFile(path.join(context.site, name), content);
  }
});
Precompress.after.each(async (context) => {
  await removeDir(context.site);
  await removeDir(context.cache);
});

Precompress(
  "HTML, CSS, XML, JSON and SVG get .br (at the configured quality) and .gz siblings that decompress to the file; nothing else does",
  async (context) => {
    const result = await precompress(context.site, context.options);
    assert.equal(result, { files: 6, compressed: 6 });
    for (const name of ["index.html", "politics/index.html", "feed.xml", "feed.json", "style.css", "logo.svg"]) {
      const original = readFileSync(path.join(context.site, name));
      const br = readFileSync(path.join(context.site, `${name}.br`));
      assert.equal(brotliDecompressSync(br), original, name);
      assert.equal(gunzipSync(readFileSync(path.join(context.site, `${name}.gz`))), original, name);
      const expected = brotliCompressSync(original, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: defaults.brotliQuality,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: original.length,
        },
      });
      assert.equal(br, expected, `${name}: brotli at quality ${defaults.brotliQuality}`);
      assert.ok(br.length < original.length / 5, name);
    }
    for (const name of ["robots.txt.br", "photo.jpeg.br", "photo.jpeg.gz", "archive.tar.gz.br"])
      assert.not.ok(existsSync(path.join(context.site, name)), name);
    assert.not.ok(existsSync(path.join(context.site, "gone.html.br")), "a sibling whose page is gone is removed");
    assert.ok(existsSync(path.join(context.site, "archive.tar.gz")), "a .gz the site publishes stays");
  },
);

Precompress(
  "a rebuild compresses only what changed; unused cache entries go once they are a week old",
  async (context) => {
    await precompress(context.site, context.options);
    assert.equal(await precompress(context.site, context.options), { files: 6, compressed: 0 });
    await writeFile(path.join(context.site, "index.html"), text("home, corrected"));
    assert.equal(await precompress(context.site, context.options), { files: 6, compressed: 1 });
    assert.equal(
      brotliDecompressSync(readFileSync(path.join(context.site, "index.html.br"))).toString(),
      text("home, corrected"),
    );

    // The cache's `.pruned` marker aside.
    const entries = async () => (await readdir(context.cache)).filter((name) => name !== ".pruned");
    assert.is((await entries()).length, 14, "two per content, the old home page's included");
    const weekAgo = new Date(Date.now() - 8 * 86_400_000);
    for (const name of await readdir(context.cache)) await utimes(path.join(context.cache, name), weekAgo, weekAgo);
    await precompress(context.site, context.options);
    assert.is((await entries()).length, 12, "the old home page's entries are gone, the used ones stay");
  },
);

Precompress.run();

const Build = suite("a build writes the siblings");

Build(
  "for a server of the newsroom's own, every page, feed and sitemap has its .br and .gz; images and _headers do not",
  async () => {
    const articles = await writeArticles(await newsroomArticles());
    const output = await mkdtemp(path.join(tmpdir(), "midad-precompress-build-"));
    try {
      await writeSite(articles, output, { site: { host: "nginx" } });
      const built = readdirSync(output, { recursive: true }).map(String);
      const texts = built.filter((file) => /\.(html|xml|json)$/.test(file));
      assert.ok(texts.length > 10);
      for (const file of texts) {
        assert.ok(built.includes(`${file}.br`) && built.includes(`${file}.gz`), file);
        assert.equal(
          brotliDecompressSync(readFileSync(path.join(output, `${file}.br`))),
          readFileSync(path.join(output, file)),
          file,
        );
      }
      assert.not.ok(built.some((file) => /(_headers|robots\.txt|\.(png|jpe?g|webp|avif))\.(br|gz)$/.test(file)));
    } finally {
      await removeDir(articles);
      await removeDir(output);
    }
  },
);

Build.run();
