import type http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { networkInterfaces } from "node:os";
import { checkRequestPath } from "../checks/request-path.ts";

/**
 * What `npm start` adds to Eleventy's dev server, which shows drafts and embargoed articles: it listens on this
 * machine only unless `--host` says otherwise, and no request can make it throw (and stop) or answer with a file
 * from outside the preview folder. Kept even when @11ty/eleventy-dev-server fixes its issue 150.
 */

/** The address `npm start` listens on without `--host`: this machine only. */
export const loopback = "127.0.0.1";

/** Why `value` cannot be given to `--host`, or undefined when it can. */
export function hostFault(value: string): string | undefined {
  if (value === "localhost" || net.isIP(value) !== 0) return undefined;
  return `--host must be an IP address of this machine, such as ${loopback} (this machine only) or 0.0.0.0 (every network), got "${value}"`;
}

/** An address in the form Node reports it (`::` for `::0`, `127.0.0.1` for `localhost`), to compare two. */
export function canonicalAddress(address: string): string {
  if (address === "localhost") return loopback;
  return net.isIPv6(address) ? new URL(`http://[${address}]`).hostname.slice(1, -1) : address;
}

/** Whether only this machine can reach `host` (127.0.0.0/8 or ::1). */
export function isLoopback(host: string): boolean {
  const address = canonicalAddress(host);
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

/** The page's address on `host`, brackets around an IPv6 one. */
export function previewUrl(host: string, port: number): string {
  return `http://${net.isIPv6(host) ? `[${host}]` : host}:${port}/`;
}

/** Said once when `--host` opens the preview to a network: in Arabic and English, with the way back. */
export function networkWarning(host: string, port: number): string {
  // 0.0.0.0 and :: are every interface: the addresses a phone would use are this machine's own.
  const every = canonicalAddress(host) === "0.0.0.0" || canonicalAddress(host) === "::";
  const own = Object.values(networkInterfaces())
    .flat()
    .filter((face) => face && !face.internal && face.family === "IPv4")
    .map((face) => previewUrl(face!.address, port));
  const url = every ? own.join(" ") || previewUrl("<this machine's address>", port) : previewUrl(host, port);
  return [
    `تنبيه: المسودات والمقالات المجدولة ظاهرة الآن لكل جهاز على الشبكة عبر ${url}؛ شغّل npm start دون --host لتبقى على هذا الجهاز وحده.`,
    `Warning: drafts and scheduled articles are now visible to every device on that network at ${url}; run npm start without --host to keep them on this machine only.`,
  ].join("\n");
}

/**
 * A middleware for Eleventy's dev server (`setServerOptions({ middleware })`), run before it maps a path to a
 * file: a path `checkRequestPath` refuses gets its status and one line, and an error of a layer below (such as
 * the dev server's uncaught `Invalid path`) is answered with a 500 instead of ending the process.
 */
export async function previewGuard(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  next: () => unknown,
): Promise<void> {
  const verdict = checkRequestPath(request.url ?? "/");
  if (!verdict.ok) {
    response
      .writeHead(verdict.status, { "Content-Type": "text/plain; charset=utf-8" })
      .end(`${verdict.status}: the preview does not serve this path: it ${verdict.reason}\n`);
    return;
  }
  try {
    await next();
  } catch (error) {
    console.error(`The preview could not serve ${request.url?.slice(0, 200)}: ${(error as Error).message}`);
    if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
    response.end();
  }
}

/** The same options on every configuration load: Eleventy restarts its dev server when they change. */
const serverOptions = Object.freeze({ middleware: Object.freeze([previewGuard]) });

/** Puts `previewGuard` in front of the dev server: for the Eleventy constructor's `config` option. */
export function guardPreview(eleventyConfig: object): void {
  (eleventyConfig as { setServerOptions(options: object): void }).setServerOptions(serverOptions);
}

/** The parts of Eleventy's server layer (`EleventyServe`) and dev server this module relies on. */
interface ServeLayer {
  initServerInstance(): Promise<void>;
  server: { server: http.Server; _serverListen(port: number): void; ready(): Promise<void> };
}

function serveLayer(eleventy: object): ServeLayer {
  const layer = (eleventy as { eleventyServe?: ServeLayer }).eleventyServe;
  if (!layer) throw new Error("Eleventy has no server layer yet: call this after eleventy.init()");
  return layer;
}

/**
 * Makes every dev server Eleventy creates (one, and another after a restart for changed server options) listen
 * on `host` alone: @11ty/eleventy-dev-server 2.1 takes no host option and listens with `listen({ port })`, on
 * every interface. Call after `eleventy.init()` and before `eleventy.serve()`; `listeningAddress` confirms it.
 */
export function listenOnlyOn(eleventy: object, host: string): void {
  const layer = serveLayer(eleventy);
  const create = layer.initServerInstance.bind(layer);
  layer.initServerInstance = async () => {
    await create();
    const dev = layer.server;
    dev._serverListen = (port) => dev.server.listen({ port, host });
  };
}

/** The address and port the dev server listens on, once it does. */
export async function listeningAddress(eleventy: object): Promise<AddressInfo> {
  const dev = serveLayer(eleventy).server;
  await dev.ready();
  return dev.server.address() as AddressInfo;
}
