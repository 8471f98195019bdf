/**
 * One self-updating status line at the bottom of a terminal (a progress bar), and the lines
 * written above it: each `print` clears the status line, writes its text and draws the status
 * line again in the same write, so log lines and the bar never garble each other. On a pipe, or
 * with NO_COLOR or TERM=dumb, there is no status line (`statusLineWanted`): plain lines only.
 *
 * Callers: `mosaic import`/`export` (their progress line), the node's logger (src/profiles/run.ts)
 * and, through `Logger.status`, the sync component's bar.
 */

/** Clears the terminal line the cursor is on and returns to its start. */
const CLEAR = '\r\x1b[2K'

export interface StatusLine {
  /** Shows `text` as the status line (drawn at once when it changed); undefined removes it. */
  set(text: string | undefined): void
  /** Writes whole lines (ending in a newline) above the status line. */
  print(text: string): void
  /** Leaves the status line where it is as an ordinary line (the next output starts below it). */
  done(): void
}

export interface StatusLineOptions {
  write: (text: string) => void
  /** The terminal's width: a longer status line is cut to fit (a wrapped one could not be redrawn). */
  columns?: () => number | undefined
}

export function createStatusLine(opts: StatusLineOptions): StatusLine {
  const { write } = opts
  let shown: string | undefined
  const fit = (t: string) => {
    const c = opts.columns?.()
    return c && t.length >= c ? t.slice(0, Math.max(c - 1, 0)) : t
  }
  return {
    set(text) {
      const t = text === undefined ? undefined : fit(text)
      if (t === shown) return
      write(t === undefined ? CLEAR : `${CLEAR}${t}`)
      shown = t
    },
    print(text) {
      write(shown === undefined ? text : `${CLEAR}${text}${shown}`)
    },
    done() {
      if (shown !== undefined) write('\n')
      shown = undefined
    },
  }
}

/** Whether to draw a status line: stderr is a terminal, and neither NO_COLOR (https://no-color.org) nor TERM=dumb asks for plain output. */
export function statusLineWanted(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  return isTTY && !env.NO_COLOR && env.TERM !== 'dumb'
}

/** `[=====>    ]`: `fraction` (clamped to 0..1) of `width` cells filled. */
export function progressBar(fraction: number, width = 24): string {
  const f = Number.isFinite(fraction) ? Math.min(Math.max(fraction, 0), 1) : 0
  const full = Math.floor(f * width)
  const head = full < width && f > 0 ? '>' : ''
  return `[${'='.repeat(full)}${head}${' '.repeat(width - full - head.length)}]`
}
