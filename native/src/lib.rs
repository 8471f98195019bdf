//! Mosaic's native addon: the hot, batchable work of an execution client behind a small N-API
//! surface. Byte buffers in, byte buffers out; batch forms take one flat buffer plus offsets so a
//! whole block crosses into native code once.
//!
//! | export | returns |
//! | --- | --- |
//! | `keccak256(input)` | 32 bytes |
//! | `keccak256Into(input, out, outOffset?)` | writes 32 bytes into out[outOffset..] (no allocation) |
//! | `keccak256Batch(data, offsets)` | 32·n bytes; item i = data[offsets[i]..offsets[i+1]] |
//! | `ecrecover(hash32, sig64, recid)` | 64-byte public key (x‖y) or null |
//! | `ecrecoverAddress(hash32, sig64, recid)` | 20-byte address or null |
//! | `ecrecoverBatch(hashes, sigs, recids)` | 65·n bytes: status (1 ok / 0 fail) ‖ public key |
//! | `ecrecoverAddressBatch(hashes, sigs, recids)` | 21·n bytes: status ‖ address |
//! | `ecrecoverAddressBatchStart(hashes, sigs, recids)` | a job id: the same batch on the thread pool, first items first |
//! | `ecrecoverAddressBatchTake(id, from, atLeast)` | 21 bytes per item from `from` on that is done, once `from..atLeast` are (waits) |
//! | `ecrecoverAddressBatchFinish(id)` | the job's 21·n bytes (waits for it; the id is then forgotten) |
//! | `sign(hash32, privateKey32)` | 65 bytes r‖s‖recid (RFC 6979, low s) |
//! | `publicKeyCreate(privateKey32)` | 64-byte public key |
//! | `trieRoot(keys, keyOffsets, values, valueOffsets)` | 32-byte Merkle-Patricia root |
//! | `secureTrieRoot(...)` | the same with keccak256(key) as the path |
//! | `blake2f(input213)` | 64 bytes: EIP-152's F with the input's round count |
//! | `features`, `version` | string[], string |
//!
//! Consumer: `src/crypto/native.ts`, which loads the addon and types this surface.
//! Arguments are checked here: a wrong type throws `TypeError`, a wrong length `RangeError`.

mod blake2f;
mod jobs;
mod keccak;
mod napi;
mod secp;
mod trie;

use napi::{napi_callback_info, napi_env, napi_value, Call, JsResult};

pub const FEATURES: &[&str] = &["keccak", "secp256k1", "trie", "blake2f"];

/// Declares `extern "C" fn $name` forwarding to `napi::call` with `$body`.
macro_rules! js_function {
    ($name:ident, $js:literal, $body:ident) => {
        unsafe extern "C" fn $name(env: napi_env, info: napi_callback_info) -> napi_value {
            napi::call(env, info, $js, $body)
        }
    };
}

// --- keccak ---------------------------------------------------------------------------------

js_function!(js_keccak256, "keccak256", keccak256);
fn keccak256(c: &Call) -> JsResult<napi_value> {
    let input = c.bytes(0, "input")?;
    c.copy_bytes(&keccak::keccak256(input))
}

js_function!(js_keccak256_into, "keccak256Into", keccak256_into);
fn keccak256_into(c: &Call) -> JsResult<napi_value> {
    let hash = keccak::keccak256(c.bytes(0, "input")?);
    let out = c.bytes_out(1, "out")?;
    let offset = match c.opt_number(2, "outOffset")? {
        None => 0,
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= out.len as f64 => v as usize,
        Some(v) => return Err(c.range_error(format_args!("outOffset must be an integer in 0..={}, got {v}", out.len))),
    };
    if !out.write(offset, &hash) {
        return Err(c.range_error(format_args!("out has {} bytes, needs outOffset + 32 = {}", out.len, offset + 32)));
    }
    c.undefined()
}

/// Checks `offsets` (n+1 entries, non-decreasing, last within `len`) and returns n.
fn check_offsets(c: &Call, offsets: &[u32], len: usize, what: &str) -> JsResult<usize> {
    if offsets.is_empty() {
        return Err(c.range_error(format_args!("{what} must have n+1 entries (at least 1)")));
    }
    for (i, w) in offsets.windows(2).enumerate() {
        if w[1] < w[0] {
            return Err(c.range_error(format_args!("{what} must not decrease ({what}[{}] > {what}[{}])", i, i + 1)));
        }
    }
    let last = *offsets.last().unwrap() as usize;
    if last > len {
        return Err(c.range_error(format_args!("{what} point past the end of the data ({last} > {len})")));
    }
    Ok(offsets.len() - 1)
}

