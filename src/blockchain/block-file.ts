/**
 * Block files as geth's `export` writes and `import` reads them: blocks as concatenated RLP,
 * gzip'ed when the file name ends in `.gz`. The reader streams: it reads the file in chunks and
 * frames one block at a time from its RLP length prefix, so a file of many gigabytes never sits
 * in memory. Offsets are byte offsets in the (decompressed) stream.
 *
 * Consumers: `mosaic import` (readBlockFile → importBlockStream), `mosaic export`.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import type { Readable, Writable } from 'node:stream'
import { createGunzip, createGzip } from 'node:zlib'
import { concatBytes, decodeRlpHeader, RLP_MAX_INPUT } from '../primitives/index.ts'
import { decodeHeader } from '../types/index.ts'
import { BlockFileError } from './errors.ts'

/** One block's encoding and where it starts in the stream. */
export interface RawBlock {
  offset: number
  /** The block's own copy of its bytes (a kept block pins no read chunk). */
  rlp: Uint8Array
}

export interface ReadBlockFileOptions {
  /** Bytes per read (default 1 MiB). */
  chunkSize?: number
  /** Largest block accepted (default 64 MiB, the RLP decoder's limit). */
  maxBlockBytes?: number
}

export const isGzipPath = (path: string): boolean => path.endsWith('.gz')

/**
 * Total encoded length of the RLP list starting at `p`, or 0 when `buf` ends inside its length
 * prefix. Only the outer prefix is checked here; the block decoder checks the rest.
 */
function itemLength(buf: Uint8Array, p: number, offset: number, max: number): number {
  if (p >= buf.length) return 0
  const b = buf[p]!
  if (b < 0xc0) throw new BlockFileError('MALFORMED', offset, `the bytes at offset ${offset} are not an RLP block`, { details: `a block is an RLP list; found prefix byte 0x${b.toString(16).padStart(2, '0')}` })
  if (b < 0xf8) return 1 + (b - 0xc0)
  const k = b - 0xf7
  if (p + 1 + k > buf.length) return 0
  if (buf[p + 1] === 0 || k > 4) throw new BlockFileError('MALFORMED', offset, `the block at offset ${offset} has an invalid length prefix`)
  let length = 0
  for (let i = 0; i < k; i++) length = length * 256 + buf[p + 1 + i]!
  if (length < 56) throw new BlockFileError('MALFORMED', offset, `the block at offset ${offset} has a non-canonical length prefix`)
  const total = 1 + k + length
  if (total > max) throw new BlockFileError('TOO_LARGE', offset, `the block at offset ${offset} is ${total} bytes, more than the limit of ${max}`)
  return total
}

/** The number in a block's encoding (whole or cut short) when its header decodes; else undefined. */
export function numberOfBlockBytes(bytes: Uint8Array): bigint | undefined {
  try {
    const b = bytes[0]!
    if (b < 0xc0) return undefined
    const start = b < 0xf8 ? 1 : 1 + (b - 0xf7)
    const header = decodeRlpHeader(bytes, start, bytes.length)
    return decodeHeader(bytes.subarray(start, header.start + header.length)).number
  } catch {
    return undefined
  }
}

function openSource(path: string, chunkSize: number): Readable {
  const file = createReadStream(path, { highWaterMark: chunkSize })
  if (!isGzipPath(path)) return file
  const gunzip = createGunzip({ chunkSize: Math.max(chunkSize, 64) })
  file.on('error', (e) => gunzip.destroy(e))
  return file.pipe(gunzip)
}

/**
 * The blocks of a block file, in order. Throws BlockFileError: TRUNCATED when the file ends
 * inside a block, MALFORMED for bytes that are not an RLP list, TOO_LARGE, UNREADABLE (I/O or
 * gzip errors). Blocks before the bad one have been yielded by then.
 */
