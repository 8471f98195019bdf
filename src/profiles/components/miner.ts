/** The `miner` component: dev-mode block production (automine, interval, evm_mine, dev controls). */
import { defineComponent, type OptionSpec } from '../../node/index.ts'
import { DevMiner, type DevBlockProducer } from '../../payload/index.ts'
import { bytesToHex, parseAddress, type Address } from '../../primitives/index.ts'
import { createAddress } from '../../evm/index.ts'
import { headerHash, transactionHash, type Block, type Receipt } from '../../types/index.ts'
import type { Logger } from '../../node/index.ts'
import { bundleTop } from './bundles.ts'

declare module '../../node/component.ts' {
  interface Services {
    miner: DevBlockProducer
  }
}

export interface MinerConfig {
  /** Seconds between blocks; 0: a block per transaction (automine). */
  blockTime?: number
  /** Mining off until evm_mine or evm_setAutomine (anvil's --no-mining). */
  noMining?: boolean
  coinbase?: string
  log?: Logger
}

export const minerOptions: OptionSpec[] = [
  { flag: 'block-time', aliases: ['dev.period'], type: 'int', section: 'miner', key: 'blockTime', min: 0, max: 86_400, help: 'seconds between mined blocks; 0 mines a block per transaction' },
  { flag: 'no-mining', type: 'bool', section: 'miner', key: 'noMining', help: 'mine only on evm_mine (automine and interval mining off)' },
  { flag: 'miner.etherbase', type: 'string', section: 'miner', key: 'coinbase', help: 'fee recipient of mined blocks' },
]

/** anvil's habit: a line per mined transaction (hash, from, to or the created contract, gas, status), then the block's. */
function logMined(log: Logger, m: { block: Block; receipts: Receipt[]; senders: Address[] }): void {
  const h = m.block.header
  let prevGas = 0n
  m.block.transactions.forEach((tx, i) => {
    const r = m.receipts[i]!
    const to = tx.to ? { to: bytesToHex(tx.to) } : { created: bytesToHex(createAddress(m.senders[i]!, tx.nonce)) }
    log.info('Transaction', { hash: bytesToHex(transactionHash(tx)), from: bytesToHex(m.senders[i]!), ...to, gas: r.cumulativeGasUsed - prevGas, status: r.status === 1 ? 'success' : 'reverted' })
    prevGas = r.cumulativeGasUsed
  })
  log.info('Mined block', { number: h.number, txs: m.block.transactions.length, gas: h.gasUsed, hash: bytesToHex(headerHash(h)) })
}

export const minerComponent = defineComponent({
  provides: 'miner',
  requires: ['chain', 'txpool', 'latest'],
  optional: ['bundles'],
  description: 'dev-mode block production: a block per transaction or on an interval; evm_/anvil_ controls',
  options: minerOptions,
  configure: (s, ctx): MinerConfig => ({ ...(s.miner as Omit<MinerConfig, 'log'>), log: ctx.log.with({ component: 'miner' }) }),
  create({ chain, txpool, latest, bundles }, c) {
    const miner = new DevMiner(chain, txpool, {
      automine: c.noMining ? false : !c.blockTime,
      blockTime: c.noMining ? 0 : c.blockTime,
      coinbase: c.coinbase ? parseAddress(c.coinbase) : undefined,
      edits: latest.edits,
      top: bundleTop(bundles, c.log),
      onMined: (m) => c.log && logMined(c.log, m),
    })
    return { service: miner, start: () => miner.start(), stop: () => miner.stop() }
  },
})
