// Eleventy ships no type declarations; this covers the programmatic API that tests and scripts use.
declare module "@11ty/eleventy" {
  export interface EleventyOptions {
    quietMode?: boolean;
    configPath?: string;
    /** `cli` makes the output folder given to the constructor win over a config file's `dir.output`, as on the command line. */
    source?: "cli" | "script";
    config?: (eleventyConfig: import("./eleventy.ts").EleventyConfig) => unknown;
  }
  /** Rewrites the URLs in HTML output (href, src, srcset, …) to carry the configured `pathPrefix`. */
  export function HtmlBasePlugin(eleventyConfig: import("./eleventy.ts").EleventyConfig, options?: Record<string, unknown>): void;
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    toJSON(): Promise<{ url: string; inputPath: string; outputPath: string; content: string }[]>;
    write(): Promise<unknown>;
    /** Silences Eleventy's own log, errors included, for a caller that reports them itself. */
    disableLogger(): void;
  }
}
