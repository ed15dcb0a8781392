import { parseArgs } from "node:util";
import site from "../site.config.ts";
import { resolveSiteConfig } from "../src/config.ts";
import { createStaticServer } from "../src/static-server.ts";

/**
 * `npm run serve:dist`: serves the built `_site/` as a static host would (pre-compressed files,
 * the 404 page, the `_headers` file, under the path prefix), to check a build before it ships.
 *   npm run serve:dist [-- --dir _site --port 8080 --host 127.0.0.1]
 */
const { values } = parseArgs({ options: {
  dir: { type: "string", default: "_site" },
  port: { type: "string", default: "8080" },
  host: { type: "string", default: "127.0.0.1" },
} });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number from 0 to 65535, got "${values.port}"`);
  process.exit(1);
}
const { pathPrefix } = resolveSiteConfig(site);
const server = createStaticServer({ dir: values.dir, pathPrefix, log: (line) => console.log(line) });
server.on("error", (error) => {
  console.error(`cannot serve on ${values.host}:${port}: ${error.message}; choose another with --port`);
  process.exit(1);
});
server.listen(port, values.host, () => {
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  console.log(`Serving ${values.dir} at http://${values.host}:${bound}${pathPrefix} (Ctrl+C stops)`);
});
