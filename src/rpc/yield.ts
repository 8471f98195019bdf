/**
 * Yielding to the event loop in long work that runs in steps (the calls of a batch, a long
 * anvil_mine): the returned function awaits a macrotask once more than `everyMs` passed since
 * the last time, so other clients' requests (and sockets' I/O) are served between steps. A
 * bare `await` of a resolved promise does not do that: microtasks run before any I/O.
 */
export function createYielder(everyMs: number): () => Promise<void> | undefined {
  let last = performance.now()
  return () => {
    const now = performance.now()
    if (now - last < everyMs) return undefined
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        last = performance.now()
        resolve()
      }),
    )
  }
}
