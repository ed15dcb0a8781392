import { type HeaderRule, headersFor } from "./headers.ts";

/** What a server configuration is generated from: the built site's `_headers` and where the site is deployed. */
export interface ServerConfigOptions {
  /** The built site's `_headers`, parsed with `parseHeaders`. */
  rules: HeaderRule[];
  /** The absolute folder the built site is deployed in on the server, such as `/srv/midad/_site`. */
  root: string;
  /** The folder of the origin the site lives in, `/` or like `/news/` (site.config.ts' `pathPrefix`). */
  pathPrefix: string;
  /** A port (`80`, the default) or `address:port`, such as `127.0.0.1:8080` or `[::1]:8080`. */
  listen?: string;
  /** The site's host name, such as `news.example.org`; default: any name. */
  serverName?: string;
}

/** The value one header takes for the request paths of one key; an empty value sends no header. */
interface Entry {
  /** A whole path, or the start of paths (a `_headers` pattern ending in `*`). */
  key: string;
  exact: boolean;
  value: string;
}

/** One header as a lookup table: the first entry whose key matches a path gives its value, else `fallback`. */
interface HeaderTable {
  name: string;
  /** Its name as a configuration variable: `content_security_policy`. */
  variable: string;
  entries: Entry[];
  fallback: string;
}

