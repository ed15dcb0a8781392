import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Article, validateArticle } from "../src/articles/article.ts";
import { type FrontMatter, parseFrontMatter } from "../src/articles/front-matter.ts";
import { type Checked, formatProblem, type Problem } from "../src/articles/problems.ts";
import { resolveSiteConfig } from "../src/site/config.ts";

const config = resolveSiteConfig();
const file = "articles/2022/01/x.md";

/** Front matter lines (without the `---` fences) and a body, as an article file. */
function source(lines: string[], body = "نص الخبر."): string {
  return `---\n${lines.join("\n")}\n---\n\n${body}\n`;
}

/** A valid article's front matter lines: title on line 2, date on 3, categories on 4. */
const valid = ["title: خبر تجريبي", "date: 2022-01-08T14:30", "categories: [سياسة]"];

function frontMatter(text: string, name = file): FrontMatter {
  const { value, problems } = parseFrontMatter(name, text);
  assert.ok(value, `front matter should parse: ${problems.map(formatProblem).join("; ")}`);
  assert.equal(problems, []);
  return value;
}

function check(text: string, name = file): Checked<Article> {
  return validateArticle(name, frontMatter(text, name), config);
}

function accept(text: string, name = file): Article {
  const result = check(text, name);
  assert.equal(result.problems.map(formatProblem), [], "no problems expected");
  assert.ok(result.value, "an article is returned");
  return result.value;
}

/** The single problem of an invalid article; no article may be returned. */
function onlyProblem(text: string): Problem {
  const result = check(text);
  assert.is(result.value, undefined, "an invalid article is not returned");
  assert.is(
    result.problems.length,
    1,
    `exactly one problem expected, got: ${result.problems.map(formatProblem).join(" | ")}`,
  );
  return result.problems[0]!;
}

/** Problems parseFrontMatter itself returns (the file is not even valid front matter). */
function frontMatterProblems(text: string): Problem[] {
  const { value, problems } = parseFrontMatter(file, text);
  assert.is(value, undefined, "parseFrontMatter must refuse this file");
  assert.ok(problems.length > 0);
  return problems;
}

function located(problem: Problem, field: string | undefined, line: number): void {
  assert.is(problem.file, file);
  assert.is(problem.field, field);
  assert.is(problem.line, line);
}

/** What the author reads: message and fix. */
const shown = (problem: Problem) => formatProblem(problem);

const fields = suite("validateArticle: fields");

fields("a valid article has typed fields", () => {
  const article = accept(source([...valid, "updated: 2022-01-09", "tags: [كازاخستان, CSTO]", "draft: false"]));
  assert.is(article.file, file);
  assert.is(article.title, "خبر تجريبي");
  assert.is(article.slug, "x");
  assert.is(article.date.iso, "2022-01-08T14:30+04:00");
  assert.is(article.updated?.iso, "2022-01-09");
  assert.equal(
    article.categories.map((c) => c.key),
    ["politics"],
  );
  assert.equal(article.tags, ["كازاخستان", "CSTO"]);
  assert.is(article.draft, false);
  assert.is(article.body, "\nنص الخبر.\n");
  assert.is(article.bodyLine, 9);
});

fields("missing title", () => {
  const problem = onlyProblem(source(["date: 2022-01-08", "categories: [سياسة]"]));
  located(problem, "title", 1);
  assert.match(problem.message, '"title" is missing');
  assert.match(problem.fix ?? "", "title: …");
});

fields("empty title", () => {
  const problem = onlyProblem(source(['title: "  "', "date: 2022-01-08", "categories: [سياسة]"]));
  located(problem, "title", 2);
  assert.match(problem.message, '"title" is empty');
});

fields("title with no value", () => {
  const problem = onlyProblem(source(["title:", "date: 2022-01-08", "categories: [سياسة]"]));
  located(problem, "title", 2);
  assert.match(problem.message, '"title"');
});

fields("missing date", () => {
  const problem = onlyProblem(source(["title: خبر", "categories: [سياسة]"]));
  located(problem, "date", 1);
  assert.match(problem.message, '"date" is missing');
  assert.match(problem.fix ?? "", "date: 2022-01-08");
});

fields("date 2022-13-45 is an error, never rolled over", () => {
  const text = source(["title: خبر", "date: 2022-13-45", "categories: [سياسة]"]);
  // YAML 1.2 core schema: the date is still the author's string, not a Date that rolled over.
  assert.is(frontMatter(text).data.date, "2022-13-45");
  const problem = onlyProblem(text);
  located(problem, "date", 3);
  assert.match(problem.message, '"2022-13-45" is not a real date');
  assert.match(problem.message, "2022-01-08T14:30");
  assert.not.match(shown(problem), "2023");
});