js_function!(js_keccak256_batch, "keccak256Batch", keccak256_batch);
fn keccak256_batch(c: &Call) -> JsResult<napi_value> {
    let data = c.bytes(0, "data")?;
    let offsets = c.u32s(1, "offsets")?;
    let n = check_offsets(c, offsets, data.len(), "offsets")?;
    let total = offsets[n] as usize - offsets[0] as usize;
    c.new_bytes(32 * n, |out| {
        keccak::keccak256_many(n, total, |i| &data[offsets[i] as usize..offsets[i + 1] as usize], out);
        Ok(())
    })
}

// --- secp256k1 ------------------------------------------------------------------------------

/// A recid argument: 0 or 1 recover; any other number makes the signature invalid (null).
fn recid_arg(c: &Call, i: usize) -> JsResult<u8> {
    let v = c.number(i, "recid")?;
    Ok(if v == 0.0 {
        0
    } else if v == 1.0 {
        1
    } else {
        u8::MAX
    })
}

js_function!(js_ecrecover, "ecrecover", ecrecover);
fn ecrecover(c: &Call) -> JsResult<napi_value> {
    let hash = c.bytes_n::<32>(0, "hash")?;
    let sig = c.bytes_n::<64>(1, "sig")?;
    let recid = recid_arg(c, 2)?;
    match secp::recover(hash, sig, recid) {
        Some(pk) => c.copy_bytes(&pk),
        None => c.null(),
    }
}

js_function!(js_ecrecover_address, "ecrecoverAddress", ecrecover_address);
fn ecrecover_address(c: &Call) -> JsResult<napi_value> {
    let hash = c.bytes_n::<32>(0, "hash")?;
    let sig = c.bytes_n::<64>(1, "sig")?;
    let recid = recid_arg(c, 2)?;
    match secp::recover(hash, sig, recid) {
        Some(pk) => c.copy_bytes(&secp::address(&pk)),
        None => c.null(),
    }
}

/// Checks the three batch buffers agree on n and returns them.
fn batch_args(c: &Call) -> JsResult<(&[u8], &[u8], &[u8])> {
    let hashes = c.bytes(0, "hashes")?;
    let sigs = c.bytes(1, "sigs")?;
    let recids = c.bytes(2, "recids")?;
    let n = recids.len();
    if hashes.len() != 32 * n {
        return Err(c.range_error(format_args!(
            "hashes must be 32*n = {} bytes for n = {n} recids, got {}",
            32 * n,
            hashes.len()
        )));
    }
    if sigs.len() != 64 * n {
        return Err(c.range_error(format_args!(
            "sigs must be 64*n = {} bytes for n = {n} recids, got {}",
            64 * n,
            sigs.len()
        )));
    }
    Ok((hashes, sigs, recids))
}

js_function!(js_ecrecover_batch, "ecrecoverBatch", ecrecover_batch);
fn ecrecover_batch(c: &Call) -> JsResult<napi_value> {
    let (hashes, sigs, recids) = batch_args(c)?;
    c.new_bytes(65 * recids.len(), |out| {
        secp::recover_many(hashes, sigs, recids, out, 65, |pk, slot| {
            if let Some(pk) = pk {
                slot[0] = 1;
                slot[1..].copy_from_slice(&pk);
            }
        });
        Ok(())
    })
}

js_function!(js_ecrecover_address_batch, "ecrecoverAddressBatch", ecrecover_address_batch);
fn ecrecover_address_batch(c: &Call) -> JsResult<napi_value> {
    let (hashes, sigs, recids) = batch_args(c)?;
    c.new_bytes(21 * recids.len(), |out| {
        recover_addresses(hashes, sigs, recids, out);
        Ok(())
    })
}

/// Fills `out` with 21·n bytes of status ‖ address (the batch forms' layout).
fn recover_addresses(hashes: &[u8], sigs: &[u8], recids: &[u8], out: &mut [u8]) {
    secp::recover_many(hashes, sigs, recids, out, 21, address_slot);
}

