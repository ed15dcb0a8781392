import { existsSync } from "node:fs";
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";

/**
 * A script's options, as `parseArgs` reads them, but a mistyped or unknown option is one line
 * that names it and lists the accepted ones (`npm run build -- --ouput x`), and the script exits 1,
 * instead of Node's stack trace.
 */
export function readOptions<const T extends NonNullable<ParseArgsConfig["options"]>>(script: string, options: T) {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const accepted = Object.entries(options)
      .map(([name, option]) => `--${name}${option.type === "string" ? " VALUE" : ""}`)
      .join(", ");
    stop(
      `${(error as Error).message.replace(/\. To specify a positional argument.*$/s, "")}; npm run ${script} accepts ${accepted}`,
    );
  }
}

/** Ends a script on a fault of its arguments or inputs: the one line that says so, exit status 1. */
export function stop(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The absolute folder of a built site given with `--dir`, or a stop that says to build first. */
export function builtSite(dir: string): string {
  const absolute = path.resolve(dir);
  if (!existsSync(path.join(absolute, "index.html"))) {
    stop(
      `there is no built site in ${absolute} (no index.html): run \`npm run build\` first, or give the built folder with --dir DIR`,
    );
  }
  return absolute;
}
