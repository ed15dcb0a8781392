import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { parseHTML } from "linkedom";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generateCorpus } from "../scripts/corpus.ts";
import { article, removeDir } from "./helpers/build.ts";
import { freePort, linkProject, type Npm, npm } from "./helpers/npm-project.ts";

/** Another program on `port`, on every interface, as a forgotten server would be. */
async function occupy(port: number): Promise<Server> {
  const server = createServer().listen({ port });
  await once(server, "listening");
  return server;
}

/** Whether the servers can listen on `port` (every interface) now: nothing is left on it. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen({ port }, () => probe.close(() => resolve(true)));
  });
}

/** A Node stack frame, which no message for a fault a user can meet may show. */
const stackFrame = /^\s+at .+[:(]/m;

/** How `running` ended, or "still running" after `seconds`. */
async function exitWithin(
  running: Npm,
  seconds: number,
): Promise<[code: number | null, signal: NodeJS.Signals | null] | "still running"> {
  return Promise.race([running.exited, sleep(seconds * 1000).then(() => "still running" as const)]);
}

/** Fetches `url` until `ready` accepts the answer, or fails after `seconds`. */
async function fetchUntil(
  url: string,
  ready: (status: number, html: string) => boolean,
  seconds: number,
  log: () => string,
): Promise<string> {
  let last = "";
  for (const started = Date.now(); Date.now() - started < seconds * 1000; await sleep(200)) {
    const answer = await fetch(url).then(
      async (response) => [response.status, await response.text()] as const,
      () => undefined,
    );
    if (answer && ready(...answer)) return answer[1];
    last = answer ? `${answer[0]}` : "no answer";
  }
  throw new Error(`${url} was not ready after ${seconds} s (last: ${last}); the dev server said:\n${log()}`);
}

const panelText = (html: string) => parseHTML(html).document.querySelector("#midad-problems")?.textContent ?? "";

const Dev = suite("npm start: problems shown in the page, edits rendered page by page");

/** `npm start` in `work` (a project of its own, see linkProject), serving `out/`. */
async function startDevServer(
  work: string,
): Promise<{ site: string; log: () => string; stop: () => Promise<unknown> }> {
  await linkProject(work);
  const port = await freePort();
  const running = npm(work, ["start", "--", `--port=${port}`, "--output=out"]);
  return {
    site: `http://127.0.0.1:${port}`,
    log: running.log,
    stop: () => {
      running.child.kill("SIGTERM");
      return running.exited.finally(running.killAll);
    },
  };
}

/**
 * Saves `file` with `content` until `url` answers as `ready` accepts. The file watcher finishes
 * starting after Eleventy says "Watching…", and an edit before that goes unseen (chokidar's start-up,
 * slow on a loaded machine): the writer saves again, as one would.
 */
async function saveUntil(
  file: string,
  content: string,
  url: string,
  ready: (status: number, html: string) => boolean,
  log: () => string,
): Promise<string> {
  for (let save = 1; ; save++) {
    await writeFile(file, content);
    const answer = await fetchUntil(url, ready, 10, log).catch((error: unknown) => {
      if (save === 3) throw error;
      return undefined;
    });
    if (answer !== undefined) return answer;
  }
}

Dev(
  "a broken article is listed in the terminal and at the top of every page; fixing the file brings its page and clears the list",
  async () => {
    const work = await mkdtemp(path.join(tmpdir(), "midad-dev-"));
    await mkdir(path.join(work, "articles/2022/01"), { recursive: true });
    const bad = path.join(work, "articles/2022/01/bad.md");
    await writeFile(path.join(work, "articles/2022/01/good.md"), article({ title: '"خبر سليم"' }));
    await writeFile(bad, article({ title: '"خبر معطوب"', categories: "[رياضة]" }));
    const { site, log, stop } = await startDevServer(work);
    try {
      const home = await fetchUntil(
        `${site}/`,
        (status, html) => status === 200 && html.includes("midad-problems"),
        40,
        log,
      );
      const line = 'articles/2022/01/bad.md:4 [categories]: unknown category "رياضة"';
      assert.match(panelText(home), "1 problem in articles; these articles are left out until fixed:");
      assert.match(panelText(home), line);
      assert.match(
        panelText(await fetchUntil(`${site}/2022/01/good/`, (status) => status === 200, 10, log)),
        line,
        "on every page",
      );
      assert.match(log(), line, "and in the terminal");

      const fixed = await saveUntil(
        bad,
        article({ title: '"خبر معطوب"', categories: "[سياسة]" }),
        `${site}/2022/01/bad/`,
        (status, html) => status === 200 && !html.includes("midad-problems"),
        log,
      );
      assert.is(parseHTML(fixed).document.querySelector("h1")?.textContent, "خبر معطوب");
      // The dev server writes an edited article's page first, so the home page follows a moment later.
      const homeFixed = await fetchUntil(
        `${site}/`,
        (status, html) => status === 200 && !html.includes("midad-problems"),
        10,
        log,
      );
      assert.not.match(homeFixed, "midad-problems");
    } finally {
      await stop();
      await removeDir(work);
    }
  },
);

/**
 * The inode of every page the page writer wrote (articles and category pages), by path: a page written again gets a
 * new one.
 */
function pageInodes(out: string): Map<string, number> {
  // Not the search index's folder: the dev server replaces it in the background, and a walk through it could find a
  // folder gone.
  const pages = readdirSync(out, { withFileTypes: true })
    .filter((entry) => entry.name !== "pagefind")
    .flatMap((entry) =>
      entry.isDirectory()
        ? readdirSync(path.join(out, entry.name), { recursive: true }).map((name) => `${entry.name}/${String(name)}`)
        : [entry.name],
    )
    // Eleventy's own pages (home, search) are written on every rebuild.
    .filter((name) => name.endsWith("index.html") && name !== "index.html" && name !== "search/index.html");
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
    await saveUntil(
      edited,
      readFileSync(edited, "utf8").replace(/\n\n/, `\n\n${sentence}\n\n`),
      url,
      (status, html) => status === 200 && html.includes(sentence),
      log,
    );
    const after = pageInodes(path.join(work, "out"));
    assert.equal([...after.keys()], [...before.keys()], "the same pages");
    const rewritten = [...after].filter(([name, inode]) => before.get(name) !== inode).map(([name]) => name);
    assert.equal(rewritten, [`${path.relative(path.join(work, "articles"), edited).replace(/\.md$/, "")}/index.html`]);
    // The search index follows in the background: the search page finds the new sentence.
    const index = path.join(work, "out", "pagefind");
    const shards = () =>
      existsSync(path.join(index, "shards.json"))
        ? (JSON.parse(readFileSync(path.join(index, "shards.json"), "utf8")) as { path: string }[])
        : [];
    // Read while the dev server may be putting a new index in place: a file gone meanwhile is "not yet".
    const indexed = () => {
      try {
        return containsSentence();
      } catch {
        return false;
      }
    };
    const containsSentence = () =>
      shards().some((shard) => {
        const fragments = path.join(index, shard.path, "fragment");
        return (
          existsSync(fragments) &&
          readdirSync(fragments).some((name) =>
            gunzipSync(readFileSync(path.join(fragments, name)))
              .toString("utf8")
              .includes(sentence),
          )
        );
      });
    for (const started = Date.now(); !indexed() && Date.now() - started < 30_000; ) await sleep(200);
    assert.ok(indexed(), `the search index has the edit; the dev server said:\n${log()}`);
    assert.is((await fetch(`${site}/search/`)).status, 200);
  } finally {
    await stop();
    await removeDir(work);
  }
});

