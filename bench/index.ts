/** `make bench`: runs every benchmark group in turn. */
const groups = ['./keccak.bench.ts', './kzg.bench.ts', './ecrecover.bench.ts', './trie.bench.ts', './storage/store.bench.ts', './storage/memory.bench.ts', './evm.bench.ts', './import.bench.ts', './engine.bench.ts', './sync.bench.ts', './p2p.bench.ts', './node.bench.ts', './statediff.bench.ts', './nats.bench.ts', './fork.bench.ts', './bundle.bench.ts']

for (const g of groups) {
  const mod = (await import(g)) as { run: () => Promise<void> }
  await mod.run()
}
export {}
