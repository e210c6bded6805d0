/**
 * Thread priorities within this process (Linux: each thread is a task under /proc/self/task, and
 * setpriority on its id changes that thread alone). A cold evaluation on a small host decodes on
 * the same cores that infer; inference is the critical path, so the threads that decode are
 * lowered below it (measured: the inference thread's share of a core rose from 0.87-0.90 to
 * 0.93-0.96 on 2 cores). Lowering cannot be undone without privileges, so it happens only in a
 * process dedicated to one case (a case's own process, a benchmark child): never in a run with
 * --no-isolate, where later cases would measure with lowered threads. Elsewhere it is a no-op.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';

/** How far the decoding threads go below the main thread's priority: a clear step (nice 0 -> 10), short of the floor 19. */
export const LOWER_BY = 10;

let dedicated = false;

/** This process runs one case (or one benchmark measurement) and ends with it. */
export function markProcessDedicated(): void {
  dedicated = true;
}

export function processIsDedicated(): boolean {
  return dedicated;
}

/** Ids of this process's threads; empty where /proc/self/task is not readable (not Linux). */
export function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number).filter(Number.isInteger);
  } catch {
    return [];
  }
}

/** The calling thread's id (a worker thread's own, not the process's), where Linux says it. */
export function currentThreadId(): number | undefined {
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers every thread of the process except the kept ones and the main thread (which feeds the
 * engine), and, on each later call, the threads that appeared since: libvips starts its workers
 * with the first decode, and may start more.
 */
export class ThreadPriorityFloor {
  private readonly seen = new Set<number>();
  lowered = 0;

  constructor(
    keep: Iterable<number>,
    private readonly nice = Math.min(19, os.getPriority() + LOWER_BY),
  ) {
    for (const id of keep) this.seen.add(id);
    this.seen.add(process.pid);
  }

  lowerNew(): void {
    for (const id of threadIds()) {
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      try {
        // Best effort: a thread that has just ended, or a container that forbids it, changes nothing.
        os.setPriority(id, this.nice);
        this.lowered++;
      } catch {
        // not lowered
      }
    }
  }
}