Dev.run();

/** A project of its own (see linkProject) with one article. */
async function oneArticleProject(): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), "midad-dev-"));
  await mkdir(path.join(work, "articles/2022/01"), { recursive: true });
  await writeFile(path.join(work, "articles/2022/01/one.md"), article({ title: '"خبر واحد"' }));
  await linkProject(work);
  return work;
}

/** A project of its own with a built site in `site/`, for `npm run serve:dist -- --dir site`. */
async function builtSiteProject(): Promise<string> {
  const work = await oneArticleProject();
  await mkdir(path.join(work, "site"));
  await writeFile(path.join(work, "site/index.html"), "<!doctype html><title>built</title>");
  return work;
}

const Stop = suite("npm start: SIGTERM and Ctrl-C close the server and the file watcher, and say so");

Stop(
  "SIGTERM to npm, then Ctrl-C as a terminal sends it (to every process): npm exits at once with 143, then 130, and nothing is left on the port",
  async () => {
    const work = await oneArticleProject();
    try {
      for (const [signal, status, toWholeGroup] of [
        ["SIGTERM", 143, false],
        ["SIGINT", 130, true],
      ] as const) {
        const port = await freePort();
        const running = npm(work, ["start", "--", `--port=${port}`]);
        try {
          await fetchUntil(`http://127.0.0.1:${port}/`, (code) => code === 200, 40, running.log);
          if (toWholeGroup) process.kill(-running.child.pid!, signal);
          else running.child.kill(signal);
          assert.equal(await exitWithin(running, 5), [status, null], `${signal}; npm start said:\n${running.log()}`);
          assert.equal(
            running.log().match(/^Stopped.*$/gm),
            [`Stopped (${signal}): the dev server and its file watcher are closed.`],
            "one line",
          );
          assert.ok(await isFree(port), `nothing listens on ${port} after ${signal}`);
        } finally {
          running.killAll();
        }
      }
    } finally {
      await removeDir(work);
    }
  },
);

