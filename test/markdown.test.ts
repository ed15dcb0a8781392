import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatProblem, type Problem } from "../src/articles/problems.ts";
import { createMarkdown, createMarkdownEnv, type MarkdownEnv } from "../src/markdown/index.ts";

const fixtures = path.join(import.meta.dirname, "fixtures", "markdown");
const bodyLine = 5;

const md = createMarkdown({
  timeZone: "Asia/Yerevan",
  dateStyle: { months: "both", digits: "latn", hijri: false },
  defaultTitle: "التسلسل الزمني",
});

/** A temporary article folder: `x.md` with `photo.jpg` next to it, created before the tests run. */
let folder = "";
let articlePath = "";

function render(input: string): { html: string; env: MarkdownEnv } {
  assert.ok(articlePath !== "", "the temporary article exists");
  const env = createMarkdownEnv({ file: "articles/x.md", articlePath, bodyLine });
  return { html: md.render(input, env), env };
}

function setUp(): void {
  folder = mkdtempSync(path.join(tmpdir(), "midad-markdown-"));
  articlePath = path.join(folder, "x.md");
  writeFileSync(articlePath, "---\ntitle: x\n---\n");
  writeFileSync(path.join(folder, "photo.jpg"), "not decoded here");
}

function tearDown(): void {
  rmSync(folder, { recursive: true, force: true });
}

const rendering = suite("markdown fixtures");
rendering.before(setUp);
rendering.after(tearDown);

const files = readdirSync(fixtures);
const inputs = files.filter((name) => name.endsWith(".md")).sort();
const outputs = files.filter((name) => name.endsWith(".html")).sort();

rendering("every fixture has an input and an expected output", () => {
  assert.ok(inputs.length >= 10, `expected at least 10 fixtures, found ${inputs.length}`);
  assert.equal(
    inputs.filter((name) => !files.includes(name.replace(/\.md$/, ".html"))),
    [],
    "inputs without an .html",
  );
  assert.equal(
    outputs.filter((name) => !files.includes(name.replace(/\.html$/, ".md"))),
    [],
    "outputs without an .md",
  );
});

for (const input of inputs) {
  const name = input.replace(/\.md$/, "");
  rendering(name, () => {
    const expectedFile = path.join(fixtures, `${name}.html`);
    assert.ok(files.includes(`${name}.html`), `${input} has no ${name}.html`);
    const { html, env } = render(readFileSync(path.join(fixtures, input), "utf8"));
    assert.fixture(html.trim(), readFileSync(expectedFile, "utf8").trim());
    assert.equal(env.problems.map(formatProblem), [], "a fixture is valid Markdown: no problems");
  });
}

rendering.run();

const problems = suite("markdown problems");
problems.before(setUp);
problems.after(tearDown);

function onlyProblem(env: MarkdownEnv): Problem {
  assert.is(
    env.problems.length,
    1,
    `exactly one problem expected, got: ${env.problems.map(formatProblem).join(" | ")}`,
  );
  const problem = env.problems[0]!;
  assert.is(problem.file, "articles/x.md");
  return problem;
}

problems("a timeline item without a date", () => {
  // 0-based body lines: 0 text, 1 blank, 2 opening, 3 first event, 4 the bad event.
  const { env } = render("مقدمة\n\n::: timeline\n- 2022-01-02: حدث\n- بدون تاريخ\n:::\n");
  const problem = onlyProblem(env);
  assert.is(problem.field, "timeline");
  assert.is(problem.line, bodyLine + 4);
  assert.match(problem.message, '"بدون تاريخ"');
  assert.match(problem.message, "does not start with a date");
  assert.match(problem.fix ?? "", "- 2022-01-02: what happened");
});

problems("a timeline with no events", () => {
  const problem = onlyProblem(render("مقدمة\n\n::: timeline\n:::\n").env);
  assert.is(problem.field, "timeline");
  assert.is(problem.line, bodyLine + 2);
  assert.match(problem.message, "no events");
});

problems("a timeline item with an impossible date", () => {
  const { env, html } = render("::: timeline\n- 2022-01-02: حدث\n- 2022-13-45: خطأ\n:::\n");
  const problem = onlyProblem(env);
  assert.is(problem.field, "timeline");
  assert.is(problem.line, bodyLine + 2);
  assert.match(problem.message, '"2022-13-45" is not a real date');
  assert.not.match(html, 'datetime="2023');
});

problems("a timeline item with a date but no text", () => {
  const { env } = render("::: timeline\n- 2022-01-02:\n:::\n");
  const problem = onlyProblem(env);
  assert.is(problem.field, "timeline");
  assert.is(problem.line, bodyLine + 1);
  assert.match(problem.message, "2022-01-02");
  assert.match(problem.message, "no text");
});

problems("a paragraph inside a timeline", () => {
  const { env } = render("::: timeline\nفقرة ليست حدثًا\n\n- 2022-01-02: حدث\n:::\n");
  const problem = onlyProblem(env);
  assert.is(problem.field, "timeline");
  assert.is(problem.line, bodyLine + 1);
  assert.match(problem.message, "only a list of dated events");
});

