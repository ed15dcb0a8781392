import { readFileSync } from "node:fs";
import { parseHTML } from "linkedom";
import sharp from "sharp";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { defaults as searchDefaults } from "../plugins/search.ts";
import { scanPage } from "../src/build/active-content.ts";
import { contentHashedUrl } from "../src/publish/assets.ts";
import { article, buildOutputs, removeDir, writeArticles } from "./helpers/build.ts";

const Active = suite("no active content: the scan of built pages");

const page = (head: string, body: string) =>
  `<!doctype html>\n<html><head>\n${head}\n</head>\n<body>\n${body}\n</body></html>`;
const jsonLd =
  '<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebSite","name":"\\u003c/script\\u003e"}</script>';

Active("the templates' JSON-LD in the head passes", () => {
  assert.equal(scanPage("a.html", page(jsonLd, "<p>نص</p>")), []);
});

Active(
  "on* attributes, javascript:/vbscript:/data:text/html URLs (however disguised), scripts and embeds are found, with the line",
  () => {
    const cases = [
      '<img src="x.png" onerror="alert(1)">',
      '<p ONCLICK="x()">نص</p>',
      '<a href="javascript:alert(1)">x</a>',
      '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
      '<a href="vbscript:msgbox(1)">x</a>',
      '<iframe src="data:text/html;base64,PHNjcmlwdD4="></iframe>',
      '<form action="javascript:x()"></form>',
      '<img srcset="a.png 1x, javascript:x() 2x">',
      "<script>alert(1)</script>",
      '<script src="https://evil.example/x.js"></script>',
      '<object data="x.swf"></object>',
      '<svg><a xlink:href="javascript:x()">x</a></svg>',
    ];
    for (const bad of cases) {
      const found = scanPage("a.html", page(jsonLd, `<p>قبل</p>\n${bad}`));
      assert.ok(found.length >= 1, bad);
      assert.is(found[0]!.line, 7, bad);
    }
    assert.equal(
      scanPage("a.html", page('<meta http-equiv="refresh" content="0; url=javascript:alert(1)">', "")).map(
        (f) => f.line,
      ),
      [3],
    );
  },
);

Active(
  "a JSON-LD block cannot be smuggled: not in the body, not with other attributes, not holding anything but schema.org JSON",
  () => {
    for (const [head, body] of [
      ["", jsonLd],
      ['<script type="application/ld+json" src="x.js"></script>', ""],
      ['<script type="application/ld+json">alert(1)</script>', ""],
      ['<script type="application/ld+json">{"@context":"https://schema.org","x":"<b>"}</script>', ""],
      ['<script type="application/ld+json">{"@context":"https://evil.example"}</script>', ""],
      ['<script type="text/javascript">{"@context":"https://schema.org"}</script>', ""],
    ]) {
      assert.is(scanPage("a.html", page(head!, body!)).length, 1, `${head}${body}`);
    }
  },
);

Active(
  "articles full of injected markup and links build into pages the scan finds clean, their text shown as text",
  async () => {
    const dir = await writeArticles({
      "2022/01/photo.jpg": await sharp({ create: { width: 400, height: 300, channels: 3, background: "#456" } })
        .jpeg()
        .toBuffer(),
      "2022/01/injected.md": article(
        {
          title: '"<script>alert(1)</script> عاجل"',
          summary: "'\" onmouseover=\"alert(1)'",
          tags: '["<img src=x onerror=alert(1)>"]',
          author: '"</title><script>x()</script>"',
          source: '"javascript:alert(1)"',
          image:
            '\n  src: ./photo.jpg\n  alt: \'"><script>alert(1)</script>\'\n  caption: "<iframe src=javascript:alert(1)>"',
        },
        [
          "<script>alert(1)</script>",
          "",
          '<img src=x onerror="alert(1)">',
          "",
          '<a href="javascript:alert(1)">رابط</a>',
          "",
          "[رابط](javascript:alert(1)) [رابط](JaVaScRiPt:alert(1)) [رابط](vbscript:msgbox(1)) [رابط](data:text/html;base64,PHNjcmlwdD4=)",
          "",
          "[رابط](java&#x09;script:alert(1)) <javascript:alert(1)> ![صورة](javascript:alert(1))",
          "",
          '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle"}</script>',
        ].join("\n"),
      ),
    });
    try {
      const outputs = await buildOutputs(dir);
      const pages = [...outputs].filter(([url]) => url.endsWith("/") || url.endsWith(".html"));
      assert.ok(pages.length >= 5);
      // The search page may load its own script, and only that one.
      const searchScript = contentHashedUrl("/assets/", "search.js", readFileSync(searchDefaults.script));
      for (const [url, html] of pages)
        assert.equal(scanPage(url, html, url === "/search/" ? searchScript : undefined), [], url);
      const articlePage = outputs.get("/2022/01/injected/")!;
      assert.match(articlePage, "&lt;script&gt;alert(1)&lt;/script&gt; عاجل");
      const scripts = [...parseHTML(articlePage).document.querySelectorAll("script")];
      assert.equal(
        scripts.map((script) => [script.parentElement?.localName, script.getAttribute("type")]),
        [
          ["head", "application/ld+json"],
          ["head", "application/ld+json"],
        ],
        "only the templates' two JSON-LD blocks",
      );
    } finally {
      await removeDir(dir);
    }
  },
);

Active("the search page's one script passes, exactly as the template writes it and nowhere else", () => {
  const src = "/assets/search-0123456789.js";
  const body = (script: string) => page(jsonLd, `<p>بحث</p>\n${script}`);
  assert.equal(scanPage("search/index.html", body(`<script type="module" src="${src}"></script>`), src), []);
  for (const script of [
    `<script type="module" src="${src}">alert(1)</script>`,
    `<script type="module" src="/assets/other.js"></script>`,
    `<script src="${src}"></script>`,
    `<script type="module" src="${src}" onload="alert(1)"></script>`,
    "<script>alert(1)</script>",
  ])
    assert.ok(scanPage("search/index.html", body(script), src).length > 0, script);
  assert.ok(scanPage("a.html", body(`<script type="module" src="${src}"></script>`)).length > 0, "on another page");
});

Active.run();