Stop.run();

const Busy = suite("a port in use: one line naming it, the reason and the fix, without a stack; exit 1");

Busy("npm start on a port another program listens on says so before building anything", async () => {
  const work = await oneArticleProject();
  const port = await freePort();
  const other = await occupy(port);
  const running = npm(work, ["start", "--", `--port=${port}`]);
  try {
    assert.equal(await exitWithin(running, 30), [1, null], running.log());
    assert.equal(running.errors(), [
      `cannot serve on port ${port}: it is already in use by another program (an earlier npm start?); stop that program, or choose another port: npm start -- --port ${port + 1}`,
    ]);
    assert.not.match(running.log(), stackFrame);
    assert.not.ok(existsSync(path.join(work, ".cache/preview")), "nothing was built");
  } finally {
    running.killAll();
    other.close();
    await removeDir(work);
  }
});

Busy("npm run serve:dist on a port another program listens on", async () => {
  const work = await builtSiteProject();
  const port = await freePort();
  const other = await occupy(port);
  const running = npm(work, ["run", "serve:dist", "--", "--port", String(port), "--dir", "site"]);
  try {
    assert.equal(await exitWithin(running, 30), [1, null], running.log());
    assert.equal(running.errors(), [
      `cannot serve on 127.0.0.1:${port}: port ${port} is already in use by another program; choose another with --port, as in npm run serve:dist -- --port ${port + 1}`,
    ]);
    assert.not.match(running.log(), stackFrame);
  } finally {
    running.killAll();
    other.close();
    await removeDir(work);
  }
});

Busy.run();

const Dist = suite("npm run serve:dist: SIGTERM stops it");

Dist("SIGTERM to npm: it stops serving, says so, npm exits with 143, and nothing is left on the port", async () => {
  const work = await builtSiteProject();
  const port = await freePort();
  const running = npm(work, ["run", "serve:dist", "--", "--port", String(port), "--dir", "site"]);
  try {
    await fetchUntil(
      `http://127.0.0.1:${port}/`,
      (code, html) => code === 200 && html.includes("built"),
      30,
      running.log,
    );
    running.child.kill("SIGTERM");
    assert.equal(await exitWithin(running, 5), [143, null], running.log());
    assert.match(running.log(), /^Stopped serving site \(SIGTERM\)\.$/m);
    assert.ok(await isFree(port), `nothing listens on ${port}`);
  } finally {
    running.killAll();
    await removeDir(work);
  }
});

Dist.run();
