import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import site from "../site.config.ts";
import { describeFailure, wantsVerbose } from "../src/build/failure.ts";
import { parseHeaders } from "../src/publish/headers.ts";
import { caddyConfig, nginxConfig } from "../src/publish/server-config.ts";
import { resolveSiteConfig, type SiteConfig } from "../src/site/config.ts";
import { hostNames, hostProfiles, isHostName } from "../src/site/hosts.ts";
import { readOptions, stop } from "./command-line.ts";

/**
 * `npm run host-config`: prints the whole configuration of an nginx server or a Caddy site for a built site
 * (its `_headers`, its `.br`/`.gz` siblings, its 404 page, its path prefix), to install on the server (docs/hosts.md).
 *   npm run host-config -- --host nginx|caddy [--site _site --root DIR --listen ADDR --server-name NAME]
 */
const values = readOptions("host-config", {
  host: { type: "string" },
  site: { type: "string", default: "_site" },
  root: { type: "string" },
  listen: { type: "string" },
  "server-name": { type: "string" },
});
let config: SiteConfig;
try {
  config = resolveSiteConfig(site);
} catch (error) {
  stop(describeFailure(error, { verbose: wantsVerbose() }));
}
const servers = hostNames.filter((name) => hostProfiles[name].serverConfig);
const host = values.host ?? config.host;
const given = values.host === undefined ? "site.config.ts' host" : "--host";
if (!isHostName(host)) stop(`${given} ${host} is not a host midad knows: give --host ${servers.join(" or --host ")}`);
const profile = hostProfiles[host];
if (!profile.serverConfig) {
  const readers = hostNames.filter((name) => hostProfiles[name].headersFile && !hostProfiles[name].serverConfig);
  stop(
    `${given} is ${host}, which takes no server configuration: host-config writes one for ${servers.join(" and ")} only (--host ${servers.join("|")}), and ${readers.map((name) => hostProfiles[name].label).join(" and ")} read the build's _headers themselves`,
  );
}
const dir = path.resolve(values.site);
const headersFile = path.join(dir, "_headers");
if (!existsSync(headersFile))
  stop(
    `there is no _headers in ${dir}: run \`npm run build -- --host ${host}\` first, or give the built folder with --site DIR`,
  );
if (!existsSync(path.join(dir, "index.html.br")))
  console.error(
    `warning: ${dir} has no index.html.br: build it with \`npm run build -- --host ${host}\` to serve pre-compressed pages`,
  );
try {
  const options = {
    rules: parseHeaders(readFileSync(headersFile, "utf8")),
    root: values.root ?? dir,
    pathPrefix: config.pathPrefix,
    ...(values.listen !== undefined && { listen: values.listen }),
    ...(values["server-name"] !== undefined && { serverName: values["server-name"] }),
  };
  process.stdout.write(host === "nginx" ? nginxConfig(options) : caddyConfig(options));
} catch (error) {
  stop(`cannot write the ${profile.label} configuration: ${(error as Error).message}`);
}