/** Characters nginx or Caddy would read as syntax (quotes, escapes, variables, placeholders) inside a value. */
const syntax = /["\\${}`\r\n]/;

/** The options, checked, with the listen address split into host and port. */
interface Prepared {
  rules: HeaderRule[];
  /** The site folder, without a trailing slash. */
  root: string;
  prefix: string;
  host: string | undefined;
  port: string;
  /** The start of nginx's variable names, its site's own: nginx lets a second `map` of a name replace the first. */
  stem: string;
}

/** Rules a server configuration can hold: the site's own, under its prefix, in syntax nginx and Caddy take as text. */
function checkRules(rules: HeaderRule[], pathPrefix: string): void {
  const rebuild = "the site was built with another pathPrefix; build it again with npm run build";
  for (const rule of rules) {
    if (!rule.pattern.startsWith(pathPrefix))
      throw new Error(`_headers pattern "${rule.pattern}" is outside the path prefix ${pathPrefix}: ${rebuild}`);
    if (!/^\/[A-Za-z0-9._~%/-]*\*?$/.test(rule.pattern))
      throw new Error(
        `_headers pattern "${rule.pattern}" cannot be translated: only whole paths and paths ending in * are; build the site again to rewrite _headers`,
      );
    for (const [name, value] of rule.headers) {
      if (!/^[A-Za-z0-9-]+$/.test(name) || syntax.test(value))
        throw new Error(
          `_headers sets ${name} for ${rule.pattern} to a value with quotes, $, { or }, which the server would read as syntax; remove them from _headers`,
        );
    }
  }
  // The build always writes the site-wide rule: without it, _headers is from a build under another prefix.
  if (!rules.some((rule) => rule.pattern === `${pathPrefix}*`))
    throw new Error(`_headers has no ${pathPrefix}* rule: ${rebuild}`);
}

/** The options, checked: every fault is one line naming the value and the fix. */
function prepare(options: ServerConfigOptions): Prepared {
  const { rules, root, pathPrefix } = options;
  if (!root.startsWith("/") || syntax.test(root))
    throw new Error(
      `the folder the site is deployed in (--root) must be an absolute path without quotes, $, { or }; got "${root}"`,
    );
  if (!/^\/(?:[A-Za-z0-9._~-]+\/)*$/.test(pathPrefix))
    throw new Error(
      `pathPrefix must start and end with "/" and name URL-safe folders, like "/news/"; got "${pathPrefix}"`,
    );
  const listen = options.listen ?? "80";
  const address = /^(?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(listen);
  if (!address)
    throw new Error(
      `the listen address must be a port or address:port, such as 8080 or 127.0.0.1:8080; got "${listen}"`,
    );
  if (options.serverName !== undefined && !/^[A-Za-z0-9*.-]+$/.test(options.serverName))
    throw new Error(`the server name must be a host name such as news.example.org; got "${options.serverName}"`);
  checkRules(rules, pathPrefix);
  const stem = ["midad", options.serverName ?? "", pathPrefix]
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/_+$/, "");
  return { rules, root: root.replace(/\/+$/, ""), prefix: pathPrefix, host: address[1], port: address[2]!, stem };
}

/**
 * Every header of `_headers` as a table a server looks a request path up in, first match winning: whole paths
 * whose value differs from their folder's, then folders (patterns ending in `*`) longest first, then the
 * value for any other path. Each value is `headersFor`'s own, for the path or for a path only that folder's
 * patterns match, so the server sends exactly what `headersFor` gives (joined values, detached names).
 */
function headerTables(rules: HeaderRule[]): HeaderTable[] {
  const exact = [...new Set(rules.filter((r) => !r.pattern.endsWith("*")).map((r) => r.pattern))];
  const folders = [...new Set(rules.filter((r) => r.pattern.endsWith("*")).map((r) => r.pattern.slice(0, -1)))];
  folders.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // The longest folder holding a path (other than `except`): the one whose entry a server would find first.
  const folderOf = (path: string, except?: string) =>
    folders.find((folder) => folder !== except && path.startsWith(folder)) ?? "";
  const names = new Map<string, string>();
  for (const rule of rules) for (const [name] of rule.headers) names.set(name.toLowerCase(), name);
  return [...names].map(([lower, name]) => {
    // "\0" ends no real path and matches no whole-path pattern: only the folder's patterns and those above it.
    const under = (folder: string) => headersFor(rules, `${folder}\0`).get(lower) ?? "";
    const at = (path: string) => headersFor(rules, path).get(lower) ?? "";
    const entries: Entry[] = [
      ...exact
        .filter((path) => at(path) !== under(folderOf(path)))
        .map((key) => ({ key, exact: true, value: at(key) })),
      ...folders
        .filter((folder) => folder !== "" && under(folder) !== under(folderOf(folder, folder)))
        .map((key) => ({ key, exact: false, value: under(key) })),
    ];
    return { name, variable: lower.replace(/-/g, "_"), entries, fallback: under("") };
  });
}

/**
 * The regular expression of an entry's key against the request target as the client sent it (`$request_uri`,
 * Caddy's `{http.request.orig_uri}`): the path, undecoded, then maybe a query. It is what `headersFor` is given
 * by the local server (a URL's pathname); nginx's `$uri` would not do, as it becomes `/index.html` or
 * `/404.html` on the way to the file, which `_headers` gives other headers.
 */
function keyPattern({ key, exact }: Entry): string {
  return `~^${escapeRegex(key)}${exact ? "(?:\\?|$)" : ""}`;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What generated the configuration, for which site, how to install it and when to generate it again. */
function preamble(host: string, root: string, prefix: string, install: string[]): string {
  return [
    `Generated by midad's \`npm run host-config -- --host ${host}\` from the build's _headers, for the site`,
    `deployed in ${root}, served under ${prefix}.`,
    ...install,
    "Generate it again after every build that changes _headers, and reload the server: the",
    "Content-Security-Policy carries the hash of the stylesheet, which changes with it.",
  ]
    .map((line) => `# ${line}`)
    .join("\n");
}

/** The server block: the prefix served from the site folder, the types `_headers` gives, the rest missing. */
function nginxServer(config: Prepared, tables: HeaderTable[], types: Entry[], serverName = "_"): string[] {
  const { root, prefix, host, port, stem } = config;
  const folder = prefix.slice(0, -1);
  return [
    "server {",
    `    listen ${host ? `${host}:` : ""}${port};`,
    `    server_name ${serverName};`,
    "    charset utf-8;",
    "    charset_types text/css text/plain text/xml application/javascript application/json image/svg+xml;",
    // Redirects to a folder's trailing slash stay on the host and port the reader asked for.
    "    absolute_redirect off;",
    "    index index.html;",
    "    brotli_static on;",
    "    gzip_static on;",
    "    gzip_vary on;",
    // A folder without index.html is as missing as a file.
    `    error_page 403 404 =404 ${prefix}404.html;`,
    // Here alone, so that every location inherits them: one add_header in a location would drop them all there.
    ...tables.map((table) => `    add_header ${table.name} $${stem}_${table.variable} always;`),
    "",
    ...(prefix === "/" ? [] : [`    location = ${folder} {`, `        return 301 ${prefix}$is_args$args;`, "    }"]),
    `    location ${prefix === "/" ? "/" : `^~ ${prefix}`} {`,
    `        alias "${root}/";`,
    // The host's own files and anything hidden are never served.
    `        location ~ "^${escapeRegex(folder)}/(?:_headers|_redirects)$|/\\." {`,
    "            return 404;",
    "        }",
    "    }",
    // The one type _headers gives, whatever the extension says; the siblings are served under it too.
    ...types.map(
      ({ key, value }) =>
        `    location = ${key} { alias "${root}/${key.slice(prefix.length)}"; types {} default_type "${value}"; }`,
    ),
    ...(prefix === "/" ? [] : ["    location / {", "        return 404;", "    }"]),
    "}",
  ];
}

/**
 * An nginx configuration for the http context (a file in /etc/nginx/sites-available/): one `map` per header
 * from the request to its value, each sent by one server-level `add_header ... always` (on 304 and 404 too;
 * an empty value sends nothing); a `location =` per path whose Content-Type `_headers` sets; the `.br` and
 * `.gz` siblings through `brotli_static` and `gzip_static`.
 */
export function nginxConfig(options: ServerConfigOptions): string {
  const config = prepare(options);
  const tables = headerTables(config.rules);
  const types = tables.find((table) => table.name.toLowerCase() === "content-type");
  if (types && (types.fallback !== "" || types.entries.some((entry) => !entry.exact)))
    throw new Error("_headers sets Content-Type for a pattern ending in *; nginx sets it for whole paths only");
  const sent = tables.filter((table) => table !== types);
  const maps = sent.map((table) =>
    [
      `map $request_uri $${config.stem}_${table.variable} {`,
      ...table.entries.map((entry) => `    "${keyPattern(entry)}" "${entry.value}";`),
      `    default "${table.fallback}";`,
      "}",
    ].join("\n"),
  );
  const install = [
    "Install: save it as /etc/nginx/sites-available/midad, link it into /etc/nginx/sites-enabled/, then",
    "`nginx -t && systemctl reload nginx`. It needs Debian's libnginx-mod-http-brotli-static package (the",
    `system nginx.conf loads it from /etc/nginx/modules-enabled/). Its variables, $${config.stem}_*, are its own.`,
  ];
  const server = nginxServer(config, sent, types?.entries ?? [], options.serverName);
  return `${preamble("nginx", config.root, config.prefix, install)}\n\n${maps.join("\n\n")}\n\n${server.join("\n")}\n`;
}

/** One `map` per header and a `header` that sends it when its value is not empty (Caddy would send it empty). */
function caddyHeaders(tables: HeaderTable[]): string[] {
  return tables.flatMap(({ name, variable, entries, fallback }) => [
    `\tmap {http.request.orig_uri} {midad_${variable}} {`,
    ...entries.map((entry) => `\t\t${keyPattern(entry)} "${entry.value}"`),
    `\t\tdefault "${fallback}"`,
    "\t}",
    `\t@midad_${variable} not vars {midad_${variable}} ""`,
    `\theader @midad_${variable} ${name} {midad_${variable}}`,
  ]);
}

/**
 * A Caddyfile site block: the headers of `_headers` (a Content-Type set before `file_server` is kept by it);
 * `file_server` with `precompressed br gzip`; `handle_path` for the prefix; `handle_errors` serving 404.html
 * with the 404 status. With `serverName` and no `listen`, the address is the bare name, which Caddy serves
 * over HTTPS.
 */
export function caddyConfig(options: ServerConfigOptions): string {
  const { rules, root, prefix, host, port } = prepare(options);
  const address =
    options.listen === undefined && options.serverName
      ? options.serverName
      : `http://${options.serverName ?? ""}:${port}`;
  const precompressed = ["file_server {", "\tprecompressed br gzip", "}"];
  const serve = [
    // The host's own files and anything hidden are never served.
    "@midad_hidden path_regexp ^/(?:_headers|_redirects)$|/\\.",
    "error @midad_hidden 404",
    // file_server names Accept-Encoding only when it sends a sibling; a cache must know the plain answer varies too.
    "header ?Vary Accept-Encoding",
    ...precompressed,
  ].map((line) => `\t\t${line}`);
  const folder = prefix.slice(0, -1);
  const site = [
    `${address} {`,
    ...(host ? [`\tbind ${host.replace(/^\[|\]$/g, "")}`] : []),
    `\troot * "${root}"`,
    ...caddyHeaders(headerTables(rules)),
    ...(prefix === "/"
      ? ["\thandle {", ...serve, "\t}"]
      : [`\tredir ${folder} ${prefix} permanent`, `\thandle_path ${prefix}* {`, ...serve, "\t}"]),
    ...(prefix === "/" ? [] : ["\thandle {", "\t\terror 404", "\t}"]),
    "\thandle_errors {",
    "\t\t@midad_missing expression {err.status_code} == 404",
    "\t\thandle @midad_missing {",
    ...[`root * "${root}"`, "rewrite * /404.html", ...precompressed].map((line) => `\t\t\t${line}`),
    "\t\t}",
    "\t}",
    "}",
  ];
  const install = [
    "Install: put this site block into /etc/caddy/Caddyfile (in place of Debian's example `:80` block),",
    "then `caddy validate --config /etc/caddy/Caddyfile && systemctl reload caddy`.",
  ];
  return `${preamble("caddy", root, prefix, install)}\n\n${site.join("\n")}\n`;
}
