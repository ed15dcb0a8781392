import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHTML } from "linkedom";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import minifyPlugin, { defaults as minifyDefaults } from "../plugins/minify.ts";
import { styleHash } from "../src/publish/headers.ts";
import { minifyHtml } from "../src/publish/minify.ts";
import { minifyCss } from "../src/publish/minify-css.ts";
import { seal } from "../src/publish/sealed-entry.ts";
import { article, buildOutputs, removeDir, repoRoot, writeArticles } from "./helpers/build.ts";

const rlm = "\u200f";
const nbsp = "\u00a0";
const verse = `على قدر أهل العزم تأتي العزائم     وتأتي على قدر الكرام المكارم\nوتعظم في عين الصغير صغارها     وتصغر في عين العظيم العظائم`;
const code = "  line 1\n    line 2   end\n";
const picture = `<picture><source type="image/avif" srcset="/img/a-320.avif 320w, /img/a-480.avif 480w" sizes="(min-width: 60rem) 48rem, calc(100vw - 2rem)"><img src="/img/a-320.jpeg" alt="" width="320" height="200" style="background-color:#123456" loading="lazy" decoding="async" srcset="/img/a-320.jpeg 320w, /img/a-480.jpeg 480w" sizes="(min-width: 60rem) 48rem, calc(100vw - 2rem)"></picture>`;
const jsonLd = `{"@context":"https://schema.org","headline":"\\u003c/script>\\u003c!-- ${rlm}"}`;
const page = `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="description" content="ملخص  فيه مسافتان، و${rlm}علامة">
<title>عنوان${nbsp}ثابت</title>
<style>.poem p{white-space:pre-wrap}</style>
<script type="application/ld+json">${jsonLd}</script>
</head>
<body>
<!-- a note for developers -->
<main id="main" tabindex="-1">
<p>نص   مع${nbsp}${nbsp}مسافتين ثابتتين و&nbsp;كيان و${rlm}علامة  <b>غامق</b> <i>مائل</i></p>
<pre><code>${code}</code></pre>
<div class="poem">
<p>${verse}</p>
</div>
${picture}
<a href="/x/?a=1&amp;b=2" aria-label="رابط &quot;مقتبس&quot;" data-note="  مسافات  " hreflang="ar">رابط</a>
</main>
</body>
</html>
`;

/** Every element's attributes, in document order. */
function attributes(html: string): [string, string, string][] {
  const { document } = parseHTML(html);
  return [...document.querySelectorAll("*")].flatMap((element) =>
    [...element.attributes].map((attribute): [string, string, string] => [
      element.tagName,
      attribute.name,
      attribute.value,
    ]),
  );
}

const Minify = suite("minifying HTML safely");

Minify(
  "<pre> and verse styled white-space: pre-wrap keep every space and line break; other text only loses runs of spaces",
  async () => {
    const out = await minifyHtml(page, minifyDefaults);
    assert.ok(out.includes(`<pre><code>${code}</code></pre>`), out);
    assert.ok(out.includes(`<div class="poem">\n<p>${verse}</p>\n</div>`), out);
    assert.ok(out.includes("<p>نص مع"), "a run of ordinary spaces becomes one");
    assert.ok(out.length < page.length);
    const unprotected = await minifyHtml(page, { keepWhitespace: [] });
    assert.not.ok(unprotected.includes(verse), "without keepWhitespace htmlnano would collapse the verse");
  },
);

Minify("bidi marks, non-breaking spaces and entities stay as they were written", async () => {
  const out = await minifyHtml(page, minifyDefaults);
  assert.ok(out.includes(`مع${nbsp}${nbsp}مسافتين`), "two non-breaking spaces in a row");
  assert.ok(out.includes("و&nbsp;كيان"), "an &nbsp; entity stays an entity");
  assert.ok(out.includes(`و${rlm}علامة`), "U+200F in text");
  assert.ok(out.includes(`<title>عنوان${nbsp}ثابت</title>`));
  assert.ok(out.includes(`content="ملخص  فيه مسافتان، و${rlm}علامة"`), "attribute text is not collapsed");
  assert.is(out.split(rlm).length, page.split(rlm).length, "no U+200F lost anywhere");
});

Minify("attributes come through whole: srcset, sizes, empty alt, style, escaped quotes and ampersands", async () => {
  const out = await minifyHtml(page, minifyDefaults);
  assert.equal(attributes(out), attributes(page));
  assert.ok(out.includes('href="/x/?a=1&amp;b=2"') && out.includes(' alt="" '), "written as they were");
});

Minify(
  "the inline stylesheet and JSON-LD are left byte for byte (the CSP hash; the escapes that keep </script> inside)",
  async () => {
    const out = await minifyHtml(page, minifyDefaults);
    assert.ok(out.includes("<style>.poem p{white-space:pre-wrap}</style>"));
    assert.ok(out.includes(`<script type="application/ld+json">${jsonLd}</script>`));
    assert.not.ok(out.includes("a note for developers"), "comments go");
  },
);

