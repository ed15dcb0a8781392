import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, symlink } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { repoRoot } from "./build.ts";

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/**
 * A project of its own in `work` around the real scripts, configuration and templates (linked, with
 * package.json copied), so that `npm start` there is the real one, on work/articles, with its caches
 * in work/.cache, and no test touches the repository's articles/.
 */
export async function linkProject(work: string): Promise<void> {
  for (const name of [
    "templates",
    "scripts",
    "plugins",
    "src",
    "node_modules",
    ".eleventy.ts",
    "site.config.ts",
    "tsconfig.json",
  ]) {
    await symlink(path.join(repoRoot, name), path.join(work, name));
  }
  await copyFile(path.join(repoRoot, "package.json"), path.join(work, "package.json"));
}

export interface Npm {
  child: ChildProcess;
  /** Everything npm and the script printed so far, stdout and stderr together. */
  log: () => string;
  /** What they printed to stderr, without npm's own notices and warnings. */
  errors: () => string[];
  exited: Promise<[code: number | null, signal: NodeJS.Signals | null]>;
  /** Kills whatever is left of the process group (a server left running by npm): for the end of a test. */
  killAll: () => void;
}

/**
 * `npm ARGS` in `work`, in a process group of its own: Ctrl-C can be sent to it as a terminal sends it, to every
 * process.
 */
export function npm(work: string, args: string[]): Npm {
  const { SOURCE_DATE_EPOCH: _unset, ...env } = process.env;
  const child = spawn("npm", args, { cwd: work, env: { ...env, npm_config_update_notifier: "false" }, detached: true });
  let log = "";
  let errors = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => {
    log += chunk;
    errors += chunk;
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const killAll = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Nothing is left of the group.
    }
  };
  return {
    child,
    log: () => log,
    errors: () => errors.split("\n").filter((line) => line !== "" && !line.startsWith("npm ")),
    exited,
    killAll,
  };
}
