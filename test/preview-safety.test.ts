import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import net from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkRequestPath } from "../src/checks/request-path.ts";
import { article, removeDir } from "./helpers/build.ts";
import { freePort, linkProject, type Npm, npm as runNpm } from "./helpers/npm-project.ts";

/**
 * `npm start` shows drafts and embargoed articles: it must listen on this machine only unless told otherwise, and
 * no request may stop it or read a file from outside its preview folder. `npm run serve:dist` is held to the same.
 */

/** Text from files outside the served folders, which no answer may contain. */
const secrets = ['"name": "midad"', "root:x:0:0", "SECRET-CACHE-MARKER", "SECRET-ARTICLE-SOURCE"];

/** Paths sent as they are (not normalised by a client), each meant to stop the server or lead out of its folder. */
const hostile = [
  "/..%2f..%2f..%2fetc/passwd",
  "/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
  "/%2e%2e/%2e%2e/etc/passwd",
  "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
  "/%252e%252e/%252e%252e/package.json",
  "/..%2fpackage.json",
  "/..%2f..%2fpackage.json",
  "/..%2f..%2f..%2fpackage.json",
  "/%2e%2e/secret.txt",
  "/..%5c..%5cpackage.json",
  "/..\\..\\package.json",
  "/index.html%00.txt",
  "/%00",
  "/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json",
  "/%ff",
  "/%",
  "/../package.json",
  "/../../package.json",
  "/../../../../../../../../etc/passwd",
  "/.cache/secret.txt",
  "/articles/2022/01/one.md",
  "/..%2f..%2farticles/2022/01/one.md",
  `/${"a".repeat(64 * 1024)}`,
];

/** A project of its own around the real scripts (see test/dev-server.test.ts), with secrets outside its output. */
async function project(): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), "midad-safety-"));
  await linkProject(work);
  await mkdir(path.join(work, "articles/2022/01"), { recursive: true });
  await writeFile(
    path.join(work, "articles/2022/01/one.md"),
    `${article({ title: '"خبر واحد"' })}\nSECRET-ARTICLE-SOURCE\n`,
  );
  await mkdir(path.join(work, ".cache"));
  await writeFile(path.join(work, ".cache/secret.txt"), "SECRET-CACHE-MARKER\n");
  return work;
}

/** Every process a test started, killed (with its group) after the suite whatever happened. */
const started = new Set<Npm>();
function killStarted(): void {
  for (const running of started) running.killAll();
  started.clear();
}

/** `npm ARGS` in `work`, in a process group of its own, killed after the test. */
function npm(work: string, args: string[]): Npm {
  const running = runNpm(work, args);
  started.add(running);
  return running;
}

/** A bound for a process to exit within, which does not keep the test runner alive once the process has. */
const within = (seconds: number) => sleep(seconds * 1000, ["timeout"] as const, { ref: false });

interface RawAnswer {
  /** The status, or undefined when the server closed or reset the connection without one. */
  status?: number;
  text: string;
}

/** One request with `target` written as it is on a socket to 127.0.0.1, bounded by 5 s. */
function rawGet(port: number, target: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : undefined, text });
    };
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no answer to ${target.slice(0, 80)} within 5 s`));
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", done);
    socket.on("error", () => undefined);
    // Not end(): a server may close a half-closed connection before its answer is written.
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

/** Requests `url` until it answers 200, or fails after `seconds`. */
async function ready(url: string, seconds: number, log: () => string): Promise<void> {
  for (const since = Date.now(); Date.now() - since < seconds * 1000; await sleep(200)) {
    if (
      (await fetch(url).then(
        (answer) => answer.status,
        () => 0,
      )) === 200
    )
      return;
  }
  throw new Error(`${url} did not answer 200 within ${seconds} s; the server said:\n${log()}`);
}

/** Sends every hostile path; each is refused or not found, leaks nothing, and the home page still answers. */
async function assertSurvives(port: number, home: string, log: () => string): Promise<void> {
  for (const target of hostile) {
    const label = target.length > 80 ? `${target.slice(0, 20)}… (${target.length} characters)` : target;
    const answer = await rawGet(port, target);
    const allowed = target.length > 4096 ? [undefined, 400, 414, 431] : [400, 404];
    assert.ok(allowed.includes(answer.status), `${label}: answered ${answer.status}\n${answer.text.slice(0, 300)}`);
    for (const secret of secrets) assert.not.match(answer.text, secret, `${label} leaked ${secret}`);
    const after = await fetch(home).then(
      (response) => response.status,
      (error: Error) => error.message,
    );
    assert.is(after, 200, `the home page after ${label}; the server said:\n${log().slice(-2000)}`);
  }
}

/** The addresses listening on TCP `port`, read from the kernel's socket tables (Linux). */
function listeningOn(port: number): string[] {
  const found: string[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const [, local = "", , state] = line.trim().split(/\s+/);
      const [hex = "", hexPort = ""] = local.split(":");
      if (state !== "0A" || Number.parseInt(hexPort, 16) !== port) continue;
      // Each 32-bit word is in the machine's byte order (little-endian).
      const bytes = hex.match(/.{8}/g)!.flatMap((word) =>
        word
          .match(/../g)!
          .reverse()
          .map((b) => Number.parseInt(b, 16)),
      );
      if (bytes.length === 4) found.push(bytes.join("."));
      else {
        const groups = bytes.flatMap((b, i) => (i % 2 ? [] : [((b << 8) | bytes[i + 1]!).toString(16)]));
        found.push(new URL(`http://[${groups.join(":")}]`).hostname.slice(1, -1));
      }
    }
  }
  return found;
}

