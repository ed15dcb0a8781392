import { readdirSync, readFileSync } from "node:fs";

/**
 * This process's peak resident memory, in KiB. On Linux it is VmHWM: getrusage's maxRSS survives
 * exec, so a child started from a large process would report its parent's size as its own peak.
 */
export function peakRssKiB(): number {
  try {
    const found = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (found) return Number(found[1]);
  } catch {
    // No /proc: not Linux.
  }
  return process.resourceUsage().maxRSS;
}

/**
 * Resident memory now of a process and every process under it (a build's image encoders, a bench
 * run's whole build), from /proc, in KiB; 0 without /proc. Default: this process.
 */
export function treeRssKiB(root = process.pid): number {
  const children = new Map<number, number[]>();
  const resident = new Map<number, number>();
  try {
    for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        // Fields after the command name, which may itself hold spaces: state, then the parent's pid.
        const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
        resident.set(
          Number(name),
          Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${name}/status`, "utf8"))?.[1] ?? 0),
        );
      } catch {
        // The process ended between listing and reading.
      }
    }
  } catch {
    return 0;
  }
  let total = 0;
  for (const queue = [root]; queue.length > 0; ) {
    const pid = queue.pop()!;
    total += resident.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}