fields("date 2022-02-30", () => {
  const problem = onlyProblem(source(["title: خبر", "date: 2022-02-30", "categories: [سياسة]"]));
  located(problem, "date", 3);
  assert.match(problem.message, '"2022-02-30" is not a real date');
  assert.match(problem.message, "2022-01-08");
});

fields("a date that is not text", () => {
  const problem = onlyProblem(source(["title: خبر", "date: 20220108", "categories: [سياسة]"]));
  located(problem, "date", 3);
  assert.match(problem.message, "20220108");
});

fields("updated earlier than date", () => {
  const problem = onlyProblem(source([...valid, "updated: 2022-01-08T10:00"]));
  located(problem, "updated", 5);
  assert.match(problem.message, "2022-01-08T10:00+04:00");
  assert.match(problem.message, "2022-01-08T14:30+04:00");
  assert.match(problem.message, 'earlier than "date"');
});

fields("updated later than date is accepted", () => {
  const article = accept(source([...valid, "updated: 2022-01-08T14:31"]));
  assert.is(article.updated?.iso, "2022-01-08T14:31+04:00");
});

fields("draft must be a boolean", () => {
  const quoted = onlyProblem(source([...valid, 'draft: "yes"']));
  located(quoted, "draft", 5);
  assert.match(quoted.message, "true or false");
  assert.match(quoted.message, '"yes"');
  // YAML 1.2: a bare yes is a string too, not YAML 1.1's true.
  const bare = onlyProblem(source([...valid, "draft: yes"]));
  located(bare, "draft", 5);
  assert.is(accept(source([...valid, "draft: true"])).draft, true);
});

fields("slug ../etc is refused", () => {
  const problem = onlyProblem(source([...valid, 'slug: "../etc"']));
  located(problem, "slug", 5);
  assert.match(problem.message, '"../etc"');
  assert.match(problem.message, "lowercase Latin letters, digits and single hyphens");
});

fields("slug with capitals and a space is refused", () => {
  const problem = onlyProblem(source([...valid, "slug: Ab C"]));
  located(problem, "slug", 5);
  assert.match(problem.message, '"Ab C"');
  assert.match(problem.message, "lowercase Latin letters");
});

fields("a valid slug is used", () => {
  assert.is(accept(source([...valid, "slug: csto-peacekeepers-2022"])).slug, "csto-peacekeepers-2022");
});

