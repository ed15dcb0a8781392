import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseHTML } from "linkedom";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generateCorpus } from "../scripts/corpus.ts";
import { article, removeDir, repoRoot } from "./helpers/build.ts";

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Fetches `url` until `ready` accepts the answer, or fails after `seconds`. */
async function fetchUntil(url: string, ready: (status: number, html: string) => boolean, seconds: number, log: () => string): Promise<string> {
  let last = "";
  for (const started = Date.now(); Date.now() - started < seconds * 1000; await sleep(200)) {
    const answer = await fetch(url).then(async (response) => [response.status, await response.text()] as const, () => undefined);
    if (answer && ready(...answer)) return answer[1];
    last = answer ? `${answer[0]}` : "no answer";
  }
  throw new Error(`${url} was not ready after ${seconds} s (last: ${last}); the dev server said:\n${log()}`);
}

const panelText = (html: string) => parseHTML(html).document.querySelector("#midad-problems")?.textContent ?? "";

const Dev = suite("npm start: problems shown in the page, edits rendered page by page");

/** `npm start` in a project of its own around the real configuration and templates (so no test touches articles/), serving `out/`. */
async function startDevServer(work: string): Promise<{ site: string; log: () => string; stop: () => Promise<unknown> }> {
  await symlink(path.join(repoRoot, "templates"), path.join(work, "templates"));
  const port = await freePort();
  const { SOURCE_DATE_EPOCH: _unset, ...env } = process.env;
  const child = spawn(process.execPath, [
    "--import", import.meta.resolve("tsx"), path.join(repoRoot, "node_modules/@11ty/eleventy/cmd.cjs"),
    `--config=${path.join(repoRoot, ".eleventy.ts")}`, "--serve", `--port=${port}`, `--output=${path.join(work, "out")}`,
  ], { cwd: work, env });
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  const exited = once(child, "exit");
  return { site: `http://127.0.0.1:${port}`, log: () => log, stop: () => (child.kill("SIGTERM"), exited) };
}

/**
 * Saves `file` with `content` until `url` answers as `ready` accepts. The file watcher finishes
 * starting after Eleventy says "Watching…", and an edit before that goes unseen (chokidar's start-up,
 * slow on a loaded machine): the writer saves again, as one would.
 */
async function saveUntil(file: string, content: string, url: string, ready: (status: number, html: string) => boolean, log: () => string): Promise<string> {
  for (let save = 1; ; save++) {
    await writeFile(file, content);
    const answer = await fetchUntil(url, ready, 10, log).catch((error: unknown) => {
      if (save === 3) throw error;
      return undefined;
    });
    if (answer !== undefined) return answer;
  }
}

Dev("a broken article is listed in the terminal and at the top of every page; fixing the file brings its page and clears the list", async () => {
  const work = await mkdtemp(path.join(tmpdir(), "midad-dev-"));
  await mkdir(path.join(work, "articles/2022/01"), { recursive: true });
  const bad = path.join(work, "articles/2022/01/bad.md");
  await writeFile(path.join(work, "articles/2022/01/good.md"), article({ title: "\"خبر سليم\"" }));
  await writeFile(bad, article({ title: "\"خبر معطوب\"", categories: "[رياضة]" }));
  const { site, log, stop } = await startDevServer(work);
  try {
    const home = await fetchUntil(`${site}/`, (status, html) => status === 200 && html.includes("midad-problems"), 40, log);
    const line = "articles/2022/01/bad.md:4 [categories]: unknown category \"رياضة\"";
    assert.match(panelText(home), "1 problem in articles; these articles are left out until fixed:");
    assert.match(panelText(home), line);
    assert.match(panelText(await fetchUntil(`${site}/2022/01/good/`, (status) => status === 200, 10, log)), line, "on every page");
    assert.match(log(), line, "and in the terminal");

    const fixed = await saveUntil(bad, article({ title: "\"خبر معطوب\"", categories: "[سياسة]" }), `${site}/2022/01/bad/`,
      (status, html) => status === 200 && !html.includes("midad-problems"), log);
    assert.is(parseHTML(fixed).document.querySelector("h1")?.textContent, "خبر معطوب");
    assert.not.match(await fetchUntil(`${site}/`, (status) => status === 200, 10, log), "midad-problems");
  } finally {
    await stop();
    await removeDir(work);
  }
});

/** The inode of every page the page writer wrote (articles and category pages), by path: a page written again gets a new one. */
function pageInodes(out: string): Map<string, number> {
  const pages = readdirSync(out, { recursive: true }).map(String).filter((name) => name.endsWith("index.html") && name !== "index.html");
  return new Map(pages.map((name) => [name, statSync(path.join(out, name)).ino]));
}

Dev("an edit to one article's body renders that one page again; every other page stays as it was", async () => {
  const work = await mkdtemp(path.join(tmpdir(), "midad-dev-"));
  const files = await generateCorpus({ count: 30, out: path.join(work, "articles") });
  const { site, log, stop } = await startDevServer(work);
  try {
    const edited = files[7]!;
    const url = `${site}/${path.relative(path.join(work, "articles"), edited).replace(/\.md$/, "/")}`;
    await fetchUntil(url, (status) => status === 200, 40, log);
    const before = pageInodes(path.join(work, "out"));
    assert.ok(before.size > 30, `${before.size} pages`);
    const sentence = "جملة أضافها المحرر للتو.";
    await saveUntil(edited, readFileSync(edited, "utf8").replace(/\n\n/, `\n\n${sentence}\n\n`), url, (status, html) => status === 200 && html.includes(sentence), log);
    const after = pageInodes(path.join(work, "out"));
    assert.equal([...after.keys()], [...before.keys()], "the same pages");
    const rewritten = [...after].filter(([name, inode]) => before.get(name) !== inode).map(([name]) => name);
    assert.equal(rewritten, [`${path.relative(path.join(work, "articles"), edited).replace(/\.md$/, "")}/index.html`]);
  } finally {
    await stop();
    await removeDir(work);
  }
});

Dev.run();
