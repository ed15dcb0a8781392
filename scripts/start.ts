import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import Eleventy from "@11ty/eleventy";
import { describeFailure, FixableError, wantsVerbose } from "../src/build/failure.ts";
import { exitCodeOf, InterruptedError, watchForInterruption } from "../src/build/interruption.ts";
import {
  canonicalAddress,
  guardPreview,
  hostFault,
  isLoopback,
  listeningAddress,
  listenOnlyOn,
  loopback,
  networkWarning,
} from "../src/build/preview-server.ts";
import { readOptions, stop } from "./command-line.ts";

/**
 * `npm start`: Eleventy's dev server with live reload, building into `.cache/preview/` (never
 * `_site/`). It runs Eleventy as Eleventy's command line does for `--serve`, with `.eleventy.ts`
 * as the configuration (the run mode, `serve`, makes it preview drafts and show article problems
 * in the pages), but a port in use stops it with one line instead of moving the server to the
 * next port, and Ctrl-C or SIGTERM close the server and the file watcher and exit (130, 143).
 * It listens on this machine only (127.0.0.1), as the preview shows drafts and embargoed articles; `--host`
 * opens it to another interface, with a warning. Paths that could lead out of the preview folder get a 400.
 *   npm start [-- --port 8080 --output .cache/preview --host 127.0.0.1 --verbose]
 */
/** Why `host:port` cannot be served on, and what to run instead. */
function portFailure(host: string, port: number, error: NodeJS.ErrnoException): FixableError {
  if (error.code === "EADDRNOTAVAIL")
    return new FixableError(
      `cannot serve on ${host}: it is not an address of this machine; give one it has with --host (\`ip -brief address\` lists them), or leave --host out to serve on this machine only`,
      { cause: error },
    );
  const another = (suggested: number) => `choose another port: npm start -- --port ${suggested}`;
  const next = port < 65535 ? port + 1 : port - 1;
  const reason =
    error.code === "EADDRINUSE"
      ? `it is already in use by another program (an earlier npm start?); stop that program, or ${another(next)}`
      : error.code === "EACCES"
        ? `ports below 1024 need administrator rights; ${another(8080)}`
        : `${error.message}; ${another(next)}`;
  return new FixableError(`cannot serve on port ${port}: ${reason}`, { cause: error });
}

/**
 * Takes `port` on `host`, as the dev server will, and holds it until the first build is
 * done: a port in use is found at once rather than after the build, and nothing can take it
 * meanwhile (Eleventy's server would move to the next free port without a word). A browser that
 * asks in the meantime is told to wait.
 */
async function holdPort(host: string, port: number): Promise<() => Promise<void>> {
  const holder = http.createServer((_request, response) => {
    response
      .writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "2" })
      .end("The first build is under way; reload in a moment.\n");
  });
  await new Promise<void>((resolve, reject) =>
    holder.once("error", (error) => reject(portFailure(host, port, error))).listen({ port, host }, resolve),
  );
  return () =>
    new Promise<void>((resolve) => {
      holder.close(() => resolve());
      holder.closeAllConnections();
    });
}

const values = readOptions("start", {
  port: { type: "string", default: "8080" },
  output: { type: "string", default: ".cache/preview" },
  host: { type: "string", default: loopback },
  verbose: { type: "boolean", default: false },
});
const verbose = wantsVerbose();
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port < 1 || port > 65535)
  stop(`--port must be a port number from 1 to 65535, got "${values.port}"`);
const fault = hostFault(values.host);
if (fault) stop(fault);
const host = canonicalAddress(values.host);

const interruption = watchForInterruption((signal) => {
  console.error(`Stopped at once (${signal} again).`);
  process.exit(exitCodeOf(signal));
});
// As on the command line, the output folder given wins over the configuration's `dir.output` (`_site`).
const eleventy = new Eleventy(undefined, values.output, {
  source: "cli",
  runMode: "serve",
  configPath: ".eleventy.ts",
  config: guardPreview,
});
// A failed first build is reported once, below, as npm run build reports it, not also in Eleventy's
// wording with a stack; once serving, Eleventy reports the errors of the builds after an edit itself.
if (!verbose)
  eleventy.logger.overrideLogger({ log: console.log, info: console.info, warn: console.warn, error: () => undefined });
try {
  const releasePort = await interruption.race(holdPort(host, port));
  await interruption.race(eleventy.init());
  listenOnlyOn(eleventy, host);
  await interruption.race(eleventy.watch());
  eleventy.logger.overrideLogger(undefined);
  await releasePort();
  await eleventy.serve(port);
  // Fails closed: a dev server that found another way to listen would show the drafts to the network unsaid.
  const listening = await interruption.race(listeningAddress(eleventy));
  if (canonicalAddress(listening.address) !== host)
    throw new Error(`the dev server listens on ${listening.address}, not ${host}: report this as a midad bug`);
  if (!isLoopback(host)) console.warn(networkWarning(host, listening.port));
  // Serves, and builds on every change, until a signal comes.
  await interruption.race(new Promise<never>(() => undefined));
} catch (error) {
  if (!(error instanceof InterruptedError)) {
    console.error(describeFailure(error, { verbose }));
    process.exit(1);
  }
  // Closing tells open pages the server went away. Before Eleventy's init there is nothing to close, and a
  // page that never answers the WebSocket's close (a frozen tab) would hold it for 30 s: the exit closes the rest.
  await Promise.race([eleventy.stopWatch().catch(() => undefined), sleep(1000)]);
  console.log(`Stopped (${error.signal}): the dev server and its file watcher are closed.`);
  process.exit(exitCodeOf(error.signal));
}