export async function* readBlockFile(path: string, opts: ReadBlockFileOptions = {}): AsyncGenerator<RawBlock> {
  const max = opts.maxBlockBytes ?? RLP_MAX_INPUT
  const source = openSource(path, opts.chunkSize ?? 1 << 20)
  // `rest` holds the unconsumed bytes (rest[0] is at stream offset `base`); while a known
  // block needs `want` bytes, chunks wait in `parts` and are joined once, not per chunk.
  let rest: Uint8Array = new Uint8Array(0)
  let base = 0
  let parts: Uint8Array[] = []
  let partsLength = 0
  let want = 0
  try {
    for await (const c of source) {
      const chunk = c instanceof Uint8Array ? c : new Uint8Array(c as ArrayBuffer)
      if (want > 0) {
        parts.push(chunk)
        partsLength += chunk.length
        if (rest.length + partsLength < want) continue
        rest = concatBytes(rest, ...parts)
        parts = []
        partsLength = 0
      } else {
        rest = rest.length === 0 ? chunk : concatBytes(rest, chunk)
      }
      want = 0
      let p = 0
      for (;;) {
        const len = itemLength(rest, p, base + p, max)
        if (len === 0 || p + len > rest.length) {
          want = len
          break
        }
        yield { offset: base + p, rlp: rest.slice(p, p + len) }
        p += len
      }
      rest = rest.subarray(p)
      base += p
    }
  } catch (e) {
    if (e instanceof BlockFileError) throw e
    throw new BlockFileError('UNREADABLE', base, `cannot read ${path}`, { details: e instanceof Error ? e.message : String(e), cause: e })
  } finally {
    source.destroy()
  }
  if (partsLength > 0) rest = concatBytes(rest, ...parts)
  if (rest.length > 0) {
    const number = numberOfBlockBytes(rest)
    const need = itemLength(rest, 0, base, max)
    throw new BlockFileError('TRUNCATED', base, `the file ends inside ${number === undefined ? 'the block' : `block ${number}`} at offset ${base}`, {
      details: need ? `${need - rest.length} of its ${need} bytes are missing` : 'its length prefix is cut short',
      number,
    })
  }
}

/** A block file being written; `close` flushes (and ends the gzip stream). */
export interface BlockFileWriter {
  write(rlp: Uint8Array): Promise<void>
  close(): Promise<void>
  /** Uncompressed bytes written so far. */
  readonly bytes: number
}

/** Creates (or truncates) `path`; gzip when it ends in `.gz`. Writes wait for the stream to drain. */
export function createBlockFileWriter(path: string): BlockFileWriter {
  const file = createWriteStream(path)
  const sink: Writable = isGzipPath(path) ? createGzip() : file
  if (sink !== file) sink.pipe(file)
  let failure: unknown
  let waiting: (() => void) | undefined
  const wake = () => {
    const w = waiting
    waiting = undefined
    w?.()
  }
  const fail = (e: unknown) => {
    failure ??= e
    wake()
  }
  file.on('error', fail)
  sink.on('error', fail)
  sink.on('drain', wake)
  let bytes = 0
  const check = () => {
    if (failure) throw new BlockFileError('UNREADABLE', bytes, `cannot write ${path}`, { details: failure instanceof Error ? failure.message : String(failure), cause: failure })
  }
  const wait = () => new Promise<void>((resolve) => (waiting = resolve))
  return {
    get bytes() {
      return bytes
    },
    async write(rlp) {
      check()
      bytes += rlp.length
      if (!sink.write(rlp)) await wait()
      check()
    },
    async close() {
      check()
      const closed = new Promise<void>((resolve) => {
        file.once('close', resolve)
        file.once('error', () => resolve())
      })
      sink.end()
      await closed
      check()
    },
  }
}

/** The RLP list prefix of a payload of `length` bytes. */
function listPrefix(length: number): Uint8Array {
  if (length < 56) return new Uint8Array([0xc0 + length])
  const bytes: number[] = []
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff)
  return new Uint8Array([0xf7 + bytes.length, ...bytes])
}

/** A block's RLP from its stored header RLP and body RLP (`[txs, ommers, withdrawals?]`), without decoding either. */
export function blockRlpFromParts(headerRlp: Uint8Array, bodyRlp: Uint8Array): Uint8Array {
  const body = decodeRlpHeader(bodyRlp, 0, bodyRlp.length)
  const payload = bodyRlp.subarray(body.start, body.start + body.length)
  return concatBytes(listPrefix(headerRlp.length + payload.length), headerRlp, payload)
}