/**
 * An IPv4 address of this machine other than loopback, if it has one: named in the warning, never connected to (the
 * tests send traffic to loopback alone; the socket table says which interfaces are listened on).
 */
const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((face) => face && !face.internal && face.family === "IPv4")?.address;

const warnings = [
  /^تنبيه: المسودات والمقالات المجدولة ظاهرة/m,
  /^Warning: drafts and scheduled articles are now visible/m,
];

const Start = suite("npm start: this machine only, and no request stops it or leaks a file");
Start.after(killStarted);

Start(
  "by default it listens on 127.0.0.1 alone, says nothing of networks, and survives every hostile path",
  async () => {
    const work = await project();
    const port = await freePort();
    const running = npm(work, ["start", "--", `--port=${port}`]);
    try {
      await ready(`http://127.0.0.1:${port}/`, 60, running.log);
      assert.equal(listeningOn(port), ["127.0.0.1"], "one listening socket, on loopback");
      for (const warning of warnings) assert.not.match(running.log(), warning);
      await assertSurvives(port, `http://127.0.0.1:${port}/`, running.log);
      assert.ok(running.child.exitCode === null, "still running");
    } finally {
      killStarted();
      await removeDir(work);
    }
  },
);

Start("--host 0.0.0.0 opens it to every interface and warns once, in Arabic and English", async () => {
  const work = await project();
  const port = await freePort();
  const running = npm(work, ["start", "--", `--port=${port}`, "--host", "0.0.0.0"]);
  try {
    await ready(`http://127.0.0.1:${port}/`, 60, running.log);
    assert.equal(listeningOn(port), ["0.0.0.0"]);
    for (const warning of warnings)
      assert.is(running.log().match(new RegExp(warning.source, "gm"))?.length, 1, `once: ${warning}`);
    if (otherAddress) assert.match(running.log(), `http://${otherAddress}:${port}/`, "names the address to open");
  } finally {
    killStarted();
    await removeDir(work);
  }
});

Start("a --host that is no address is one line and exit 1, before anything is built", async () => {
  const work = await project();
  try {
    for (const value of ["my-laptop", "300.1.1.1", ""]) {
      const running = npm(work, ["start", "--", "--host", value]);
      const [code] = await Promise.race([running.exited, within(30)]);
      assert.is(code, 1, running.log());
      assert.equal(running.errors(), [
        `--host must be an IP address of this machine, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every network), got "${value}"`,
      ]);
    }
    assert.not.ok(existsSync(path.join(work, ".cache/preview")), "nothing was built");
  } finally {
    killStarted();
    await removeDir(work);
  }
});

Start.run();

const Dist = suite("npm run serve:dist: the same hostile paths on a built site");
Dist.after(killStarted);

Dist("every hostile path is refused or not found, nothing leaks, and the server goes on", async () => {
  const work = await project();
  const port = await freePort();
  try {
    const build = npm(work, ["run", "build", "--", "--output", "site"]);
    const [code] = await Promise.race([build.exited, within(90)]);
    assert.is(code, 0, build.log());
    const running = npm(work, ["run", "serve:dist", "--", "--port", String(port), "--dir", "site"]);
    await ready(`http://127.0.0.1:${port}/`, 30, running.log);
    assert.equal(listeningOn(port), ["127.0.0.1"]);
    await assertSurvives(port, `http://127.0.0.1:${port}/`, running.log);
  } finally {
    killStarted();
    await removeDir(work);
  }
});

Dist.run();

const Paths = suite("checkRequestPath");

Paths("accepts the paths a browser sends and refuses the rest, saying why", () => {
  for (const ok of ["/", "/politics/", "/2022/01/one/?q=%2e%2e", "/%D8%A8%D8%AD%D8%AB/", "/.11ty/reload-client.js"])
    assert.ok(checkRequestPath(ok).ok, ok);
  const reasons = hostile.map((target) => {
    const verdict = checkRequestPath(target);
    return verdict.ok ? `accepted ${target}` : verdict.reason;
  });
  const accepted = reasons.filter((reason) => reason.startsWith("accepted"));
  assert.equal(accepted, ["accepted /.cache/secret.txt", "accepted /articles/2022/01/one.md"], "not found instead");
  assert.equal(checkRequestPath("/%c0%ae"), { ok: false, status: 400, reason: "is not valid percent-encoded UTF-8" });
  assert.equal(checkRequestPath("/a%2fb"), { ok: false, status: 400, reason: "holds an encoded slash or backslash" });
  assert.equal(checkRequestPath("*"), { ok: false, status: 400, reason: "is not a path starting with /" });
});

Paths.run();
