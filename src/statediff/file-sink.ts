/**
 * The stream as a file: a sink that writes every notification (JSON lines when the name ends
 * in `.jsonl`, else the RLP form; gzip'ed when it ends in `.gz`), and the reader of such files.
 * The bytes go through the block file's writer and reader (src/blockchain/block-file.ts): an RLP
 * notification frames as a block does.
 *
 * Consumers: `mosaic statesync --diffs FILE`, plugins, tests.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'
import { BlockFileError, createBlockFileWriter, isGzipPath, readBlockFile } from '../blockchain/index.ts'
import { utf8ToBytes } from '../primitives/index.ts'
import { decodeNotificationJson, encodeNotificationJson } from './codec-json.ts'
import { decodeNotificationRlp, encodeNotificationRlp } from './codec-rlp.ts'
import { StateDiffError } from './errors.ts'
import type { DiffConsumer } from './stream.ts'
import type { Notification } from './types.ts'

export type DiffFileFormat = 'jsonl' | 'rlp'

/** The format a file name implies: `.jsonl` (or `.jsonl.gz`) is JSON lines, anything else RLP. */
export const diffFileFormat = (path: string): DiffFileFormat => (path.replace(/\.gz$/, '').endsWith('.jsonl') ? 'jsonl' : 'rlp')

export interface DiffFileSink extends DiffConsumer {
  /** Notifications written. */
  readonly count: number
  /** Flushes and closes the file. */
  close(): Promise<void>
}

/** A consumer that appends each notification to `path` (created or truncated). */
export function createDiffFileSink(path: string): DiffFileSink {
  const writer = createBlockFileWriter(path)
  const json = diffFileFormat(path) === 'jsonl'
  let count = 0
  return {
    get count() {
      return count
    },
    async onNotification(n) {
      await writer.write(json ? utf8ToBytes(`${encodeNotificationJson(n)}\n`) : encodeNotificationRlp(n))
      count++
    },
    close: () => writer.close(),
  }
}

/** The notifications of a file the sink wrote, in order. Throws StateDiffError MALFORMED (bad or cut files). */
export async function* readDiffFile(path: string): AsyncGenerator<Notification> {
  if (diffFileFormat(path) === 'rlp') {
    try {
      for await (const raw of readBlockFile(path)) yield decodeNotificationRlp(raw.rlp)
    } catch (e) {
      if (!(e instanceof BlockFileError)) throw e
      const what = e.kind === 'TRUNCATED' ? 'ends inside a notification' : e.kind === 'UNREADABLE' ? 'cannot be read' : 'holds bytes that are not a notification'
      throw new StateDiffError('MALFORMED', `${path} ${what} at offset ${e.offset}`, { details: e.details, cause: e })
    }
    return
  }
  const file = createReadStream(path)
  const input = isGzipPath(path) ? file.pipe(createGunzip()) : file
  const lines = createInterface({ input, crlfDelay: Infinity })
  try {
    for await (const line of lines) if (line.length > 0) yield decodeNotificationJson(line)
  } finally {
    lines.close()
    file.destroy()
  }
}
