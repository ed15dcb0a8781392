import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import { parseHTML } from "linkedom";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { acceptedEncodings, createStaticServer } from "../src/checks/static-server.ts";
import { headerRules, headersFor, parseHeaders, styleHash } from "../src/publish/headers.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { removeDir, writeArticles, writeSite } from "./helpers/build.ts";
import { buildTime, newsroomArticles, newsroomSite } from "./helpers/newsroom.ts";

const prefix = "/news/";

interface Context {
  articles: string;
  output: string;
  /** Every file of the build, relative to it, with `/` separators. */
  files: string[];
}

/** The path a host serves a built file at, under the prefix. */
const served = (file: string) => prefix + file.replace(/(^|\/)index\.html$/, "$1");
const htmlOf = (context: Context, file: string) => readFileSync(path.join(context.output, file), "utf8");

const Deploy = suite<Context>("a build under a path prefix, as a static host serves it");

Deploy.before(async (context) => {
  context.articles = await writeArticles(await newsroomArticles());
  context.output = await mkdtemp(path.join(tmpdir(), "midad-deploy-"));
  await writeSite(context.articles, context.output, { site: { ...newsroomSite, pathPrefix: prefix }, buildTime });
  context.files = readdirSync(context.output, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(context.output, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
});
Deploy.after(async (context) => {
  await removeDir(context.articles);
  await removeDir(context.output);
});

Deploy("no internal link, image or feed URL in any page points outside the prefix", (context) => {
  const pages = context.files.filter((file) => file.endsWith(".html"));
  assert.ok(pages.length > 10);
  let checked = 0;
  for (const file of pages) {
    const { document } = parseHTML(htmlOf(context, file));
    for (const element of document.querySelectorAll("[href], [src], [srcset]")) {
      const urls = [
        element.getAttribute("href"),
        element.getAttribute("src"),
        ...(element.getAttribute("srcset") ?? "").split(",").map((c) => c.trim().split(" ")[0]),
      ];
      for (const url of urls.filter((u): u is string => Boolean(u))) {
        if (url.startsWith("#")) continue;
        checked++;
        assert.ok(url.startsWith(prefix) || url.startsWith(`https://example.org${prefix}`), `${file}: ${url}`);
      }
    }
    const canonical = document.querySelector('link[rel="canonical"]')?.getAttribute("href");
    if (canonical) assert.is(canonical, `https://example.org${served(file)}`);
  }
  assert.ok(checked > 200, `${checked} URLs checked`);
  assert.ok(
    context.files.some((file) => file.startsWith("img/")),
    "images are published",
  );
});

Deploy("feeds, sitemaps, robots.txt and structured data carry the prefix in every absolute URL", (context) => {
  const absolute = /https?:\/\/[^\s"'<>&]+/g;
  for (const file of [
    "feed.xml",
    "feed.json",
    "politics/feed.xml",
    "sitemap.xml",
    "news-sitemap.xml",
    "robots.txt",
    "index.html",
    "2022/01/lead-story/index.html",
  ]) {
    const urls = [...htmlOf(context, file).matchAll(absolute)]
      .map((m) => m[0])
      .filter((url) => url.startsWith("https://example.org"));
    assert.ok(urls.length > 0, file);
    for (const url of urls) assert.ok(url.startsWith(`https://example.org${prefix}`), `${file}: ${url}`);
  }
});

Deploy(
  "the Content-Security-Policy allows exactly what the pages hold: one hashed stylesheet, JSON-LD data, same-origin images",
  (context) => {
    const rules = parseHeaders(htmlOf(context, "_headers"));
    for (const file of context.files.filter((f) => f.endsWith(".html"))) {
      const policy = headersFor(rules, served(file)).get("content-security-policy") ?? "";
      const directives = new Map(policy.split(/;\s*/).map((d) => [d.split(" ")[0], d.split(" ").slice(1)] as const));
      assert.equal(directives.get("default-src"), ["'none'"], file);
      assert.equal(directives.get("img-src"), ["'self'"], file);
      // The search page alone runs its script (test/search.test.ts).
      if (file === "search/index.html") assert.equal(directives.get("script-src"), ["'self'", "'wasm-unsafe-eval'"]);
      else assert.not.ok(directives.has("script-src"), `${file}: no script may run`);
      const { document } = parseHTML(htmlOf(context, file));
      const styles = [...document.querySelectorAll("style")];
      assert.is(styles.length, 1, file);
      assert.ok(
        directives.get("style-src-elem")?.includes(`'sha256-${styleHash(styles[0]!.textContent ?? "")}'`),
        `${file}: the stylesheet's hash is allowed`,
      );
      for (const script of document.querySelectorAll("script"))
        if (file !== "search/index.html") assert.is(script.getAttribute("type"), "application/ld+json", file);
      for (const styled of document.querySelectorAll("[style]"))
        assert.is(styled.tagName, "IMG", `${file}: style attributes only for image placeholders`);
      for (const image of document.querySelectorAll("img, source")) {
        for (const url of [
          image.getAttribute("src"),
          ...(image.getAttribute("srcset") ?? "").split(",").map((c) => c.trim().split(" ")[0]),
        ]) {
          if (url) assert.ok(url.startsWith(`${prefix}img/`), `${file}: ${url} is the site's own image`);
        }
      }
    }
  },
);

Deploy(
  "_headers: one Cache-Control per file, immutable for content-hashed files, short for pages and feeds; feed types with charset",
  (context) => {
    const rules = parseHeaders(htmlOf(context, "_headers"));
    for (const rule of rules) assert.ok(rule.pattern.startsWith(prefix), rule.pattern);
    // A `.br` or `.gz` sibling is served in place of its file, under the file's URL and so its headers; nothing links
    // to it by name.
    for (const file of context.files.filter((f) => f !== "_headers" && !/\.(br|gz)$/.test(f))) {
      const headers = headersFor(rules, served(file));
      const cache = headers.get("cache-control") ?? "";
      assert.is(cache.match(/max-age/g)?.length, 1, `${file}: ${cache}`);
      if (file.startsWith("img/") || file.startsWith("assets/"))
        assert.is(cache, "public, max-age=31536000, immutable", file);
      else assert.is(cache, "public, max-age=60, must-revalidate", file);
      assert.is(headers.get("x-content-type-options"), "nosniff", file);
      assert.is(headers.get("referrer-policy"), "strict-origin-when-cross-origin", file);
    }
    assert.is(headersFor(rules, `${prefix}feed.xml`).get("content-type"), "application/atom+xml; charset=utf-8");
    assert.is(
      headersFor(rules, `${prefix}economy/feed.json`).get("content-type"),
      "application/feed+json; charset=utf-8",
    );
    assert.is(headersFor(rules, `${prefix}news-sitemap.xml`).get("content-type"), "application/xml; charset=utf-8");
  },
);

Deploy("the logo is published under a name carrying the hash of its content", (context) => {
  const logos = context.files.filter((file) => file.startsWith("assets/logo"));
  assert.is(logos.length, 1);
  const [, hash] = /^assets\/logo-([0-9a-f]{10})\.png$/.exec(logos[0]!) ?? [];
  assert.is(
    hash,
    createHash("sha256")
      .update(readFileSync(path.join(context.output, logos[0]!)))
      .digest("hex")
      .slice(0, 10),
  );
  assert.match(
    htmlOf(context, "index.html"),
    `<link rel="icon" type="image/png" sizes="512x512" href="${prefix}${logos[0]}">`,
  );
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request to the local server, bounded by a timeout. */
function request(
  port: number,
  pathname: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const call = http.request(
      { host: "127.0.0.1", port, path: pathname, method, headers, timeout: 5000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    call.on("timeout", () => call.destroy(new Error(`no answer for ${pathname} within 5 s`)));
    call.on("error", reject);
    call.end();
  });
}

Deploy(
  "npm run serve:dist's server: index pages, 404 page, pre-compressed files, _headers, redirects, revalidation",
  async (context) => {
    const index = htmlOf(context, "index.html");
    writeFileSync(path.join(context.output, "index.html.br"), brotliCompressSync(index));
    writeFileSync(path.join(context.output, "index.html.gz"), gzipSync(index));
    const server = createStaticServer({ dir: context.output, pathPrefix: prefix });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const plain = await request(port, prefix);
      assert.is(plain.status, 200);
      assert.is(plain.headers["content-type"], "text/html; charset=utf-8");
      assert.is(plain.headers["content-encoding"], undefined);
      assert.is(plain.body.toString("utf8"), index);
      assert.match(String(plain.headers["content-security-policy"]), "default-src 'none'");
      assert.is(plain.headers["cache-control"], "public, max-age=60, must-revalidate");

      const br = await request(port, prefix, { "Accept-Encoding": "gzip, br" });
      assert.is(br.headers["content-encoding"], "br");
      assert.is(br.headers.vary, "Accept-Encoding");
      assert.is(brotliDecompressSync(br.body).toString("utf8"), index);
      const gzip = await request(port, `${prefix}index.html`, { "Accept-Encoding": "gzip, br;q=0" });
      assert.is(gzip.headers["content-encoding"], "gzip");

      const missing = await request(port, `${prefix}no/such/page/`);
      assert.is(missing.status, 404);
      assert.is(missing.body.toString("utf8"), htmlOf(context, "404.html"));
      assert.is(
        (await request(port, `${prefix}%2e%2e/%2e%2e/etc/passwd`)).status,
        404,
        "no way out of the site folder",
      );
      assert.is((await request(port, `${prefix}_headers`)).status, 404, "the host's configuration is not served");

      const folder = await request(port, `${prefix}politics`);
      assert.is(folder.status, 301);
      assert.is(folder.headers.location, `${prefix}politics/`);
      assert.is((await request(port, "/")).headers.location, prefix);

      const feed = await request(port, `${prefix}politics/feed.xml`);
      assert.is(feed.headers["content-type"], "application/atom+xml; charset=utf-8");
      const logo = context.files.find((file) => file.startsWith("assets/"))!;
      assert.is((await request(port, prefix + logo)).headers["cache-control"], "public, max-age=31536000, immutable");

      const again = await request(port, prefix, { "If-None-Match": String(plain.headers.etag) });
      assert.is(again.status, 304);
      assert.is(again.body.length, 0);
      const head = await request(port, prefix, {}, "HEAD");
      assert.is(head.status, 200);
      assert.is(head.body.length, 0);
      assert.is((await request(port, prefix, {}, "POST")).status, 405);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  },
);

Deploy.run();

const Rules = suite("header rules");

Rules("Accept-Encoding: q=0 refuses, * accepts the rest", () => {
  assert.equal([...acceptedEncodings("gzip, deflate, br")].sort(), ["br", "deflate", "gzip"]);
  assert.equal([...acceptedEncodings("br;q=0, *")].sort(), ["gzip"]);
  assert.equal([...acceptedEncodings(undefined)], []);
});

Rules(
  "a path prefix or feed size the site cannot use stops the build, naming the field, the value and the form wanted",
  () => {
    assert.throws(
      () => resolveSiteConfig({ pathPrefix: "news" }),
      /site\.config\.ts is invalid; correct these values in it:[\s\S]*pathPrefix must start and end with "\/"[\s\S]*like "\/" or "\/news\/", got "news"/,
    );
    assert.throws(() => resolveSiteConfig({ pathPrefix: "/news" }), /pathPrefix must start and end/);
    assert.throws(() => resolveSiteConfig({ feedSize: 0 }), /feedSize must be a positive integer, got 0/);
    assert.is(resolveSiteConfig({ pathPrefix: "/a/b-c/" }).pathPrefix, "/a/b-c/");
  },
);

Rules("a page in a folder of content-hashed files is refused, naming the page and the way out", () => {
  const plan = { pathPrefix: "/", styleHashes: ["x"], immutable: ["/img/"], types: {}, maxAge: 60, scripted: [] };
  assert.throws(
    () => headerRules({ ...plan, urls: ["/", "/img/page/2/"] }),
    /\/img\/page\/2\/ is a page, but \/img\/ holds content-hashed files.*another slug/,
  );
  assert.ok(headerRules({ ...plan, urls: ["/", "/images/"] }).length > 0);
});

Rules.run();
