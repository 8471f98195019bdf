/**
 * Log lines written together: the lines that come within `delayMs` of the first one go out in
 * one write. A node driven by a consensus client logs a line or two per block, each a write
 * that, on a pipe, wakes the reader (journald, a supervisor); coalescing them costs the node a
 * write per burst instead. `flush` writes what is held at once: call it before any direct
 * write to the same stream and at exit (runNode does both).
 *
 * Consumer: src/cli/node.ts (stderr when it is not a terminal; a terminal's status line needs
 * its lines as they come).
 */

export interface BatchedWriter {
  write(text: string): void
  flush(): void
}

/** Held bytes that force a write before the delay is up. */
const MAX_HELD = 64 * 1024

export function batchedWriter(write: (text: string) => void, delayMs = 20): BatchedWriter {
  let held = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!held) return
    const text = held
    held = ''
    write(text)
  }
  return {
    write(text) {
      held += text
      if (held.length >= MAX_HELD) flush()
      else if (!timer) {
        timer = setTimeout(flush, delayMs)
        // a pending write does not keep the process alive (the exit handler flushes it)
        timer.unref?.()
      }
    },
    flush,
  }
}
