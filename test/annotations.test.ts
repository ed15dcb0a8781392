import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { CodeQualityIssue } from "../src/build/annotations.ts";
import { article, removeDir, runScript, writeArticles } from "./helpers/build.ts";

/** A workflow command as the GitHub runner reads it: its properties and message, unescaped. */
interface Command {
  severity: string;
  properties: Record<string, string>;
  message: string;
}

const unescapeData = (text: string) =>
  text.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 16)));

function commandsIn(stdout: string): Command[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("::"))
    .map((line) => {
      const match = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
      assert.ok(match, `a well-formed workflow command: ${line}`);
      const properties = Object.fromEntries(
        match[2]!.split(",").map((pair) => {
          const [name, ...value] = pair.split("=");
          return [name!, unescapeData(value.join("="))];
        }),
      );
      return { severity: match[1]!, properties, message: unescapeData(match[3]!) };
    });
}

// Each property value and message must survive `,`, `:`, `%` and line breaks, which end or cut a command.
const oddTitle = "عنوان طويل، فيه فاصلة, ونقطتان: ونسبة 50% ".repeat(4);
const Review = suite<{ bad: string; warned: string; work: string }>("problems shown where authors review");

Review.before(async (context) => {
  context.bad = await writeArticles({
    "2022/01/odd-date.md": article({ date: '"2022-01-08, 10:00 %0A"' }),
    "2022/01/sports.md": article({ categories: "[سياسة, رياضة]" }),
  });
  context.warned = await writeArticles({
    "2022/01/long-title.md": article({ title: JSON.stringify(`${oddTitle}\nسطر ثان`) }),
  });
  context.work = mkdtempSync(path.join(tmpdir(), "midad-review-"));
});
Review.after(async ({ bad, warned, work }) => {
  for (const dir of [bad, warned, work]) await removeDir(dir);
});

const onGitHub = { GITHUB_ACTIONS: "true", GITLAB_CI: "" };
const nowhere = { GITHUB_ACTIONS: "", GITLAB_CI: "" };

Review("on GitHub Actions, each problem of npm run check is one escaped command on its article's line", ({ bad }) => {
  const run = runScript("check", ["--articles", bad], { env: onGitHub });
  assert.is(run.status, 1, run.stderr);
  const commands = commandsIn(run.stdout);
  assert.is(commands.length, 2, run.stdout);
  const date = commands.find((command) => command.properties.file!.endsWith("2022/01/odd-date.md"));
  assert.ok(date, "the date's command names its file");
  assert.is(date.severity, "error");
  assert.is(date.properties.line, "3");
  assert.is(date.properties.title, "midad: date");
  assert.match(date.message, '[date] "2022-01-08, 10:00 %0A"', "a % in the text stays itself");
  const category = commands.find((command) => command.properties.file!.endsWith("2022/01/sports.md"));
  assert.ok(category);
  assert.is(category.properties.line, "4");
  assert.match(category.message, /^\[categories\] unknown category "رياضة"\nfix: use one of: /);
});

Review("a warning is a warning command; a title with , : % and a line break cannot break it", ({ warned }) => {
  const run = runScript("check", ["--articles", warned], { env: onGitHub });
  assert.is(run.status, 0, run.stderr);
  const [warning, ...others] = commandsIn(run.stdout);
  assert.equal(others, []);
  assert.ok(warning);
  assert.is(warning.severity, "warning");
  assert.ok(warning.properties.file!.endsWith("2022/01/long-title.md"));
  assert.is(warning.properties.line, "2");
  assert.match(warning.message, /^\[title\] the title is \d+ characters long/);
  assert.match(run.stdout, /articles are valid/, "the usual report as well");
});

Review("the build prints the same commands on GitHub Actions, and neither prints any elsewhere", ({ bad, work }) => {
  const output = path.join(work, "site");
  const build = runScript("build", ["--articles", bad, "--output", output], { env: onGitHub });
  assert.is(build.status, 1);
  assert.equal(
    commandsIn(build.stdout).map((command) => [command.severity, command.properties.line]),
    [
      ["error", "3"],
      ["error", "4"],
    ],
  );
  for (const run of [
    runScript("build", ["--articles", bad, "--output", output], { env: nowhere }),
    runScript("check", ["--articles", bad], { env: nowhere }),
  ]) {
    assert.is(run.status, 1);
    assert.not.match(run.stdout + run.stderr, /^::/m, "no workflow command off GitHub Actions");
  }
});

Review(
  "npm run check --report writes GitLab's Code Quality report, fingerprints stable across runs",
  ({ bad, work }) => {
    const report = path.join(work, "codequality.json");
    const read = () => {
      rmSync(report, { force: true });
      const run = runScript("check", ["--articles", bad, "--report", report], {
        env: { ...nowhere, GITLAB_CI: "true" },
      });
      assert.is(run.status, 1, "the problems still fail the check");
      return JSON.parse(readFileSync(report, "utf8")) as CodeQualityIssue[];
    };
    const first = read();
    assert.is(first.length, 2);
    for (const issue of first) {
      assert.type(issue.description, "string");
      assert.match(issue.check_name, /^midad\/(date|categories)$/);
      assert.match(issue.fingerprint, /^[0-9a-f]{64}$/);
      assert.is(issue.severity, "major");
      assert.match(issue.location.path, /2022\/01\/(odd-date|sports)\.md$/);
      assert.type(issue.location.lines.begin, "number");
    }
    assert.equal(
      first.map((issue) => issue.location.lines.begin),
      [3, 4],
    );
    assert.is.not(first[0]!.fingerprint, first[1]!.fingerprint);
    assert.equal(
      read().map((issue) => issue.fingerprint),
      first.map((issue) => issue.fingerprint),
    );
  },
);

Review.run();
