/**
 * The static hosts a newsroom publishes to, and what each one decides about the output: which
 * files of instructions it reads (`_headers`), whether it serves pre-compressed siblings, whether the
 * security policy must travel inside the pages, and the limits a deployment must stay within.
 * Figures are each host's published limits; a plan with other limits is set with `hostLimits`.
 */
export const hostNames = ["cloudflare-pages", "netlify", "github-pages", "nginx", "caddy"] as const;
export type HostName = (typeof hostNames)[number];

/** What one deployment may hold; `Infinity` where the host sets no limit. */
export interface HostLimits {
  /** Files in one deployment. */
  files: number;
  /** Bytes of the whole deployment. */
  bytes: number;
  /** Bytes of one file. */
  fileBytes: number;
}

export interface HostProfile {
  name: HostName;
  /** The host's own name, for messages. */
  label: string;
  /** The host reads `_headers` (caching, media types, the security policy); the server profiles translate it. */
  headersFile: boolean;
  /** The host sends no headers of ours: the Content-Security-Policy goes into every page as a `<meta>`. */
  policyInPages: boolean;
  /** `.br` and `.gz` siblings: only a server the newsroom runs serves them; the others compress on the fly. */
  precompressed: boolean;
  /** `npm run host-config` prints this server's configuration. */
  serverConfig: boolean;
  limits: HostLimits;
  /** Where the limits come from, for messages: the plan they are the limits of. */
  limitsOf: string;
  /** How to raise the limits, for messages. */
  raise: string;
}

const MiB = 1024 * 1024;
const none: HostLimits = {
  files: Number.POSITIVE_INFINITY,
  bytes: Number.POSITIVE_INFINITY,
  fileBytes: Number.POSITIVE_INFINITY,
};

/** What a server the newsroom runs itself gets: the headers translated into its configuration, and the siblings. */
const ownServer = {
  headersFile: true,
  policyInPages: false,
  precompressed: true,
  serverConfig: true,
  limits: none,
  limitsOf: "a server of your own",
  raise: "set `hostLimits` in site.config.ts to your server's",
} satisfies Omit<HostProfile, "name" | "label">;

export const hostProfiles: Record<HostName, HostProfile> = {
  "cloudflare-pages": {
    name: "cloudflare-pages",
    label: "Cloudflare Pages",
    headersFile: true,
    policyInPages: false,
    precompressed: false,
    serverConfig: false,
    limits: { files: 20_000, bytes: Number.POSITIVE_INFINITY, fileBytes: 25 * MiB },
    limitsOf: "Cloudflare Pages' free plan",
    raise: "on a paid plan (100,000 files), set `hostLimits: { files: 100000 }` in site.config.ts",
  },
  netlify: {
    name: "netlify",
    label: "Netlify",
    headersFile: true,
    policyInPages: false,
    precompressed: false,
    serverConfig: false,
    limits: none,
    limitsOf: "Netlify, which publishes no limit on a deployment's files",
    raise: "set `hostLimits` in site.config.ts to your plan's limits",
  },
  "github-pages": {
    name: "github-pages",
    label: "GitHub Pages",
    headersFile: false,
    policyInPages: true,
    precompressed: false,
    serverConfig: false,
    limits: { files: Number.POSITIVE_INFINITY, bytes: 1024 * MiB, fileBytes: 100 * MiB },
    limitsOf: "GitHub Pages (a published site of at most 1 GB)",
    raise: "GitHub Pages has no larger plan: publish the photos from another host, or move to a host without the limit",
  },
  nginx: { name: "nginx", label: "nginx", ...ownServer },
  caddy: { name: "caddy", label: "Caddy", ...ownServer },
};

/**
 * The default host: Cloudflare Pages' free plan serves any traffic without a bandwidth limit, builds
 * from a private repository, and reads `_headers`, so readers get the full security policy and
 * caching; its limit (20,000 files) is checked by every build.
 */
export const defaultHost: HostName = "cloudflare-pages";

export function isHostName(name: string): name is HostName {
  return (hostNames as readonly string[]).includes(name);
}

/** A host's profile with the site's own limits over its published ones. */
export function hostProfile(name: HostName, limits: Partial<HostLimits> = {}): HostProfile {
  const profile = hostProfiles[name];
  const own = Object.keys(limits).length > 0;
  return {
    ...profile,
    limits: { ...profile.limits, ...limits },
    // Messages then name the limits the newsroom set, not the published ones.
    ...(own && { limitsOf: `${profile.label} with the hostLimits of site.config.ts` }),
  };
}
