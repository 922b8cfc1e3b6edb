import fs from 'node:fs';

/** Open file descriptors of this process (sockets of both loopback ends included). */
export function openFds(): number {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return Number.NaN;
  }
}

export function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

export interface ProcessPeaks {
  maxFds: number;
  maxRssMiB: number;
}

/** Samples descriptors and RSS every intervalMs while a load runs; stop() returns the peaks. */
export function sampleProcess(intervalMs = 200): { stop(): ProcessPeaks } {
  const peaks: ProcessPeaks = { maxFds: openFds(), maxRssMiB: rssMiB() };
  const take = () => {
    peaks.maxFds = Math.max(peaks.maxFds, openFds());
    peaks.maxRssMiB = Math.max(peaks.maxRssMiB, rssMiB());
  };
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peaks;
    },
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system time of a `process.cpuUsage()` reading, in microseconds. */
export function totalCpuUs(usage: NodeJS.CpuUsage): number {
  return usage.user + usage.system;
}

/**
 * CPU time (user + system) of the main thread only, in milliseconds, from
 * /proc/<pid>/task/<pid>/stat (Linux; NaN elsewhere): this process's, or a server's of its own
 * (`pid`). The load generator runs in a process of its own, so this is the server's own cost, and
 * it stays meaningful on a busy machine where throughput does not.
 */
export function mainThreadCpuMs(pid = process.pid): number {
  return cpuMsFrom(`/proc/${pid}/task/${pid}/stat`);
}

/** CPU time (user + system) of every thread of another process, in milliseconds, from /proc/<pid>/stat (Linux; NaN elsewhere). */
export function processCpuMs(pid: number): number {
  return cpuMsFrom(`/proc/${pid}/stat`);
}

function cpuMsFrom(statFile: string): number {
  try {
    const stat = fs.readFileSync(statFile, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3, "state".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return Number.NaN;
  }
}
