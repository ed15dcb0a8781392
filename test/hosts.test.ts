import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import site from "../site.config.ts";
import { type HeaderRule, headersFor, parseHeaders } from "../src/publish/headers.ts";
import { caddyConfig, nginxConfig, type ServerConfigOptions } from "../src/publish/server-config.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { removeDir, runScript, writeArticles, writeSite } from "./helpers/build.ts";
import { buildTime, newsroomArticles, newsroomSite } from "./helpers/newsroom.ts";

/** What the servers need, from Debian's packages (scripts/ensure-packages.sh installs them). */
const programs = {
  nginx: "/usr/sbin/nginx",
  brotli: "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so",
  caddy: "/usr/bin/caddy",
};
type Server = "nginx" | "caddy";
const servers: Server[] = ["nginx", "caddy"];

interface Running {
  child: ChildProcess;
  port: number;
  /** What the server said on stderr, for failures. */
  log: () => string;
}

interface Context {
  articles: string;
  output: string;
  /** The servers' own folders: configuration, pid file, logs, Caddy's home. */
  work: string;
  rules: HeaderRule[];
  running: Map<Server, Running>;
  /** Why the servers could not start: every test fails with it (uvu would swallow an error thrown in `before`). */
  failure?: Error;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Names and values as sent, repeated names included. */
  raw: string[];
  body: Buffer;
}

/** One request on its own connection, with exactly the Accept-Encoding given (none: identity), bounded by 5 s. */
function request(port: number, pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const call = http.get({ host: "127.0.0.1", port, path: pathname, headers, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          raw: res.rawHeaders,
          body: Buffer.concat(chunks),
        }),
      );
    });
    call.on("timeout", () => call.destroy(new Error(`no answer for ${pathname} within 5 s`)));
    call.on("error", reject);
  });
}

/** Starts a server and waits, at most 10 s, until it answers; a server that exits first fails with its output. */
async function start(command: string, args: string[], port: number, env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], env });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const running = { child, port, log: () => stderr };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before answering:\n${stderr}`);
    if (
      await request(port, "/").then(
        () => true,
        () => false,
      )
    )
      return running;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop(running);
  throw new Error(`${command} did not answer on 127.0.0.1:${port} within 10 s:\n${stderr}`);
}

/** Stops a server: SIGTERM, then SIGKILL if it is still running 5 s later. */
async function stop({ child }: Running): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** nginx with a minimal main configuration around the generated text, everything in `dir`. */
function startNginx(dir: string, config: string, port: number): Promise<Running> {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((name) => `${name}_temp_path ${dir}/${name};`);
  const main = [
    // As root (CI), workers would otherwise run as nobody, who cannot read the private temporary folders.
    ...(process.getuid?.() === 0 ? ["user root;"] : []),
    `load_module ${programs.brotli};`,
    `pid ${dir}/nginx.pid;`,
    "events {}",
    "http {",
    "include /etc/nginx/mime.types;",
    "default_type application/octet-stream;",
    "access_log off;",
    ...temp,
    config,
    "}",
  ];
  writeFileSync(path.join(dir, "nginx.conf"), main.join("\n"));
  return start(programs.nginx, ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", "stderr", "-g", "daemon off;"], port, {});
}

/** Caddy without its admin endpoint or automatic HTTPS, its home and state in `dir`. */
function startCaddy(dir: string, config: string, port: number): Promise<Running> {
  const file = path.join(dir, "Caddyfile");
  writeFileSync(file, `{\n\tadmin off\n\tauto_https off\n}\n\n${config}`);
  const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir };
  return start(programs.caddy, ["run", "--config", file, "--adapter", "caddyfile"], port, env);
}

/** Builds the sample newsroom for `host` under `pathPrefix`, then starts nginx and Caddy on it with `configOf`'s text. */
function hostSuite(
  title: string,
  pathPrefix: string,
  configOf: (server: Server, options: ServerConfigOptions) => string,
) {
  const test = suite<Context>(title);
  test.before(async (context) => {
    context.running = new Map();
    context.articles = await writeArticles(await newsroomArticles());
    context.output = await mkdtemp(path.join(tmpdir(), "midad-hosts-"));
    context.work = await mkdtemp(path.join(tmpdir(), "midad-servers-"));
    try {
      for (const [name, file] of Object.entries(programs))
        if (!existsSync(file))
          throw new Error(`${name} is not installed (no ${file}): run \`sh scripts/ensure-packages.sh\` (as root)`);
      await writeSite(context.articles, context.output, {
        site: { ...newsroomSite, pathPrefix, host: "nginx" },
        buildTime,
      });
      // Hidden files are never served, whatever their name.
      writeFileSync(path.join(context.output, ".secret"), "not for readers\n");
      context.rules = parseHeaders(readFileSync(path.join(context.output, "_headers"), "utf8"));
      for (const server of servers) {
        const port = await freePort();
        const options = { rules: context.rules, root: context.output, pathPrefix, listen: `127.0.0.1:${port}` };
        const dir = path.join(context.work, server);
        await mkdir(dir);
        const config = configOf(server, options);
        const starter = server === "nginx" ? startNginx : startCaddy;
        context.running.set(server, await starter(dir, config, port));
      }
    } catch (error) {
      context.failure = error as Error;
    }
  });
  test.after(async (context) => {
    for (const running of context.running.values()) await stop(running);
    await removeDir(context.articles);
    await removeDir(context.output);
    await removeDir(context.work);
  });
  return test;
}