Minify(
  "the stylesheet: smaller, same rules; every class it gives preserved whitespace is one the HTML minifier keeps",
  () => {
    const source = readFileSync(path.join(repoRoot, "templates/styles/site.css"), "utf8");
    const css = minifyCss(source);
    assert.ok(css.length < source.length * 0.9, `${css.length} of ${source.length}`);
    assert.not.ok(css.includes("/*"));
    for (const kept of [
      "@media (prefers-color-scheme:dark)",
      "@media print",
      "white-space:pre-wrap",
      "inset-inline-start",
      "clamp(1.6rem,5vw,2.3rem)",
    ])
      assert.ok(css.includes(kept), kept);
    assert.not.ok(/@font-face|url\(/.test(css), "no font or other file is loaded");
    const preserving = [
      ...source.matchAll(/([^{}]+)\{[^}]*white-space:\s*(?:pre|pre-wrap|pre-line|break-spaces)\s*[;}]/g),
    ].map((match) => match[1]!.trim());
    assert.ok(preserving.length > 0);
    for (const selector of preserving) {
      const classes = [...selector.matchAll(/\.([\w-]+)/g)].map((match) => match[1]!);
      assert.ok(
        /(^|\s)pre\b/.test(selector) || classes.some((name) => minifyDefaults.keepWhitespace.includes(name)),
        `${selector} needs one of its classes in the minify plugin's keepWhitespace`,
      );
    }
  },
);

Minify(
  "a built article: minified, its verse, code, marks and stylesheet intact, the stylesheet's hash the one _headers allows",
  async () => {
    const dir = await writeArticles({
      "2022/01/poem.md": article(
        { title: `"قصيدة${rlm} المتنبي"` },
        `مقدمة${nbsp}${nbsp}قصيرة.\n\n::: poem\n${verse}\n:::\n\n    line 1\n        line 2   end\n`,
      ),
    });
    try {
      const outputs = await buildOutputs(dir);
      const html = outputs.get("/2022/01/poem/")!;
      assert.ok(html.includes(`<div class="poem">\n<p>${verse}</p>\n</div>`), html);
      assert.ok(html.includes("<pre><code>line 1\n    line 2   end\n</code></pre>"));
      assert.ok(html.includes(`قصيدة${rlm} المتنبي`) && html.includes(`مقدمة${nbsp}${nbsp}قصيرة`));
      assert.not.ok(html.slice(0, html.indexOf("<body")).includes("\n<"), "the head is on one line");
      const style = /<style>([^<]*)<\/style>/.exec(html)![1]!;
      assert.is(style, minifyCss(readFileSync(path.join(repoRoot, "templates/styles/site.css"), "utf8")));
      assert.match(outputs.get("/_headers")!, `'sha256-${styleHash(style)}'`);
    } finally {
      await removeDir(dir);
    }
  },
);

Minify("the plugin minifies .html outputs only, and a rebuild takes an unchanged page from its cache", async () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), "midad-minify-cache-"));
  let transform: ((this: { outputPath: string | false }, content: string) => string | Promise<string>) | undefined;
  const after: (() => unknown)[] = [];
  const eleventyConfig = {
    addTransform: (_name: string, callback: typeof transform) => {
      transform = callback;
    },
    on: (_event: string, listener: () => unknown) => void after.push(listener),
  };
  minifyPlugin(eleventyConfig as never, { cacheDir, root: "/" });
  try {
    const feed = "<feed>\n  <title>x</title>\n</feed>";
    assert.is(await transform!.call({ outputPath: "/site/feed.xml" }, feed), feed);
    const first = await transform!.call({ outputPath: "/site/index.html" }, page);
    assert.is(first, await minifyHtml(page, minifyDefaults));
    const [entry] = readdirSync(cacheDir);
    assert.ok(entry?.endsWith(".html"));
    // Entries are sealed with their digest (src/publish/sealed-entry.ts): one written as midad writes it is used.
    writeFileSync(path.join(cacheDir, entry!), seal("<!-- from the cache -->"));
    assert.is(await transform!.call({ outputPath: "/site/index.html" }, page), "<!-- from the cache -->");
    // One whose bytes changed since is not: the page is minified again.
    writeFileSync(path.join(cacheDir, entry!), Buffer.concat([seal("<!-- from the cache -->"), Buffer.from("!")]));
    assert.is(await transform!.call({ outputPath: "/site/index.html" }, page), first);
    await Promise.all(after.map((listener) => listener()));
    assert.equal(readdirSync(cacheDir).sort(), [".pruned", entry], "a fresh entry survives pruning");
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

Minify.run();
