/**
 * A deadline `ms` from now on the monotonic clock (performance.now), not the wall clock: the clock
 * stepped back (an NTP correction, a VM's clock set right) would stretch a Date.now deadline by the
 * step, a wait of a minute becoming one of an hour, and one stepped forward would end it at once.
 */
export function deadlineIn(ms: number): { passed(): boolean } {
  const end = performance.now() + ms;
  return { passed: () => performance.now() >= end };
}