/// One item of that layout: status 1 and the address, or left zero (status 0) when not recovered.
fn address_slot(pk: Option<[u8; 64]>, slot: &mut [u8]) {
    if let Some(pk) = pk {
        slot[0] = 1;
        slot[1..].copy_from_slice(&secp::address(&pk));
    }
}

js_function!(js_ecrecover_address_batch_start, "ecrecoverAddressBatchStart", ecrecover_address_batch_start);
fn ecrecover_address_batch_start(c: &Call) -> JsResult<napi_value> {
    let (hashes, sigs, recids) = batch_args(c)?;
    let (hashes, sigs, recids) = (hashes.to_vec(), sigs.to_vec(), recids.to_vec());
    let id = jobs::start(recids.len(), 21, move |i, slot| {
        let h: &[u8; 32] = hashes[32 * i..32 * i + 32].try_into().unwrap();
        let s: &[u8; 64] = sigs[64 * i..64 * i + 64].try_into().unwrap();
        address_slot(secp::recover(h, s, recids[i]), slot);
    });
    c.new_number(f64::from(id))
}

/// A job id argument (from ecrecoverAddressBatchStart).
fn job_arg(c: &Call) -> JsResult<u32> {
    let id = c.number(0, "job")?;
    if !(id >= 0.0 && id <= f64::from(u32::MAX) && id.fract() == 0.0) {
        return Err(c.range_error(format_args!("job must be an id from ecrecoverAddressBatchStart, got {id}")));
    }
    Ok(id as u32)
}

/// An item index argument.
fn index_arg(c: &Call, i: usize, what: &str) -> JsResult<usize> {
    let v = c.number(i, what)?;
    if !(v >= 0.0 && v <= u32::MAX as f64 && v.fract() == 0.0) {
        return Err(c.range_error(format_args!("{what} must be an item index, got {v}")));
    }
    Ok(v as usize)
}

js_function!(js_ecrecover_address_batch_take, "ecrecoverAddressBatchTake", ecrecover_address_batch_take);
fn ecrecover_address_batch_take(c: &Call) -> JsResult<napi_value> {
    let id = job_arg(c)?;
    let (from, at_least) = (index_arg(c, 1, "from")?, index_arg(c, 2, "atLeast")?);
    let out = jobs::take(id, from, at_least).map_err(|e| c.range_error(e))?;
    c.copy_bytes(&out)
}

js_function!(js_ecrecover_address_batch_finish, "ecrecoverAddressBatchFinish", ecrecover_address_batch_finish);
fn ecrecover_address_batch_finish(c: &Call) -> JsResult<napi_value> {
    let out = jobs::finish(job_arg(c)?).map_err(|e| c.error(e))?;
    c.copy_bytes(&out)
}

js_function!(js_sign, "sign", sign);
fn sign(c: &Call) -> JsResult<napi_value> {
    let hash = c.bytes_n::<32>(0, "hash")?;
    let key = c.bytes_n::<32>(1, "privateKey")?;
    match secp::sign(hash, key) {
        Some(sig) => c.copy_bytes(&sig),
        None => Err(c.error("invalid private key (zero or not below the curve order)")),
    }
}

js_function!(js_public_key_create, "publicKeyCreate", public_key_create);
fn public_key_create(c: &Call) -> JsResult<napi_value> {
    let key = c.bytes_n::<32>(0, "privateKey")?;
    match secp::public_key(key) {
        Some(pk) => c.copy_bytes(&pk),
        None => Err(c.error("invalid private key (zero or not below the curve order)")),
    }
}

// --- trie -----------------------------------------------------------------------------------

/// Reads (keys, keyOffsets, values, valueOffsets) into pairs.
fn trie_args(c: &Call) -> JsResult<Vec<(&[u8], &[u8])>> {
    let keys = c.bytes(0, "keys")?;
    let key_offsets = c.u32s(1, "keyOffsets")?;
    let values = c.bytes(2, "values")?;
    let value_offsets = c.u32s(3, "valueOffsets")?;
    let n = check_offsets(c, key_offsets, keys.len(), "keyOffsets")?;
    let m = check_offsets(c, value_offsets, values.len(), "valueOffsets")?;
    if n != m {
        return Err(c.range_error(format_args!("keyOffsets has {n} items, valueOffsets has {m}")));
    }
    Ok((0..n)
        .map(|i| {
            (
                &keys[key_offsets[i] as usize..key_offsets[i + 1] as usize],
                &values[value_offsets[i] as usize..value_offsets[i + 1] as usize],
            )
        })
        .collect())
}