/** The file a served path comes from, as the build wrote it. */
const fileOf = (context: Context, relative: string) =>
  readFileSync(
    path.join(context.output, relative.endsWith("/") || relative === "" ? `${relative}index.html` : relative),
  );
const ready = (context: Context, server: Server): number => {
  if (context.failure) throw context.failure;
  return context.running.get(server)!.port;
};
/** How many times a header was sent: Node keeps only the first of repeated Content-Types. */
const times = (answer: Answer, name: string) =>
  answer.raw.filter((field, index) => index % 2 === 0 && field.toLowerCase() === name).length;

/**
 * The answer for `pathname` has each header `_headers` gives it, once and with the same value, and none of the
 * others `_headers` names (Content-Type aside: the server names a type for every file).
 */
function assertHeaders(answer: Answer, rules: HeaderRule[], pathname: string): void {
  const expected = headersFor(rules, pathname);
  const names = new Set(rules.flatMap((rule) => rule.headers.map(([name]) => name.toLowerCase())));
  for (const name of names) {
    if (name === "content-type" && !expected.has(name)) continue;
    assert.is(answer.headers[name], expected.get(name), `${pathname}: ${name}`);
    assert.is(times(answer, name), expected.has(name) ? 1 : 0, `${pathname}: ${name} sent once`);
  }
}

