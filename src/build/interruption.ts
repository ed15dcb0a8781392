import { FixableError } from "./failure.ts";

/** SIGINT (Ctrl-C) and SIGTERM (a cancelled CI job, a stopped container): the signals a build is stopped with. */
const stopSignals = ["SIGINT", "SIGTERM"] as const;
export type StopSignal = (typeof stopSignals)[number];

/** The shell's convention: 128 plus the signal's number. */
export const exitCodeOf = (signal: StopSignal) => (signal === "SIGINT" ? 130 : 143);

export class InterruptedError extends FixableError {
  override name = "InterruptedError";
  constructor(readonly signal: StopSignal) {
    super(`the build was interrupted (${signal})`);
  }
}

export interface Interruption {
  /** The signal received, once one has been. */
  readonly signal: StopSignal | undefined;
  /** `work`'s result, or an InterruptedError as soon as a signal arrives, whichever comes first. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Gives the signals back to Node's default handling. */
  dispose(): void;
}

/**
 * A signal repeated within this many milliseconds is the same one passed on: Ctrl-C reaches every
 * process of the terminal's group, and npm (or tsx) passes it on to the build too, so one press
 * arrives twice or more, and a busy event loop may see the copies some time apart.
 */
const sameSignalWithin = 1000;

/**
 * Catches SIGINT and SIGTERM for the length of a build, so that it can clean up before it exits.
 * A second signal while cleaning up calls `atOnce`, which must exit: a person pressing Ctrl-C
 * twice wants the terminal back now.
 */
export function watchForInterruption(atOnce: (signal: StopSignal) => void): Interruption {
  let received: StopSignal | undefined;
  let receivedAt = 0;
  let interrupt: (error: InterruptedError) => void = () => undefined;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  // Nobody may be racing when the signal comes (between two steps): that is not an unhandled rejection.
  interrupted.catch(() => undefined);
  const onSignal = (signal: StopSignal) => {
    if (received) {
      if (performance.now() - receivedAt >= sameSignalWithin) atOnce(signal);
      return;
    }
    received = signal;
    receivedAt = performance.now();
    interrupt(new InterruptedError(signal));
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  return {
    get signal() {
      return received;
    },
    race: (work) => Promise.race([work, interrupted]),
    dispose: () => {
      for (const signal of stopSignals) process.off(signal, onSignal);
    },
  };
}
