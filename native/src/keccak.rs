//! Keccak-256 (the pre-standard padding Ethereum uses: 0x01 .. 0x80) and the keccak-f[1600]
//! permutation under it.
//!
//! The permutation is written out one round at a time (generated from the specification's
//! rotation and lane-permutation tables) so the 25 lanes stay in locals, two rounds per loop
//! iteration. On x86_64 with BMI1/BMI2 (checked at run time, once) the same code is compiled a
//! second time to use ANDN and RORX, which is ~15% faster; the binary still runs on any x86_64.

use rayon::prelude::*;

const RATE: usize = 136;

/// Round constants of keccak-f[1600].
const RC: [u64; 24] = [
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808a,
    0x8000000080008000,
    0x000000000000808b,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008a,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000a,
    0x000000008000808b,
    0x800000000000008b,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800a,
    0x800000008000000a,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
];

/// One round: theta, rho and pi (into b, lane (x, y) -> (y, 2x + 3y)), chi, iota.
/// Lane (x, y) is `a[x + 5y]`.
macro_rules! round {
    ($a:ident, $rc:expr) => {{
        let a = &mut $a;
        let rc: u64 = $rc;
        let c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
        let c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
        let c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
        let c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
        let c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
        let d0 = c4 ^ c1.rotate_left(1);
        let d1 = c0 ^ c2.rotate_left(1);
        let d2 = c1 ^ c3.rotate_left(1);
        let d3 = c2 ^ c4.rotate_left(1);
        let d4 = c3 ^ c0.rotate_left(1);
        let b0 = a[0] ^ d0;
        let b1 = (a[6] ^ d1).rotate_left(44);
        let b2 = (a[12] ^ d2).rotate_left(43);
        let b3 = (a[18] ^ d3).rotate_left(21);
        let b4 = (a[24] ^ d4).rotate_left(14);
        let b5 = (a[3] ^ d3).rotate_left(28);
        let b6 = (a[9] ^ d4).rotate_left(20);
        let b7 = (a[10] ^ d0).rotate_left(3);
        let b8 = (a[16] ^ d1).rotate_left(45);
        let b9 = (a[22] ^ d2).rotate_left(61);
        let b10 = (a[1] ^ d1).rotate_left(1);
        let b11 = (a[7] ^ d2).rotate_left(6);
        let b12 = (a[13] ^ d3).rotate_left(25);
        let b13 = (a[19] ^ d4).rotate_left(8);
        let b14 = (a[20] ^ d0).rotate_left(18);
        let b15 = (a[4] ^ d4).rotate_left(27);
        let b16 = (a[5] ^ d0).rotate_left(36);
        let b17 = (a[11] ^ d1).rotate_left(10);
        let b18 = (a[17] ^ d2).rotate_left(15);
        let b19 = (a[23] ^ d3).rotate_left(56);
        let b20 = (a[2] ^ d2).rotate_left(62);
        let b21 = (a[8] ^ d3).rotate_left(55);
        let b22 = (a[14] ^ d4).rotate_left(39);
        let b23 = (a[15] ^ d0).rotate_left(41);
        let b24 = (a[21] ^ d1).rotate_left(2);
        a[0] = b0 ^ (!b1 & b2);
        a[1] = b1 ^ (!b2 & b3);
        a[2] = b2 ^ (!b3 & b4);
        a[3] = b3 ^ (!b4 & b0);
        a[4] = b4 ^ (!b0 & b1);
        a[5] = b5 ^ (!b6 & b7);
        a[6] = b6 ^ (!b7 & b8);
        a[7] = b7 ^ (!b8 & b9);
        a[8] = b8 ^ (!b9 & b5);
        a[9] = b9 ^ (!b5 & b6);
        a[10] = b10 ^ (!b11 & b12);
        a[11] = b11 ^ (!b12 & b13);
        a[12] = b12 ^ (!b13 & b14);
        a[13] = b13 ^ (!b14 & b10);
        a[14] = b14 ^ (!b10 & b11);
        a[15] = b15 ^ (!b16 & b17);
        a[16] = b16 ^ (!b17 & b18);
        a[17] = b17 ^ (!b18 & b19);
        a[18] = b18 ^ (!b19 & b15);
        a[19] = b19 ^ (!b15 & b16);
        a[20] = b20 ^ (!b21 & b22);
        a[21] = b21 ^ (!b22 & b23);
        a[22] = b22 ^ (!b23 & b24);
        a[23] = b23 ^ (!b24 & b20);
        a[24] = b24 ^ (!b20 & b21);
        a[0] ^= rc;
    }};
}

/// keccak-f[1600] on `state`.
#[inline(always)]
fn f1600(state: &mut [u64; 25]) {
    let mut a = *state;
    let mut i = 0;
    while i < 24 {
        round!(a, RC[i]);
        round!(a, RC[i + 1]);
        i += 2;
    }
    *state = a;
}

#[inline(always)]
fn absorb(state: &mut [u64; 25], block: &[u8]) {
    for (lane, word) in state.iter_mut().zip(block.chunks_exact(8)) {
        *lane ^= u64::from_le_bytes(word.try_into().unwrap());
    }
}

#[inline(always)]
fn sponge(input: &[u8]) -> [u8; 32] {
    let mut state = [0u64; 25];
    let mut blocks = input.chunks_exact(RATE);
    for block in &mut blocks {
        absorb(&mut state, block);
        f1600(&mut state);
    }
    let rest = blocks.remainder();
    let mut last = [0u8; RATE];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] ^= 0x01;
    last[RATE - 1] ^= 0x80;
    absorb(&mut state, &last);
    f1600(&mut state);
    let mut out = [0u8; 32];
    for (chunk, lane) in out.chunks_exact_mut(8).zip(state.iter()) {
        chunk.copy_from_slice(&lane.to_le_bytes());
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi1,bmi2")]
unsafe fn sponge_bmi(input: &[u8]) -> [u8; 32] {
    sponge(input)
}

/// keccak256 of `input`.
#[inline]
pub fn keccak256(input: &[u8]) -> [u8; 32] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("bmi1") && std::is_x86_feature_detected!("bmi2") {
            // SAFETY: the CPU has the features the function is compiled for.
            return unsafe { sponge_bmi(input) };
        }
    }
    sponge(input)
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

    #[test]
    fn dispatch_paths_agree() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        for n in [0, 1, 135, 136, 137, 272, 1000] {
            assert_eq!(sponge(&data[..n]), keccak256(&data[..n]));
        }
    }

    /// The permutation on the all-zero state (Keccak team's KeccakF-1600 intermediate values).
    #[test]
    fn permutation_of_zero() {
        let mut s = [0u64; 25];
        f1600(&mut s);
        assert_eq!(s[0], 0xF1258F7940E1DDE7);
        assert_eq!(s[24], 0xEAF1FF7B5CECA249);
    }
}