/** The same checks of nginx and of Caddy, for a site under `prefix`. */
function checkServers(test: ReturnType<typeof hostSuite>, prefix: string) {
  for (const server of servers) {
    test(`${server}: pages are UTF-8 HTML, sent as br, gzip or as they are, as the reader accepts`, async (context) => {
      const port = ready(context, server);
      for (const page of ["", "2022/01/lead-story/", "politics/"]) {
        const file = fileOf(context, page);
        const plain = await request(port, prefix + page);
        assert.is(plain.status, 200, page);
        assert.is(plain.headers["content-type"], "text/html; charset=utf-8", page);
        assert.is(plain.headers["content-encoding"], undefined, page);
        assert.ok(plain.body.equals(file), `${page}: the file's bytes`);
        const br = await request(port, prefix + page, { "Accept-Encoding": "br, gzip" });
        assert.is(br.headers["content-encoding"], "br", page);
        assert.is(br.headers["content-type"], "text/html; charset=utf-8", `${page}: the sibling is HTML too`);
        assert.ok(brotliDecompressSync(br.body).equals(file), `${page}: br decompresses to the file`);
        const gzip = await request(port, prefix + page, { "Accept-Encoding": "gzip" });
        assert.is(gzip.headers["content-encoding"], "gzip", page);
        assert.ok(gunzipSync(gzip.body).equals(file), `${page}: gzip decompresses to the file`);
        for (const answer of [plain, br, gzip]) assert.match(String(answer.headers.vary), /Accept-Encoding/i, page);
      }
    });

    test(`${server}: every response carries exactly the headers _headers gives its path`, async (context) => {
      const port = ready(context, server);
      const image = readdirSync(path.join(context.output, "img")).find((name) => name.endsWith(".jpeg"))!;
      const logo = readdirSync(path.join(context.output, "assets")).find((name) => name.startsWith("logo"))!;
      const paths = [
        "",
        "politics/",
        "search/",
        `img/${image}`,
        `assets/${logo}`,
        "feed.xml",
        "tags/kazakhstan/feed.json",
      ];
      for (const relative of paths) {
        const answer = await request(port, prefix + relative, { "Accept-Encoding": "br" });
        assert.is(answer.status, 200, relative);
        assert.ok(headersFor(context.rules, prefix + relative).size >= 3, `${relative}: _headers has headers for it`);
        assertHeaders(answer, context.rules, prefix + relative);
      }
      const policy = async (relative: string) =>
        String((await request(port, prefix + relative)).headers["content-security-policy"]);
      assert.match(await policy("search/"), "script-src 'self' 'wasm-unsafe-eval'");
      assert.not.match(await policy("politics/"), "script-src");
      const cache = async (relative: string) => (await request(port, prefix + relative)).headers["cache-control"];
      assert.is(await cache(`img/${image}`), "public, max-age=31536000, immutable");
      assert.is(await cache(`assets/${logo}`), "public, max-age=31536000, immutable");
      assert.is(await cache("2022/01/lead-story/"), "public, max-age=60, must-revalidate");
    });

    test(`${server}: feeds and sitemaps have _headers' Content-Type, once, compressed or not`, async (context) => {
      const port = ready(context, server);
      const types = {
        "feed.xml": "application/atom+xml; charset=utf-8",
        "tags/kazakhstan/feed.json": "application/feed+json; charset=utf-8",
        "sitemap.xml": "application/xml; charset=utf-8",
        "robots.txt": "text/plain; charset=utf-8",
      };
      for (const [relative, type] of Object.entries(types)) {
        for (const encoding of ["", "br", "gzip"]) {
          const answer = await request(port, prefix + relative, encoding ? { "Accept-Encoding": encoding } : {});
          assert.is(answer.status, 200, relative);
          assert.is(answer.headers["content-type"], type, `${relative} ${encoding}`);
          assert.is(times(answer, "content-type"), 1, `${relative} ${encoding}: one Content-Type`);
        }
      }
    });

    test(`${server}: a missing path gets the 404 page; _headers and hidden files are never served`, async (context) => {
      const port = ready(context, server);
      const page = readFileSync(path.join(context.output, "404.html"));
      const missing = await request(port, `${prefix}no/such/page/`);
      assert.is(missing.status, 404);
      assert.ok(missing.body.equals(page), "the site's 404 page");
      assert.is(missing.headers["content-type"], "text/html; charset=utf-8");
      assertHeaders(missing, context.rules, `${prefix}no/such/page/`);
      const compressed = await request(port, `${prefix}no-such-file.html`, { "Accept-Encoding": "br" });
      assert.is(compressed.status, 404);
      assert.ok(brotliDecompressSync(compressed.body).equals(page), "its br sibling");
      for (const hidden of ["_headers", ".secret", "img/"]) {
        const answer = await request(port, prefix + hidden);
        assert.is(answer.status, 404, hidden);
        assert.ok(answer.body.equals(page), `${hidden}: the 404 page`);
        assertHeaders(answer, context.rules, prefix + hidden);
      }
      if (prefix !== "/") assert.is((await request(port, "/elsewhere/")).status, 404, "outside the prefix");
    });

    test(`${server}: a folder without its slash redirects to it; a revalidation keeps the headers`, async (context) => {
      const port = ready(context, server);
      const origin = `http://127.0.0.1:${port}`;
      const folders = prefix === "/" ? ["politics"] : ["politics", ""];
      for (const folder of folders) {
        const from = `${prefix}${folder}`.replace(/\/$/, "");
        const answer = await request(port, from);
        assert.ok([301, 302, 307, 308].includes(answer.status), `${from}: ${answer.status}`);
        assert.is(new URL(String(answer.headers.location), origin + from).href, `${origin}${from}/`);
      }
      const page = await request(port, `${prefix}politics/`);
      assert.ok(page.headers.etag, "an ETag to revalidate with");
      const again = await request(port, `${prefix}politics/`, { "If-None-Match": String(page.headers.etag) });
      assert.is(again.status, 304);
      assert.is(again.headers["cache-control"], "public, max-age=60, must-revalidate");
      assert.is(again.headers["content-security-policy"], page.headers["content-security-policy"]);
    });
  }
}

