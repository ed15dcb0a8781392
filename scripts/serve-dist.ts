import site from "../site.config.ts";
import { describeFailure, wantsVerbose } from "../src/build/failure.ts";
import { exitCodeOf } from "../src/build/interruption.ts";
import { createStaticServer } from "../src/checks/static-server.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { builtSite, readOptions, stop } from "./command-line.ts";

/**
 * `npm run serve:dist`: serves the built `_site/` as a static host would (pre-compressed files,
 * the 404 page, the `_headers` file, under the path prefix), to check a build before it ships.
 * Ctrl-C or SIGTERM stop it (exit 130, 143).
 *   npm run serve:dist [-- --dir _site --port 8080 --host 127.0.0.1 --verbose]
 */

/** Why `host:port` cannot be listened on, and what to run instead. */
function listenFailure(host: string, port: number, error: NodeJS.ErrnoException): string {
  const another = (suggested: number) => `choose another with --port, as in npm run serve:dist -- --port ${suggested}`;
  const reason =
    error.code === "EADDRINUSE"
      ? `port ${port} is already in use by another program; ${another(port < 65535 ? port + 1 : port - 1)}`
      : error.code === "EACCES"
        ? `ports below 1024 need administrator rights; ${another(8080)}`
        : error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND"
          ? `${host} is not a name or address of this machine; give one with --host, such as 127.0.0.1`
          : `${error.message}; ${another(8080)}`;
  return `cannot serve on ${host}:${port}: ${reason}`;
}

const values = readOptions("serve:dist", {
  dir: { type: "string", default: "_site" },
  port: { type: "string", default: "8080" },
  host: { type: "string", default: "127.0.0.1" },
  verbose: { type: "boolean", default: false },
});
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535)
  stop(`--port must be a port number from 0 to 65535, got "${values.port}"`);
builtSite(values.dir);
let pathPrefix: string;
try {
  ({ pathPrefix } = resolveSiteConfig(site));
} catch (error) {
  stop(describeFailure(error, { verbose: wantsVerbose() }));
}
const server = createStaticServer({ dir: values.dir, pathPrefix, log: (line) => console.log(line) });
server.on("error", (error) => stop(listenFailure(values.host, port, error)));
server.listen(port, values.host, () => {
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  console.log(`Serving ${values.dir} at http://${values.host}:${bound}${pathPrefix} (Ctrl+C stops)`);
});
// Exiting closes the server and every connection: nothing else is left to clean up.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.log(`Stopped serving ${values.dir} (${signal}).`);
    process.exit(exitCodeOf(signal));
  });
}
