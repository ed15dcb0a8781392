import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { headersFor, parseHeaders } from "../publish/headers.ts";

export interface StaticServerOptions {
  /** The built site, such as `_site`. */
  dir: string;
  /** The folder the site is served under, `/` or like `/news/`. */
  pathPrefix: string;
  /** Told one line per request (`GET /politics/ 200`); nothing is logged without it. */
  log?: (line: string) => void;
}

const mediaTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".avif": "image/avif",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
};

/** Pre-compressed siblings (`page.html.br`, `page.html.gz`), in the order they are preferred. */
const compressed = [
  { encoding: "br", suffix: ".br" },
  { encoding: "gzip", suffix: ".gz" },
] as const;
/** Files a static host reads as configuration and never serves. */
const hostFiles = new Set(["_headers", "_redirects"]);

/** The content codings an `Accept-Encoding` header allows (`q=0` refuses one; `*` stands for any other). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  const refused = new Set<string>();
  let any = false;
  for (const part of (header ?? "").split(",")) {
    const [name = "", ...parameters] = part.trim().toLowerCase().split(";");
    const q = Number(
      parameters
        .map((p) => p.trim())
        .find((p) => p.startsWith("q="))
        ?.slice(2) ?? "1",
    );
    if (name === "") continue;
    if (q <= 0) refused.add(name);
    else if (name === "*") any = true;
    else accepted.add(name);
  }
  if (any) for (const { encoding } of compressed) if (!refused.has(encoding)) accepted.add(encoding);
  return accepted;
}

async function fileSize(file: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  const found = await stat(file).catch(() => undefined);
  return found?.isFile() ? found : undefined;
}

/**
 * Serves a build as a static host does, to check it before it ships: `index.html` for a folder
 * (and a redirect to the trailing slash), the site's `404.html` with status 404, a `.br` or `.gz`
 * sibling when the client accepts it, the headers of `_headers`, and revalidation by ETag.
 */
export function createStaticServer(options: StaticServerOptions): http.Server {
  const root = path.resolve(options.dir);
  const prefix = options.pathPrefix;

  async function send(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    file: string,
    status: number,
    pathname: string,
  ): Promise<void> {
    const accepted = acceptedEncodings(request.headers["accept-encoding"]);
    let chosen = { file, encoding: undefined as string | undefined, info: await fileSize(file) };
    for (const { encoding, suffix } of compressed) {
      const info = accepted.has(encoding) ? await fileSize(file + suffix) : undefined;
      if (info) {
        chosen = { file: file + suffix, encoding, info };
        break;
      }
    }
    const { info } = chosen;
    if (!info) throw new Error(`${file} disappeared while it was being served`);
    const etag = `"${chosen.encoding ?? "identity"}-${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}"`;
    response.setHeader("Content-Type", mediaTypes[path.extname(file).toLowerCase()] ?? "application/octet-stream");
    response.setHeader("Vary", "Accept-Encoding");
    response.setHeader("ETag", etag);
    if (chosen.encoding) response.setHeader("Content-Encoding", chosen.encoding);
    const rules = await readFile(path.join(root, "_headers"), "utf8").then(parseHeaders, () => []);
    for (const [name, value] of headersFor(rules, pathname)) response.setHeader(name, value);
    if (status === 200 && request.headers["if-none-match"]?.split(/\s*,\s*/).includes(etag)) {
      response.writeHead(304).end();
      return;
    }
    response.setHeader("Content-Length", info.size);
    response.writeHead(status);
    if (request.method === "HEAD") return void response.end();
    createReadStream(chosen.file).pipe(response);
  }

  async function notFound(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    pathname: string,
  ): Promise<void> {
    const page = path.join(root, "404.html");
    if (await fileSize(page)) return send(request, response, page, 404, pathname);
    response
      .writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
      .end("404: not found, and the build has no 404.html\n");
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const url = new URL(request.url ?? "/", "http://localhost");
    if (prefix !== "/" && (url.pathname === "/" || `${url.pathname}/` === prefix)) {
      response.writeHead(302, { Location: prefix }).end();
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      response.writeHead(400).end();
      return;
    }
    const file = path.join(root, relative);
    const inside = file === root || file.startsWith(root + path.sep);
    if (!url.pathname.startsWith(prefix) || !inside || hostFiles.has(path.relative(root, file)))
      return notFound(request, response, url.pathname);
    const found = await stat(file).catch(() => undefined);
    if (found?.isDirectory()) {
      if (!url.pathname.endsWith("/")) {
        response.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
        return;
      }
      const index = path.join(file, "index.html");
      return (await fileSize(index))
        ? send(request, response, index, 200, url.pathname)
        : notFound(request, response, url.pathname);
    }
    return found?.isFile()
      ? send(request, response, file, 200, url.pathname)
      : notFound(request, response, url.pathname);
  }

  return http.createServer((request, response) => {
    response.on("finish", () => options.log?.(`${request.method} ${request.url} ${response.statusCode}`));
    handle(request, response).catch((error: Error) => {
      options.log?.(`error serving ${request.url}: ${error.message}`);
      if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      response.end();
    });
  });
}

/** A built site served as a static host serves it (`npm run serve:dist`'s server) on a free loopback port. */
export async function serveSite(
  dir: string,
  pathPrefix = "/",
): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createStaticServer({ dir, pathPrefix });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
