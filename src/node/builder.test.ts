import { expect, test } from 'bun:test'
import { defineComponent, NodeBuildError, startNode, startOrder } from './index.ts'

function recorder() {
  const events: string[] = []
  const make = (name: string, requires: string[] = []) =>
    defineComponent({
      provides: name,
      requires,
      description: name,
      create: (deps) => {
        events.push(`create ${name} with ${Object.keys(deps).sort().join(',')}`)
        return { service: { name }, start: () => void events.push(`start ${name}`), stop: () => void events.push(`stop ${name}`) }
      },
    })
  return { events, make }
}

test('starts in dependency order and stops in reverse', async () => {
  const { events, make } = recorder()
  const node = await startNode([make('rpc', ['chain', 'pool']), make('pool', ['chain']), make('chain', ['storage']), make('storage')] as const, { handleSignals: false })
  expect(node.order).toEqual(['storage', 'chain', 'pool', 'rpc'])
  expect(node.services.rpc).toEqual({ name: 'rpc' })
  await node.stop()
  await node.stop() // idempotent
  expect(events).toEqual([
    'create storage with ',
    'start storage',
    'create chain with storage',
    'start chain',
    'create pool with chain',
    'start pool',
    'create rpc with chain,pool',
    'start rpc',
    'stop rpc',
    'stop pool',
    'stop chain',
    'stop storage',
  ])
})

test('a missing requirement is a clear error naming both pieces', () => {
  const { make } = recorder()
  expect(() => startOrder([make('rpc', ['chain'])])).toThrow('"rpc" requires "chain", which no component provides')
  expect(() => startOrder([make('a', ['b']), make('b', ['a'])])).toThrow('dependency cycle')
  expect(() => startOrder([make('a'), make('a')])).toThrow(NodeBuildError)
})

test('a failing start stops what had started', async () => {
  const { events, make } = recorder()
  const broken = defineComponent({
    provides: 'broken',
    requires: ['storage'],
    description: 'fails',
    create: () => {
      throw new Error('boom')
    },
  })
  await expect(startNode([make('storage'), broken] as const, { handleSignals: false })).rejects.toThrow('boom')
  expect(events).toEqual(['create storage with ', 'start storage', 'stop storage'])
})

test('missing components are a type error for static lists', () => {
  const { make } = recorder()
  const rpc = defineComponent({ provides: 'api', requires: ['chain'], description: '', create: () => ({ service: 1 }) })
  // @ts-expect-error: "chain" is required but not provided
  const attempt = () => startNode([rpc] as const, { handleSignals: false })
  expect(attempt).toBeInstanceOf(Function)
  void make
})

test('optional services: started first when present, undefined when absent', async () => {
  const events: string[] = []
  const user = defineComponent({
    provides: 'api',
    requires: ['chain'],
    optional: ['miner', 'p2p'],
    description: 'uses what is there',
    create: (deps) => {
      events.push(`api: miner ${deps.miner === undefined ? 'absent' : 'present'}, p2p ${deps.p2p === undefined ? 'absent' : 'present'}`)
      return { service: {} }
    },
  })
  const plain = (name: string, requires: string[] = []) => defineComponent({ provides: name, requires, description: name, create: () => ({ service: { name } }) })
  // listed first, the optional miner still starts before it
  const node = await startNode([user, plain('chain'), plain('miner', ['chain'])] as const, { handleSignals: false })
  expect(node.order).toEqual(['chain', 'miner', 'api'])
  expect(events).toEqual(['api: miner present, p2p absent'])
  await node.stop()
  expect(() => startOrder([defineComponent({ provides: 'a', requires: [], optional: ['b'], description: 'a', create: () => ({ service: 1 }) }), plain('b', ['a'])])).toThrow('dependency cycle')
})
