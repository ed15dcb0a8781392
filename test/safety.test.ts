import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { validateArticle } from "../src/articles/article.ts";
import { parseArticle } from "../src/articles/article-entry.ts";
import { parseFrontMatter } from "../src/articles/front-matter.ts";
import { ArticleProblemsError, formatProblem, type Problem } from "../src/articles/problems.ts";
import { defaultWarningLimits } from "../src/articles/warnings.ts";
import { createImagePipeline, defaultImageOptions } from "../src/images/pipeline.ts";
import { createContentCache } from "../src/publish/content-cache.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { loadSite } from "../src/site/site.ts";
import { siteMarkdown } from "../src/site/site-view.ts";
import { article, loadArticles, removeDir, testImageCache, writeArticles } from "./helpers/build.ts";

const config = resolveSiteConfig();

/** The problems of one article's front matter lines (after a valid title, date and categories). */
function problemsOf(lines: string[], file = "articles/2022/01/x.md"): Problem[] {
  const { value: fm, problems } = parseFrontMatter(file, `---\n${lines.join("\n")}\n---\n\nنص.\n`);
  return fm ? validateArticle(file, fm, config).problems : problems;
}
const shown = (problems: Problem[]) => problems.map(formatProblem).join("\n");
const base = ["date: 2022-01-08", "categories: [سياسة]"];

const Confined = suite("confined: nothing an article says reaches outside articles/ and the site");

Confined("slugs that climb, nest, encode a climb or are absolute are refused, naming the value", () => {
  for (const slug of ["..", "../etc", "a/b", "%2e%2e", "%2e%2e%2fetc", "/etc/passwd", "C:\\\\x", "a\\\\..\\\\b"]) {
    const problems = problemsOf(["title: خبر", ...base, `slug: "${slug}"`]);
    assert.is(problems.length, 1, `${slug}: ${shown(problems)}`);
    assert.is(problems[0]!.field, "slug");
    assert.match(problems[0]!.message, "lowercase Latin letters, digits and single hyphens");
  }
});

