/**
 * The `blockFileSource` component of the statesync profile: `--source FILE` (repeatable; RLP
 * block files as `mosaic import` reads them, `.gz` too) imported into the chain in the
 * background after start, in order. Blocks stored already are skipped, so a restarted node
 * resumes the file where its chain stopped. The Engine API stays open meanwhile and takes over
 * at the file's end. A bad file or block is logged with its number; the node goes on.
 */
import { importBlockStream, readBlockFile, ImportError } from '../../blockchain/index.ts'
import { defineComponent, type Logger, type OptionSpec } from '../../node/index.ts'
import { bytesToHex } from '../../primitives/index.ts'

export interface BlockFileSource {
  /** Resolves when every file is imported (or the import stopped or failed). */
  readonly done: Promise<void>
}

declare module '../../node/component.ts' {
  interface Services {
    blockFileSource: BlockFileSource
  }
}

export interface BlockFileSourceConfig {
  files: string[]
  log?: Logger
}

export const blockFileSourceOptions: OptionSpec[] = [
  { flag: 'source', type: 'list', section: 'statesync', key: 'sources', help: 'a block file (RLP, .gz too) to import into the chain, then follow the Engine API; repeat for more (default: the Engine API only)' },
]

/** Whether --source names block files (the component then runs). */
export const blockFilesRequested = (section: Record<string, unknown> | undefined): boolean => ((section?.sources as string[] | undefined) ?? []).some((s) => s !== 'engine')

export const blockFileSourceComponent = defineComponent({
  provides: 'blockFileSource',
  requires: ['chain'],
  // the stores subscribe before the first block is imported
  optional: ['stateStores'],
  description: 'block files (--source FILE) imported into the chain in the background, blocks already stored skipped',
  options: blockFileSourceOptions,
  configure: (s, ctx): BlockFileSourceConfig => ({ files: ((s.statesync?.sources as string[] | undefined) ?? []).filter((f) => f !== 'engine'), log: ctx.log.with({ component: 'import' }) }),
  create({ chain }, c) {
    let stopped = false
    let done: Promise<void> = Promise.resolve()
    const run = async () => {
      for (const file of c.files) {
        try {
          const r = await importBlockStream(chain, readBlockFile(file), { shouldStop: () => stopped })
          const s = r.stats
          c.log?.info(r.stopped ? 'Import stopped' : 'Imported block file', { file, imported: s.imported, known: s.known, number: s.number ?? chain.head().number, hash: s.hash ? bytesToHex(s.hash) : undefined })
          if (r.stopped) return
        } catch (e) {
          const msg = e instanceof ImportError ? `${e.message}${e.details ? `: ${e.details}` : ''}` : e instanceof Error ? e.message : String(e)
          c.log?.error('Import failed', { file, error: msg, head: chain.head().number })
          return
        }
      }
    }
    return {
      service: {
        get done() {
          return done
        },
      },
      start() {
        done = run()
      },
      async stop() {
        stopped = true
        await done
      },
    }
  },
})
