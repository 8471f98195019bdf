//! Keccak-256 (the pre-standard padding Ethereum uses) from the well-kept `sha3` crate, single
//! and batched over threads for large batches.

use rayon::prelude::*;

use sha3::{Digest, Keccak256};

/// keccak256 of `input`, by RustCrypto's `sha3` crate (Debian's librust-sha3-dev).
#[inline]
pub fn keccak256(input: &[u8]) -> [u8; 32] {
    Keccak256::digest(input).into()
}

/// Below this much input a batch is hashed on the calling thread.
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// Hashes `n` items into consecutive 32-byte slots of `out` (`out.len() == 32 * n`); `item(i)`
/// is the i-th input, `total_bytes` their summed length (it decides whether to use threads).
pub fn keccak256_many<'a>(n: usize, total_bytes: usize, item: impl Fn(usize) -> &'a [u8] + Sync, out: &mut [u8]) {
    debug_assert_eq!(out.len(), 32 * n);
    if total_bytes >= PARALLEL_MIN_BYTES && n >= 64 && rayon::current_num_threads() > 1 {
        out.par_chunks_mut(32).enumerate().with_min_len(32).for_each(|(i, o)| o.copy_from_slice(&keccak256(item(i))));
    } else {
        for (i, o) in out.chunks_exact_mut(32).enumerate() {
            o.copy_from_slice(&keccak256(item(i)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn vectors() {
        assert_eq!(hex(&keccak256(b"")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        assert_eq!(hex(&keccak256(b"abc")), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
        assert_eq!(
            hex(&keccak256(b"The quick brown fox jumps over the lazy dog")),
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"
        );
    }
}
