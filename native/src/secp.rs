//! secp256k1 over libsecp256k1 (Debian's libsecp256k1-dev, linked statically; the recovery
//! module is part of it). Declared by hand from secp256k1.h and secp256k1_recovery.h (0.2.x).
//!
//! One context serves every thread: after creation (and one-time randomization, a side-channel
//! blinding that does not change any output) it is only passed as `const`, which libsecp256k1
//! documents as safe to share.

use std::ffi::{c_char, c_int, c_uint, c_void};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::keccak::keccak256;

#[repr(C)]
struct Context {
    _p: [u8; 0],
}

/// `secp256k1_pubkey`: 64 opaque bytes.
#[repr(C)]
struct PublicKey {
    data: [u8; 64],
}

/// `secp256k1_ecdsa_recoverable_signature`: 65 opaque bytes.
#[repr(C)]
struct RecoverableSignature {
    data: [u8; 65],
}

const SECP256K1_CONTEXT_NONE: c_uint = 1; // SECP256K1_FLAGS_TYPE_CONTEXT
const SECP256K1_EC_UNCOMPRESSED: c_uint = 1 << 1; // SECP256K1_FLAGS_TYPE_COMPRESSION

type IllegalCallback = Option<unsafe extern "C" fn(message: *const c_char, data: *mut c_void)>;

extern "C" {
    fn secp256k1_context_create(flags: c_uint) -> *mut Context;
    fn secp256k1_context_randomize(ctx: *mut Context, seed32: *const u8) -> c_int;
    fn secp256k1_context_set_illegal_callback(ctx: *mut Context, fun: IllegalCallback, data: *const c_void);
    fn secp256k1_ecdsa_recoverable_signature_parse_compact(
        ctx: *const Context,
        sig: *mut RecoverableSignature,
        input64: *const u8,
        recid: c_int,
    ) -> c_int;
    fn secp256k1_ecdsa_recoverable_signature_serialize_compact(
        ctx: *const Context,
        output64: *mut u8,
        recid: *mut c_int,
        sig: *const RecoverableSignature,
    ) -> c_int;
    fn secp256k1_ecdsa_recover(
        ctx: *const Context,
        pubkey: *mut PublicKey,
        sig: *const RecoverableSignature,
        msghash32: *const u8,
    ) -> c_int;
    fn secp256k1_ecdsa_sign_recoverable(
        ctx: *const Context,
        sig: *mut RecoverableSignature,
        msghash32: *const u8,
        seckey: *const u8,
        noncefp: *const c_void, // NULL: RFC 6979
        ndata: *const c_void,
    ) -> c_int;
    fn secp256k1_ec_pubkey_create(ctx: *const Context, pubkey: *mut PublicKey, seckey: *const u8) -> c_int;
    fn secp256k1_ec_pubkey_serialize(
        ctx: *const Context,
        output: *mut u8,
        outputlen: *mut usize,
        pubkey: *const PublicKey,
        flags: c_uint,
    ) -> c_int;
}

/// The default illegal-argument callback aborts the process; this one lets the call return 0.
/// (The addon never passes NULL pointers, so it should not fire.)
unsafe extern "C" fn ignore_illegal(_message: *const c_char, _data: *mut c_void) {}

extern "C" {
    /// libc's standard error stream.
    static mut stderr: *mut libc::FILE;
}

// What libsecp256k1's default error callbacks print to: build.rs renames the archive's `stderr`
// reference to this symbol (see there why). It is set to libc's `stderr` before any context is
// created. Defined in assembly because it must be *hidden* (not exported from the shared
// object, hence bound locally), which Rust statics cannot express on stable.
std::arch::global_asm!(
    ".pushsection .data.mosaic_secp256k1_stderr,\"aw\"",
    ".globl mosaic_secp256k1_stderr",
    ".hidden mosaic_secp256k1_stderr",
    ".p2align 3",
    "mosaic_secp256k1_stderr:",
    ".8byte 0",
    ".popsection",
);

extern "C" {
    static mut mosaic_secp256k1_stderr: *mut libc::FILE;
}

struct Ctx(*mut Context);
// SAFETY: after init the context is only used through `*const` APIs, which are thread-safe.
unsafe impl Send for Ctx {}
unsafe impl Sync for Ctx {}

static CONTEXT: OnceLock<Ctx> = OnceLock::new();

fn ctx() -> *const Context {
    CONTEXT
        .get_or_init(|| unsafe {
            mosaic_secp256k1_stderr = stderr;
            let c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
            assert!(!c.is_null(), "secp256k1_context_create failed");
            secp256k1_context_set_illegal_callback(c, Some(ignore_illegal), std::ptr::null());
            let mut seed = [0u8; 32];
            let got = libc::getrandom(seed.as_mut_ptr() as *mut c_void, 32, 0);
            if got == 32 {
                secp256k1_context_randomize(c, seed.as_ptr());
            }
            Ctx(c)
        })
        .0
}

/// Creates the shared context now (module load) rather than on the first call.
pub fn init() {
    ctx();
}

