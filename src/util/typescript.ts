import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** midad's root, which scripts/launch.mjs compiles the workers' modules from. */
const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * `execArgv` for a worker thread that loads midad's TypeScript: none of its own where the build runs under tsx (the
 * thread inherits the build's options, tsx's loader with them), else tsx's loader.
 */
export function typeScriptExecArgv(): string[] | undefined {
  if (process.execArgv.some((option) => option.includes("tsx"))) return undefined;
  return ["--import", import.meta.resolve("tsx")];
}

/**
 * The module a worker thread runs for the TypeScript module `source`, and the `execArgv` it needs: the one
 * scripts/launch.mjs compiled with the build, when the build runs compiled (`MIDAD_COMPILED_CODE` names its folder), so
 * that the thread starts without tsx; else the source, under tsx.
 */
export function workerModule(source: URL): { filename: string; execArgv: string[] | undefined } {
  const code = process.env.MIDAD_COMPILED_CODE;
  const compiled = code && path.join(code, path.relative(root, fileURLToPath(source)).replace(/\.ts$/, ".mjs"));
  if (compiled && existsSync(compiled)) return { filename: pathToFileURL(compiled).href, execArgv: [] };
  return { filename: source.href, execArgv: typeScriptExecArgv() };
}
