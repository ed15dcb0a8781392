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

/** Resident memory now of this process and its children (such as image encoder processes), from /proc, in KiB; 0 without /proc. */
export function treeRssKiB(): number {
  const rssOf = (pid: string) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  try {
    let total = rssOf("self");
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        // Fields after the command name, which may itself hold spaces: state, then the parent's pid.
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === process.pid) total += rssOf(pid);
      } catch {
        // The process ended between listing and reading.
      }
    }
    return total;
  } catch {
    return 0;
  }
}