problems("a missing body photo", () => {
  const { env } = render("نص\n\n![صورة](./missing.jpg)\n");
  const problem = onlyProblem(env);
  assert.is(problem.field, "image in body");
  assert.is(problem.line, bodyLine + 2);
  assert.match(problem.message, '"./missing.jpg" does not exist');
  assert.equal(env.photos, []);
});

problems("a remote body photo", () => {
  const { env } = render("![x](https://example.com/a.jpg)\n");
  const problem = onlyProblem(env);
  assert.is(problem.field, "image in body");
  assert.is(problem.line, bodyLine);
  assert.match(problem.message, '"https://example.com/a.jpg" is a remote');
  assert.equal(env.photos, []);
});

problems("a body photo outside the article's folder", () => {
  const outside = `${folder}-outside.jpg`;
  writeFileSync(outside, "x");
  try {
    for (const src of ["../outside.jpg", `../${path.basename(outside)}`]) {
      const { env } = render(`![x](${src})\n`);
      const problem = onlyProblem(env);
      assert.is(problem.field, "image in body");
      assert.match(problem.message, `"${src}" points outside the article's folder`);
      assert.equal(env.photos, []);
    }
  } finally {
    rmSync(outside, { force: true });
  }
});

problems("a body photo that is a link to a file outside the article's folder", () => {
  const outside = `${folder}-target.jpg`;
  writeFileSync(outside, "x");
  symlinkSync(outside, path.join(folder, "linked.jpg"));
  try {
    const { env } = render("![x](./linked.jpg)\n");
    const problem = onlyProblem(env);
    assert.is(problem.field, "image in body");
    assert.match(problem.message, '"./linked.jpg" is a link to a file outside');
    assert.equal(env.photos, []);
  } finally {
    rmSync(path.join(folder, "linked.jpg"), { force: true });
    rmSync(outside, { force: true });
  }
});

problems("an absolute body photo path", () => {
  const { env } = render(`![x](${path.join(folder, "photo.jpg")})\n`);
  const problem = onlyProblem(env);
  assert.is(problem.field, "image in body");
  assert.match(problem.message, "absolute path");
});

problems("an existing body photo is handed to the image pipeline and rendered as its <picture>", () => {
  const { env, html } = render("نص قبل الصورة.\n\n![جنود في ألماتي](./photo.jpg)\n");
  assert.equal(env.problems, []);
  assert.equal(env.photos, [
    { src: "./photo.jpg", sourcePath: path.join(folder, "photo.jpg"), relativePath: "photo.jpg" },
  ]);
  assert.match(html, 'alt="جنود في ألماتي"');

  const output = (format: string, type: string, width: number) => ({
    format,
    width,
    height: width / 2,
    url: `/img/h-${width}.${format}`,
    sourceType: type,
    srcset: `/img/h-${width}.${format} ${width}w`,
    outputPath: "",
  });
  const env2 = createMarkdownEnv({ file: "articles/x.md", articlePath, bodyLine });
  env2.sizes = "(min-width: 44rem) 42rem, 100vw";
  env2.pictures.set(path.join(folder, "photo.jpg"), {
    formats: {
      avif: [output("avif", "image/avif", 320), output("avif", "image/avif", 640)],
      jpeg: [output("jpeg", "image/jpeg", 320), output("jpeg", "image/jpeg", 640)],
    },
    width: 640,
    height: 320,
    original: { width: 1280, height: 640 },
    placeholder: "#123456",
    files: [],
  });
  const picture = md.render("![جنود في ألماتي](./photo.jpg)\n", env2);
  assert.match(
    picture,
    '<source type="image/avif" srcset="/img/h-320.avif 320w, /img/h-640.avif 640w" sizes="(min-width: 44rem) 42rem, 100vw">',
  );
  assert.match(picture, /<img[^>]* src="\/img\/h-320.jpeg"/);
  assert.match(picture, 'alt="جنود في ألماتي"');
  assert.match(picture, 'loading="lazy"');
  assert.match(picture, 'width="640" height="320"');
  assert.match(picture, 'style="background-color:#123456"');
  assert.not.match(picture, "fetchpriority");
});

problems("a body photo without a description", () => {
  const problem = onlyProblem(render("![](./photo.jpg)\n").env);
  assert.is(problem.field, "image in body");
  assert.match(problem.message, "has no description");
});

problems("problems and photos belong to one render", () => {
  const first = render("![x](./missing.jpg)\n\n![y](./photo.jpg)\n");
  const second = render("::: timeline\n- 2022-01-02: حدث\n:::\n");
  assert.is(first.env.problems.length, 1);
  assert.is(first.env.photos.length, 1);
  assert.equal(second.env.problems, []);
  assert.equal(second.env.photos, []);
  assert.match(second.html, 'aria-labelledby="timeline-1"');
});

problems.run();
