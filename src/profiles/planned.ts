/**
 * Profiles declared with what they are made of but not runnable in this build: each names the
 * components it still lacks, and starting it says so instead of starting half a node.
 */
import type { Profile } from './profile.ts'

function planned(name: string, summary: string, shorthand: string, planned: string[], missing: string[], extra: Partial<Profile> = {}): Profile {
  return { name, summary, shorthand, components: [], planned, missing, options: [], defaults: { chain: 'mainnet' }, ...extra }
}

export const statesyncProfile = planned(
  'statesync',
  'follows a chain and streams each block\'s state diff into pluggable data stores',
  'statesync',
  ['chain', 'chain source', 'diff stream', 'data stores'],
  ['chain source (Engine API / p2p follower)', 'diff stream', 'data store adapters'],
)