fields("a slug derived from an Arabic file name is a Latin transliteration", () => {
  const name = "articles/2022/01/قوات-حفظ-السلام.md";
  const article = accept(source(valid), name);
  assert.is(article.file, name);
  assert.ok(article.slug.length > 0);
  assert.match(article.slug, /^[a-z0-9-]+$/);
  assert.match(article.slug, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
});

fields("story with spaces and capitals is refused", () => {
  const problem = onlyProblem(source([...valid, 'story: "Kazakh unrest"']));
  located(problem, "story", 5);
  assert.match(problem.message, '"Kazakh unrest"');
  assert.match(problem.message, "lowercase Latin letters, digits and hyphens");
  assert.is(accept(source([...valid, "story: kazakh-unrest-2022"])).story, "kazakh-unrest-2022");
});

fields("image without alt fails", () => {
  const problem = onlyProblem(source([...valid, "image: { src: ./photo.jpg, caption: صورة }"]));
  located(problem, "image.alt", 5);
  assert.match(problem.message, '"image.alt" is required');
  assert.match(problem.fix ?? "", 'alt: ""');
});

fields("image with an empty alt is accepted", () => {
  const article = accept(source([...valid, "image:", "  src: ./photo.jpg", '  alt: ""', "  credit: رويترز"]));
  assert.equal(article.image, { src: "./photo.jpg", alt: "", credit: "رويترز", line: 6 });
});

fields("image with an unknown key", () => {
  const problem = onlyProblem(source([...valid, "image:", "  src: ./photo.jpg", "  alt: جنود", "  width: 800"]));
  located(problem, "image.width", 8);
  assert.match(problem.message, '"image.width"');
  assert.match(problem.fix ?? "", "src, alt, caption, credit");
});

fields("unknown front matter field", () => {
  const problem = onlyProblem(source([...valid, "titel: خبر"]));
  located(problem, "titel", 5);
  assert.match(problem.message, 'unknown field "titel"');
  assert.match(problem.fix ?? "", "title");
});

const eleventyKeys: Record<string, string> = {
  permalink: "permalink: /elsewhere/index.html",
  layout: "layout: other.njk",
  eleventyComputed: 'eleventyComputed: { title: "{{ page.url }}" }',
  templateEngineOverride: "templateEngineOverride: njk,md",
  eleventyExcludeFromCollections: "eleventyExcludeFromCollections: true",
  eleventyImport: "eleventyImport: { collections: [all] }",
  eleventyNavigation: "eleventyNavigation: { key: x }",
  eleventyDataSchema: "eleventyDataSchema: x",
  eleventyAllowMissingExtension: "eleventyAllowMissingExtension: true",
  pagination: "pagination: { data: collections.all, size: 1 }",
  dynamicPermalink: "dynamicPermalink: false",
  permalinkBypassOutputDir: "permalinkBypassOutputDir: true",
  collections: "collections: x",
  page: "page: { url: /x/ }",
  eleventy: "eleventy: x",
  pkg: "pkg: x",
};
for (const [key, line] of Object.entries(eleventyKeys)) {
  fields(`Eleventy key ${key} is refused`, () => {
    const problem = onlyProblem(source([...valid, line]));
    located(problem, key, 5);
    assert.match(problem.message, `"${key}" is not allowed`);
    assert.match(problem.message, "the site decides");
    assert.match(problem.fix ?? "", `remove the "${key}" line`);
  });
}

fields.run();

const categories = suite("validateArticle: categories");

const withCategories = (value: string) => source(["title: خبر", "date: 2022-01-08", value]);
const keys = (article: Article) => article.categories.map((c) => c.key);

categories("unknown category lists the accepted ones", () => {
  const problem = onlyProblem(withCategories("categories: [رياضة]"));
  located(problem, "categories", 4);
  assert.match(problem.message, 'unknown category "رياضة"');
  assert.match(problem.fix ?? "", "top (الأبرز), analysis (تحليلات), politics (سياسة)");
});

categories("by key", () => {
  assert.equal(keys(accept(withCategories("categories: politics"))), ["politics"]);
});

categories("by Arabic label", () => {
  assert.equal(keys(accept(withCategories("categories: سياسة"))), ["politics"]);
});

categories("by alias", () => {
  assert.equal(keys(accept(withCategories("categories: Top"))), ["top"]);
});

categories("the seed's list resolves to three categories in site order", () => {
  assert.equal(keys(accept(withCategories("categories: [Top, تحليلات, سياسة]"))), ["top", "analysis", "politics"]);
  assert.equal(keys(accept(withCategories("categories: [سياسة, Top, تحليلات]"))), ["top", "analysis", "politics"]);
});

categories("the same category named twice counts once", () => {
  assert.equal(keys(accept(withCategories("categories: [politics, سياسة, Politics]"))), ["politics"]);
});

categories("missing categories", () => {
  const problem = onlyProblem(source(["title: خبر", "date: 2022-01-08"]));
  located(problem, "categories", 1);
  assert.match(problem.message, '"categories" is missing or empty');
  assert.match(problem.fix ?? "", "top (الأبرز), analysis (تحليلات), politics (سياسة)");
});

categories("empty categories", () => {
  const problem = onlyProblem(withCategories("categories: []"));
  located(problem, "categories", 4);
  assert.match(problem.message, '"categories" is missing or empty');
});

categories.run();

const syntax = suite("parseFrontMatter");

syntax("---js front matter is refused and never evaluated", () => {
  const marker = globalThis as { __midadRan?: unknown };
  const problems = frontMatterProblems(
    '---js\n{ title: (() => { globalThis.__midadRan = true; return "x" })() }\n---\n\nنص\n',
  );
  assert.is(marker.__midadRan, undefined, "the front matter's code ran");
  assert.is(problems.length, 1);
  located(problems[0]!, "front matter", 1);
  assert.match(problems[0]!.message, '"---js" front matter is not allowed');
  assert.match(problems[0]!.fix ?? "", "YAML");
});

syntax("---javascript front matter is refused", () => {
  const problems = frontMatterProblems('---javascript\n{ title: "x" }\n---\n\nنص\n');
  assert.is(problems.length, 1);
  located(problems[0]!, "front matter", 1);
  assert.match(problems[0]!.message, '"---javascript" front matter is not allowed');
});

syntax("unclosed front matter", () => {
  const problems = frontMatterProblems("---\ntitle: خبر\ndate: 2022-01-08\n\nنص بلا نهاية للحقول\n");
  assert.is(problems.length, 1);
  assert.is(problems[0]!.file, file);
  assert.is(problems[0]!.line, 1);
  assert.match(problems[0]!.message, "never closed");
  assert.match(problems[0]!.fix ?? "", "---");
});

syntax("a file without front matter", () => {
  const problems = frontMatterProblems("نص فقط\n");
  assert.is(problems.length, 1);
  assert.is(problems[0]!.line, 1);
  assert.match(problems[0]!.message, "does not start with front matter");
});

syntax("a YAML syntax error reports the file line", () => {
  const problems = frontMatterProblems(
    source(["title: خبر", "date: 2022-01-08", "summary: قال: نعم", "categories: [سياسة]"]),
  );
  assert.ok(problems.length >= 1);
  for (const problem of problems) located(problem, "front matter", 4);
  assert.match(problems[0]!.message, "the YAML cannot be read");
});

syntax("a duplicated key is a problem of that field on its second line, naming both lines", () => {
  const problems = frontMatterProblems(
    source(["title: خبر", "date: 2022-01-08", "title: خبر آخر", "categories: [سياسة]"]),
  );
  assert.is(problems.length, 1);
  located(problems[0]!, "title", 4);
  assert.match(problems[0]!.message, "on lines 2 and 4");
});

syntax("a key given twice inside a field is named with its parent", () => {
  const problems = frontMatterProblems(
    source(["title: خبر", "image:", "  src: ./a.jpg", "  alt: صورة", "  alt: صورة أخرى"]),
  );
  assert.is(problems.length, 1);
  located(problems[0]!, "image.alt", 6);
});

syntax("a tab that indents a line is named as such", () => {
  const problems = frontMatterProblems(source(["title: خبر", "image:", "\tsrc: ./a.jpg"]));
  assert.ok(problems.length >= 1);
  located(problems[0]!, "front matter", 4);
  assert.match(problems[0]!.message, "a tab indents this line");
});

syntax("the body starts after the closing line", () => {
  const fm = frontMatter("---\ntitle: خبر\n---\nأول سطر\n");
  assert.is(fm.body, "أول سطر\n");
  assert.is(fm.bodyLine, 4);
  assert.is(fm.lineOf("title"), 2);
  assert.is(fm.lineOf("missing"), undefined);
});

syntax("Windows line endings and a byte order mark keep line numbers", () => {
  const problem = check(`\uFEFF---\r\n${valid.join("\r\n")}\r\ntitel: x\r\n---\r\n\r\nنص\r\n`).problems;
  assert.is(problem.length, 1);
  located(problem[0]!, "titel", 5);
});

syntax("fields written as a block are located at their key's line", () => {
  const result = check(
    source([
      "title: خبر",
      "date: 2022-01-08",
      "categories:",
      "  - Top",
      "  - رياضة",
      "eleventyComputed:",
      "  title: x",
      "image:",
      "  src: ./a.jpg",
    ]),
  );
  const lineOf = (field: string) => result.problems.find((problem) => problem.field === field)?.line;
  assert.is(lineOf("categories"), 4);
  assert.is(lineOf("eleventyComputed"), 7);
  assert.is(lineOf("image.alt"), 9);
});

syntax("a YAML error names its file line once, without yaml's own line count", () => {
  const problems = frontMatterProblems(source(["title: خبر: فرعي", "date: 2022-01-08"]));
  assert.is(problems.length, 1);
  located(problems[0]!, "front matter", 2);
  assert.not.match(problems[0]!.message, /at line \d/);
});

syntax.run();

const combined = suite("validateArticle: several problems and text");

combined("a file with several problems reports all of them in one call", () => {
  const result = check(
    source(['title: ""', "date: 2022-13-45", "categories: [رياضة]", 'draft: "no"', "permalink: /x/"]),
  );
  assert.is(result.value, undefined);
  const byField = new Map(result.problems.map((p) => [p.field, p]));
  assert.is(result.problems.length, 5, result.problems.map(formatProblem).join(" | "));
  assert.is(byField.get("title")?.line, 2);
  assert.is(byField.get("date")?.line, 3);
  assert.match(byField.get("date")?.message ?? "", '"2022-13-45"');
  assert.is(byField.get("categories")?.line, 4);
  assert.match(byField.get("categories")?.message ?? "", '"رياضة"');
  assert.is(byField.get("draft")?.line, 5);
  assert.is(byField.get("permalink")?.line, 6);
  for (const problem of result.problems) assert.is(problem.file, file);
});

combined("title and tags are normalised to NFC", () => {
  const article = accept(
    source([
      'title: "Cafe\u0301 \u0627\u0654من"',
      "date: 2022-01-08",
      "categories: [سياسة]",
      'tags: ["\u0627\u0654رمينيا", "Cafe\u0301"]',
    ]),
  );
  assert.is(article.title, "Caf\u00e9 \u0623من");
  assert.ok(!article.title.includes("\u0654"), "no decomposed hamza is left");
  assert.ok(!article.title.includes("\u0301"), "no combining accent is left");
  assert.equal(article.tags, ["\u0623رمينيا", "Caf\u00e9"]);
});

combined("tags written in NFC and NFD count once", () => {
  const article = accept(source([...valid, 'tags: ["\u0623رمينيا", "\u0627\u0654رمينيا"]']));
  assert.equal(article.tags, ["\u0623رمينيا"]);
});

combined.run();
