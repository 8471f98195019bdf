/**
 * Hang guards for the end-to-end tests: an awaited event that never comes fails the test with
 * what was awaited instead of hitting the runner's timeout. The limits are generous (a loaded
 * 2-core machine); they bound waiting, they do not measure speed.
 */

const GUARD_MS = 30_000

/** `p`, or an error naming `what` after GUARD_MS. */
export async function within<T>(p: Promise<T>, what: string, ms = GUARD_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), ms)))
  try {
    return await Promise.race([p, guard])
  } finally {
    clearTimeout(timer)
  }
}

/** Polls `cond` until it holds (guarded by `within`). */
export function until(cond: () => boolean | Promise<boolean>, what: string, ms = GUARD_MS): Promise<void> {
  return within(
    (async () => {
      while (!(await cond())) await Bun.sleep(20)
    })(),
    what,
    ms,
  )
}
