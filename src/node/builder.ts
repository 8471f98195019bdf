/**
 * The node builder: checks that every required service is provided (a type error where the list
 * of components is static, a NodeBuildError naming the missing piece otherwise), creates and
 * starts components in dependency order (optional services count when present, and are passed
 * as `undefined` when not), stops them in reverse, and stops on SIGINT/SIGTERM/SIGHUP.
 */
import { MosaicError } from '../primitives/index.ts'
import type { Component } from './component.ts'

export class NodeBuildError extends MosaicError {
  override name = 'NodeBuildError'
  constructor(details: string) {
    super('NODE_BUILD', 'cannot assemble the node', { details })
  }
}

/**
 * The signals that stop a node (the databases closed cleanly: SIGHUP too, which a closed
 * terminal or `nohup`-less ssh session sends), and the exit status after each: 128 + the signal
 * number, as shells report a process the signal ended.
 */
const SIGNAL_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const

type Provided<C extends readonly Component[]> = C[number]['provides']
type Required<C extends readonly Component[]> = C[number]['requires'][number]
/** Resolves to `unknown` when every requirement is met, else to an error the compiler prints. */
export type CheckComplete<C extends readonly Component[]> = [Exclude<Required<C>, Provided<C>>] extends [never]
  ? unknown
  : { error: `missing component for: ${Exclude<Required<C>, Provided<C>> & string}` }

export interface RunningNode {
  /** The services by name, for embedding and tests. */
  services: Record<string, unknown>
  /** Components in start order. */
  order: string[]
  /** Stops every started component in reverse order; safe to call twice. */
  stop(): Promise<void>
}

export interface StartOptions {
  /** Per-component configuration sections, by service name. */
  config?: Record<string, Record<string, unknown>>
  /** Stop on SIGINT/SIGTERM/SIGHUP and exit 130/143/129 (default true for the CLI; tests pass false). */
  handleSignals?: boolean
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

/** Orders components so each comes after what it requires and the optional services present; names the missing or cyclic piece. */
export function startOrder(components: readonly Component[]): Component[] {
  const byName = new Map<string, Component>()
  for (const c of components) {
    if (byName.has(c.provides)) throw new NodeBuildError(`two components provide "${c.provides}"; replace one instead of adding both`)
    byName.set(c.provides, c)
  }
  const order: Component[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (c: Component, path: string[]) => {
    if (state.get(c.provides) === 'done') return
    if (state.get(c.provides) === 'visiting') throw new NodeBuildError(`dependency cycle: ${[...path, c.provides].join(' -> ')}`)
    state.set(c.provides, 'visiting')
    for (const r of c.requires) {
      const dep = byName.get(r)
      if (!dep) throw new NodeBuildError(`"${c.provides}" requires "${r}", which no component provides`)
      visit(dep, [...path, c.provides])
    }
    for (const o of c.optional ?? []) {
      const dep = byName.get(o)
      if (dep) visit(dep, [...path, c.provides])
    }
    state.set(c.provides, 'done')
    order.push(c)
  }
  for (const c of components) visit(c, [])
  return order
}

/** Creates and starts the components; on a failure, stops what had started and rethrows. */
export async function startNode<const C extends readonly Component[]>(components: C & CheckComplete<C>, opts: StartOptions = {}): Promise<RunningNode> {
  const log = opts.log ?? (() => {})
  const order = startOrder(components)
  const services: Record<string, unknown> = {}
  const started: { name: string; stop?: () => void | Promise<void> }[] = []
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of started.reverse()) {
        try {
          await s.stop?.()
          log('stopped', { component: s.name })
        } catch (err) {
          log('stop failed', { component: s.name, error: err instanceof Error ? err.message : String(err) })
        }
      }
    })())
  try {
    for (const c of order) {
      const deps = Object.fromEntries([...c.requires, ...(c.optional ?? [])].map((r) => [r, services[r]]))
      const inst = await c.create(deps as never, opts.config?.[c.provides] ?? {})
      services[c.provides] = inst.service
      await inst.start?.()
      started.push({ name: c.provides, stop: inst.stop?.bind(inst) })
      log('started', { component: c.provides })
    }
  } catch (err) {
    await stop()
    throw err
  }
  if (opts.handleSignals ?? true) {
    const onSignal = (sig: NodeJS.Signals) => {
      log('Signal received, stopping', { signal: sig })
      void stop().then(() => process.exit(SIGNAL_EXIT[sig as keyof typeof SIGNAL_EXIT]))
    }
    for (const sig of Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]) process.once(sig, onSignal)
  }
  return { services, order: order.map((c) => c.provides), stop }
}