const Prefixed = hostSuite("nginx and Caddy serving a build under /news/", "/news/", (server, options) =>
  server === "nginx" ? nginxConfig(options) : caddyConfig(options),
);
checkServers(Prefixed, "/news/");
Prefixed.run();

/** `npm run host-config`, run as a script, for the prefix site.config.ts gives. */
function hostConfig(args: string[]) {
  return runScript("host-config", args, { timeout: 60_000 });
}
const sitePrefix = resolveSiteConfig(site).pathPrefix;
const Script = hostSuite(
  `npm run host-config's configurations, serving a build under ${sitePrefix}`,
  sitePrefix,
  (server, { root, listen }) => {
    const run = hostConfig(["--host", server, "--site", root, "--listen", listen!]);
    if (run.status !== 0) throw new Error(`npm run host-config -- --host ${server} failed: ${run.stderr}`);
    return run.stdout;
  },
);
checkServers(Script, sitePrefix);

Script("npm run host-config: what generated the configuration, and how to install it, at its top", (context) => {
  ready(context, "nginx");
  const nginx = hostConfig(["--host", "nginx", "--site", context.output, "--root", "/srv/midad/_site"]);
  assert.is(nginx.status, 0, nginx.stderr);
  assert.match(nginx.stdout, /^# Generated by midad's `npm run host-config -- --host nginx`/);
  assert.match(nginx.stdout, "deployed in /srv/midad/_site, served under");
  assert.match(nginx.stdout, "/etc/nginx/sites-available/");
  assert.match(nginx.stdout, "libnginx-mod-http-brotli-static");
  assert.match(nginx.stdout, 'alias "/srv/midad/_site/";');
  const caddy = hostConfig(["--host", "caddy", "--site", context.output]);
  assert.is(caddy.status, 0, caddy.stderr);
  assert.match(caddy.stdout, "Caddyfile");
  assert.match(caddy.stdout, "Generate it again after every build that changes _headers");
  assert.match(caddy.stdout, `root * "${context.output}"`);
});

Script(
  "npm run host-config: a missing build and a host without a server configuration are one line, exit 1",
  (context) => {
    const missing = hostConfig(["--host", "nginx", "--site", path.join(context.work, "no-build")]);
    assert.is(missing.status, 1);
    assert.is(missing.stdout, "");
    assert.match(missing.stderr, /^there is no _headers in .*no-build: run `npm run build -- --host nginx` first/);
    assert.is(missing.stderr.trim().split("\n").length, 1, missing.stderr);
    const pages = hostConfig(["--host", "github-pages", "--site", context.output]);
    assert.is(pages.status, 1);
    assert.match(pages.stderr, /^--host is github-pages, which takes no server configuration: .*nginx and caddy only/);
    assert.match(pages.stderr, "Cloudflare Pages and Netlify read the build's _headers themselves");
    assert.is(pages.stderr.trim().split("\n").length, 1, pages.stderr);
  },
);

Script.run();