js_function!(js_trie_root, "trieRoot", trie_root);
fn trie_root(c: &Call) -> JsResult<napi_value> {
    let pairs = trie_args(c)?;
    c.copy_bytes(&trie::root(pairs))
}

js_function!(js_secure_trie_root, "secureTrieRoot", secure_trie_root);
fn secure_trie_root(c: &Call) -> JsResult<napi_value> {
    let pairs = trie_args(c)?;
    c.copy_bytes(&trie::secure_root(pairs))
}

// --- blake2f --------------------------------------------------------------------------------

js_function!(js_blake2f, "blake2f", blake2f_precompile);
fn blake2f_precompile(c: &Call) -> JsResult<napi_value> {
    let input = c.bytes(0, "input")?;
    match blake2f::precompile(input) {
        Some(out) => c.copy_bytes(&out),
        None => Err(c.range_error(format_args!("blake2f input must be 213 bytes with a final flag of 0 or 1"))),
    }
}

// --- registration ---------------------------------------------------------------------------

fn register(env: napi_env, exports: napi_value) -> JsResult<()> {
    secp::init();
    let functions: &[(&str, napi::napi_callback)] = &[
        ("keccak256", Some(js_keccak256)),
        ("keccak256Into", Some(js_keccak256_into)),
        ("keccak256Batch", Some(js_keccak256_batch)),
        ("ecrecover", Some(js_ecrecover)),
        ("ecrecoverAddress", Some(js_ecrecover_address)),
        ("ecrecoverBatch", Some(js_ecrecover_batch)),
        ("ecrecoverAddressBatch", Some(js_ecrecover_address_batch)),
        ("ecrecoverAddressBatchStart", Some(js_ecrecover_address_batch_start)),
        ("ecrecoverAddressBatchTake", Some(js_ecrecover_address_batch_take)),
        ("ecrecoverAddressBatchFinish", Some(js_ecrecover_address_batch_finish)),
        ("sign", Some(js_sign)),
        ("publicKeyCreate", Some(js_public_key_create)),
        ("trieRoot", Some(js_trie_root)),
        ("secureTrieRoot", Some(js_secure_trie_root)),
        ("blake2f", Some(js_blake2f)),
    ];
    for (name, f) in functions {
        napi::export_function(env, exports, name, *f)?;
    }
    napi::export_strings(env, exports, "features", FEATURES)?;
    napi::export_string(env, exports, "version", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

/// Module entry point, looked up by name by Node and Bun (`NAPI_MODULE_INIT`).
///
/// # Safety
/// Called by the host with a live `env` and its `exports` object, on the JS thread.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: napi_env, exports: napi_value) -> napi_value {
    let result = std::panic::catch_unwind(|| register(env, exports));
    match result {
        Ok(Ok(())) => exports,
        Ok(Err(e)) => {
            napi::throw_registration_error(env, e);
            std::ptr::null_mut()
        }
        Err(_) => {
            napi::throw_registration_error(
                env,
                napi::JsError::Plain("mosaic native: panic during registration".into()),
            );
            std::ptr::null_mut()
        }
    }
}

/// The Node-API version the addon is written against (8: everything used here is older).
#[no_mangle]
pub extern "C" fn node_api_module_get_api_version_v1() -> i32 {
    8
}

// --- C ABI for bun:ffi ----------------------------------------------------------------------
// A plain C call costs tens of nanoseconds from Bun; an N-API call several hundred. The hottest
// small hash (the EVM's KECCAK256, trie nodes) comes this way when `bun:ffi` can open the addon.

/// keccak256 of data[start..start+len] into out[out_offset..out_offset+32]. The caller (src/crypto/
/// native.ts) checks the ranges against the buffers' lengths before calling.
///
/// # Safety
/// `data` must be valid for `start + len` bytes (or `len` 0) and `out` for `out_offset + 32`.
#[no_mangle]
pub unsafe extern "C" fn mosaic_keccak256_at(data: *const u8, start: usize, len: usize, out: *mut u8, out_offset: usize) {
    let input: &[u8] = if len == 0 { &[] } else { std::slice::from_raw_parts(data.add(start), len) };
    let hash = keccak::keccak256(input);
    std::ptr::copy_nonoverlapping(hash.as_ptr(), out.add(out_offset), 32);
}