Confined("a lead photo path that climbs (also percent-encoded) or is absolute is refused", async () => {
  for (const src of ["../photo.jpg", "%2e%2e/photo.jpg", "/etc/passwd"]) {
    const { problems } = await loadArticles({
      "2022/a.md": article({ image: `\n  src: "${src}"\n  alt: صورة` }),
      "photo.jpg": "x",
    });
    assert.is(problems.length, 1, shown(problems));
    assert.is(problems[0]!.field, "image.src");
    assert.match(problems[0]!.message, /points outside the article's folder|absolute path/);
  }
});

Confined("a symlinked article, and a symlinked folder of articles, are refused", async () => {
  const outside = await writeArticles({ "evil.md": article({ title: '"من خارج المستودع"' }) });
  const dir = await writeArticles({ "a.md": article() });
  try {
    await symlink(path.join(outside, "evil.md"), path.join(dir, "linked.md"));
    await symlink(outside, path.join(dir, "2023"));
    const error = await loadSite({
      root: dir,
      articlesDir: dir,
      config,
      includeDrafts: false,
      images: createImagePipeline({ ...defaultImageOptions, cacheDir: testImageCache }),
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.instance(error, ArticleProblemsError);
    const problems = (error as ArticleProblemsError).problems;
    assert.equal(problems.map((p) => p.file).sort(), ["2023", "linked.md"]);
    assert.match(shown([...problems]), "this article is a symbolic link");
    assert.match(shown([...problems]), "this folder is a symbolic link");
  } finally {
    await removeDir(dir);
    await removeDir(outside);
  }
});

Confined(
  "two articles whose URLs differ only in letter case or Unicode normalisation are an error, never an overwrite",
  async () => {
    const nfc = "\u0623\u0631\u0645\u064A\u0646\u064A\u0627";
    const nfd = "\u0627\u0654\u0631\u0645\u064A\u0646\u064A\u0627";
    assert.is.not(nfc, nfd);
    assert.is(nfc, nfd.normalize("NFC"));
    for (const [first, second] of [
      ["Kazakh", "kazakh"],
      [nfc, nfd],
    ]) {
      const { problems } = await loadArticles({
        [`2022/01/${first}.md`]: article(),
        [`2022/01/${second}.md`]: article({ title: '"خبر آخر"' }),
      });
      assert.is(problems.length, 1, shown(problems));
      assert.is(problems[0]!.field, "slug");
      assert.match(problems[0]!.message, /^\/2022\/01\/[a-z-]+\/ is also the URL of 2022\/01\//);
    }
  },
);

Confined(
  "YAML aliases, anchors, tags and a key given twice are article problems, each named, all in one failed build",
  async () => {
    const laughs = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    ];
    const { problems } = await loadArticles({
      "2022/alias.md": `---\nbase: &x "عنوان مكرر"\ntitle: *x\ndate: 2022-01-08\ncategories: [سياسة]\n---\n\nنص.\n`,
      "2022/anchor.md": article({ title: '&t "خبر"' }),
      "2022/tag.md": article({ title: '!!js/function "function () { return 1 }"' }),
      "2022/local-tag.md": article({ summary: "!include ../secrets.yaml" }),
      "2022/twice.md": `---\ntitle: خبر\ndate: 2022-01-08\ntitle: خبر آخر\ncategories: [سياسة]\n---\n\nنص.\n`,
      "2022/laughs.md": `---\n${laughs.join("\n")}\ntitle: خبر\ndate: 2022-01-08\ncategories: [سياسة]\n---\n\nنص.\n`,
      "2022/unknown-category.md": article({ categories: "[رياضة]" }),
    });
    const located = (problem: Problem) => `${problem.file}:${problem.line} [${problem.field}]`;
    const named = (file: string) =>
      problems.filter((problem) => problem.file === file).map((problem) => `${located(problem)} ${problem.message}`);
    assert.match(
      named("2022/alias.md").join("\n"),
      '2022/alias.md:2 [base] "&x" marks a value for reuse (a YAML anchor)',
    );
    assert.match(
      named("2022/alias.md").join("\n"),
      '2022/alias.md:3 [title] "*x" repeats the value marked "&x" (a YAML alias)',
    );
    assert.equal(named("2022/anchor.md"), [
      '2022/anchor.md:2 [title] "&t" marks a value for reuse (a YAML anchor), which article fields do not accept',
    ]);
    assert.equal(named("2022/tag.md"), [
      '2022/tag.md:2 [title] "!!js/function" is a YAML tag, which article fields do not accept: no value is converted or run at build time',
    ]);
    assert.match(named("2022/local-tag.md").join("\n"), '2022/local-tag.md:5 [summary] "!include" is a YAML tag');
    assert.equal(named("2022/twice.md"), ['2022/twice.md:4 [title] "title" is given twice, on lines 2 and 4']);
    assert.match(named("2022/laughs.md").join("\n"), '2022/laughs.md:3 [b] "*a" repeats the value');
    assert.ok(named("2022/laughs.md").length <= 8, "one problem per line and kind, not one per alias expanded");
    assert.equal(named("2022/unknown-category.md").length, 1, "gathered with the build's other problems");
    for (const problem of problems) assert.ok(problem.fix, `${located(problem)} says how to fix it`);
  },
);

Confined("an article file that cannot be read is a problem naming the file and the reason", async () => {
  const dir = await writeArticles({});
  try {
    await mkdir(path.join(dir, "folder.md"));
    const context = { root: dir, config, limits: defaultWarningLimits, bodies: { dir, salt: "", sizes: "" } };
    const { problems, record } = parseArticle(
      path.join(dir, "folder.md"),
      context,
      siteMarkdown(config),
      createContentCache(dir),
    );
    assert.is(record, undefined);
    assert.equal(problems.map(formatProblem), [
      "folder.md: the file cannot be read: it is a folder, not a file\n    fix: make it a readable file (chmod a+r), or move it out of articles/",
    ]);
  } finally {
    await removeDir(dir);
  }
});

Confined.run();

const Clean = suite("clean text: unbalanced bidi controls are errors naming field and codepoint");

Clean("an override left open in a title", () => {
  const problems = problemsOf(['title: "عاجل \u202Eabc"', ...base]);
  assert.is(problems.length, 1, shown(problems));
  assert.is(problems[0]!.field, "title");
  assert.is(problems[0]!.line, 2);
  assert.match(problems[0]!.message, "U+202E RIGHT-TO-LEFT OVERRIDE at character 6 is never closed");
  assert.match(
    problems[0]!.message,
    '"عاجل <U+202E>abc"',
    "the invisible character is spelled out in the quoted value",
  );
  assert.match(problems[0]!.fix ?? "", "delete the invisible character");
});

Clean("every opener and closer is checked: embeddings, isolates, and a closer with nothing open", () => {
  for (const [text, expected] of [
    ["\u202Aa", "U+202A LEFT-TO-RIGHT EMBEDDING"],
    ["\u202Ba", "U+202B RIGHT-TO-LEFT EMBEDDING"],
    ["\u202Da", "U+202D LEFT-TO-RIGHT OVERRIDE"],
    ["\u2066a", "U+2066 LEFT-TO-RIGHT ISOLATE"],
    ["\u2067a", "U+2067 RIGHT-TO-LEFT ISOLATE"],
    ["\u2068a", "U+2068 FIRST STRONG ISOLATE"],
    ["a\u202C", "U+202C POP DIRECTIONAL FORMATTING at character 2 closes nothing"],
    ["a\u2069", "U+2069 POP DIRECTIONAL ISOLATE at character 2 closes nothing"],
    ["\u2067a\u202C\u2069", "U+202C POP DIRECTIONAL FORMATTING at character 3 closes nothing"],
  ] as const) {
    const problems = problemsOf([`title: "${text}"`, ...base]);
    assert.is(problems.length, 1, `${expected}: ${shown(problems)}`);
    assert.match(problems[0]!.message, expected);
  }
});

Clean("balanced controls and the ordinary marks U+200E/U+200F are kept", () => {
  const fm = parseFrontMatter(
    "x.md",
    `---\ntitle: "قال \u2067CSTO\u2069 و\u202Bنص\u202C \u200Fاليوم\u200E"\n${base.join("\n")}\ntags: ["\u2066Tokayev\u2069"]\n---\n\nنص.\n`,
  );
  assert.ok(fm.value);
  const { value: valid, problems } = validateArticle("x.md", fm.value, config);
  assert.equal(problems, []);
  assert.is(valid?.title, "قال \u2067CSTO\u2069 و\u202Bنص\u202C \u200Fاليوم\u200E");
  assert.equal(valid?.tags, ["\u2066Tokayev\u2069"]);
});

Clean("a tag, a category, the image's alt and caption, each named", () => {
  const problems = problemsOf([
    "title: خبر",
    "date: 2022-01-08",
    'categories: ["سياسة\u202E"]',
    'tags: ["وسم\u2067"]',
    "image:",
    "  src: ./p.jpg",
    '  alt: "\u202Dصورة"',
    '  caption: "\u202Bتعليق"',
  ]);
  assert.equal(
    problems.map((p) => p.field),
    ["categories", "tags", "image.caption", "image.alt"],
  );
  assert.match(shown(problems), "U+202E RIGHT-TO-LEFT OVERRIDE");
  assert.match(shown(problems), "U+2067 RIGHT-TO-LEFT ISOLATE");
});

Clean("in identifiers (slug, story, field names, file names) any bidi control is refused, even a balanced one", () => {
  const slug = problemsOf(["title: خبر", ...base, 'slug: "abc\u202Edef\u202C"']);
  assert.is(slug[0]?.field, "slug");
  assert.match(
    slug[0]!.message,
    '"slug" contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible character that can disguise text',
  );
  const story = problemsOf(["title: خبر", ...base, 'story: "\u2066kazakh\u2069"']);
  assert.is(story[0]?.field, "story");
  assert.match(story[0]!.message, "U+2066 LEFT-TO-RIGHT ISOLATE");
  const key = problemsOf(["title: خبر", ...base, '"summ\u202Eary": x']);
  assert.match(key[0]!.message, 'the field name "summ<U+202E>ary" contains U+202E');
  const file = problemsOf(["title: خبر", ...base], "articles/2022/01/gpj.\u202Eexe.md");
  assert.is(file[0]?.field, "slug");
  assert.match(file[0]!.message, 'the file name "gpj.<U+202E>exe" contains U+202E');
});

Clean.run();