/// Recovers the uncompressed public key (x || y, 64 bytes) of an ECDSA signature `r || s` over
/// `hash` with recovery id `recid` (0 or 1). None when the signature is invalid: r or s zero or
/// not below the group order, no curve point for r, or a recid other than 0/1. High s is
/// accepted (that rule belongs to transaction validity, not to recovery).
pub fn recover(hash: &[u8; 32], sig: &[u8; 64], recid: u8) -> Option<[u8; 64]> {
    if recid > 1 {
        return None;
    }
    let ctx = ctx();
    unsafe {
        let mut rs = RecoverableSignature { data: [0; 65] };
        if secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &mut rs, sig.as_ptr(), recid as c_int) != 1 {
            return None;
        }
        let mut pk = PublicKey { data: [0; 64] };
        if secp256k1_ecdsa_recover(ctx, &mut pk, &rs, hash.as_ptr()) != 1 {
            return None;
        }
        serialize(ctx, &pk)
    }
}

unsafe fn serialize(ctx: *const Context, pk: &PublicKey) -> Option<[u8; 64]> {
    let mut out = [0u8; 65];
    let mut len = out.len();
    if secp256k1_ec_pubkey_serialize(ctx, out.as_mut_ptr(), &mut len, pk, SECP256K1_EC_UNCOMPRESSED) != 1 || len != 65 {
        return None;
    }
    let mut xy = [0u8; 64];
    xy.copy_from_slice(&out[1..]);
    Some(xy)
}

/// The 20-byte address of a 64-byte public key: keccak256(x || y)[12..].
pub fn address(public_key: &[u8; 64]) -> [u8; 20] {
    let h = keccak256(public_key);
    let mut a = [0u8; 20];
    a.copy_from_slice(&h[12..]);
    a
}

/// Deterministic (RFC 6979), low-s signature: `r || s || recid`. None for an invalid key
/// (zero, or not below the group order).
pub fn sign(hash: &[u8; 32], secret: &[u8; 32]) -> Option<[u8; 65]> {
    let ctx = ctx();
    unsafe {
        let mut rs = RecoverableSignature { data: [0; 65] };
        let ok = secp256k1_ecdsa_sign_recoverable(
            ctx,
            &mut rs,
            hash.as_ptr(),
            secret.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
        );
        if ok != 1 {
            return None;
        }
        let mut out = [0u8; 65];
        let mut recid: c_int = 0;
        if secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, out.as_mut_ptr(), &mut recid, &rs) != 1 {
            return None;
        }
        out[64] = recid as u8;
        Some(out)
    }
}

/// The 64-byte public key (x || y) of a private key; None when the key is invalid.
pub fn public_key(secret: &[u8; 32]) -> Option<[u8; 64]> {
    let ctx = ctx();
    unsafe {
        let mut pk = PublicKey { data: [0; 64] };
        if secp256k1_ec_pubkey_create(ctx, &mut pk, secret.as_ptr()) != 1 {
            return None;
        }
        serialize(ctx, &pk)
    }
}

/// Below this many signatures a batch runs on the calling thread (thread hand-off costs more).
const PARALLEL_MIN_ITEMS: usize = 8;

/// Recovers `recids.len()` signatures into `out`, `stride` bytes per item, each written by
/// `write(pubkey_or_none, slot)`.
pub fn recover_many(
    hashes: &[u8],
    sigs: &[u8],
    recids: &[u8],
    out: &mut [u8],
    stride: usize,
    write: impl Fn(Option<[u8; 64]>, &mut [u8]) + Sync,
) {
    let one = |i: usize, slot: &mut [u8]| {
        let h: &[u8; 32] = hashes[32 * i..32 * i + 32].try_into().unwrap();
        let s: &[u8; 64] = sigs[64 * i..64 * i + 64].try_into().unwrap();
        write(recover(h, s, recids[i]), slot);
    };
    if recids.len() >= PARALLEL_MIN_ITEMS && rayon::current_num_threads() > 1 {
        out.par_chunks_mut(stride).enumerate().with_min_len(4).for_each(|(i, slot)| one(i, slot));
    } else {
        for (i, slot) in out.chunks_exact_mut(stride).enumerate() {
            one(i, slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_recover_roundtrip() {
        let key = [7u8; 32];
        let hash = crate::keccak::keccak256(b"mosaic");
        let sig = sign(&hash, &key).expect("valid key");
        let pk = public_key(&key).unwrap();
        let rs: &[u8; 64] = sig[..64].try_into().unwrap();
        assert_eq!(recover(&hash, rs, sig[64]), Some(pk));
        assert_ne!(recover(&hash, rs, sig[64] ^ 1), Some(pk));
        assert_eq!(recover(&hash, rs, 2), None);
        assert_eq!(sign(&hash, &[0u8; 32]), None);
        assert_eq!(recover(&hash, &[0u8; 64], 0), None);
    }

    #[test]
    #[ignore]
    fn bench_recover() {
        let key = [7u8; 32];
        let hash = crate::keccak::keccak256(b"mosaic");
        let sig = sign(&hash, &key).unwrap();
        let rs: &[u8; 64] = sig[..64].try_into().unwrap();
        let mut best = f64::MAX;
        for _ in 0..20 {
            let t = std::time::Instant::now();
            for _ in 0..100 {
                std::hint::black_box(recover(std::hint::black_box(&hash), rs, sig[64]));
            }
            best = best.min(t.elapsed().as_nanos() as f64 / 100.0);
        }
        println!("recover: {:.1} us", best / 1000.0);
    }
}
