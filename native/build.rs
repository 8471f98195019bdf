//! Links libsecp256k1 (Debian's libsecp256k1-dev, built with the recovery module) statically,
//! so the addon has no runtime dependency beyond libc. N-API symbols stay undefined: they
//! resolve from the host process (bun / node) when the addon is loaded.
//!
//! Debian's libsecp256k1.a is compiled as position-independent *executable* code: it reads
//! libc's `stderr` (in its default abort-on-error callbacks) with a PC-relative load, which a
//! shared object cannot satisfy ("relocation R_X86_64_PC32 cannot be used against symbol
//! 'stderr'"). Everything else in it links fine into a shared object. So the archive is copied
//! into OUT_DIR with that one reference renamed to `mosaic_secp256k1_stderr`, a variable the
//! addon defines and sets to libc's `stderr` before creating a context (src/secp.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=SECP256K1_LIB_DIR");
    println!("cargo:rerun-if-changed=build.rs");

    let candidates = [
        std::env::var("SECP256K1_LIB_DIR").unwrap_or_default(),
        format!("/usr/lib/{}", multiarch()),
        "/usr/lib".to_string(),
        "/usr/local/lib".to_string(),
    ];
    let dir = candidates
        .iter()
        .filter(|d| !d.is_empty())
        .find(|d| Path::new(d).join("libsecp256k1.a").exists())
        .unwrap_or_else(|| {
            panic!("libsecp256k1.a not found (looked in {candidates:?}); install libsecp256k1-dev or set SECP256K1_LIB_DIR")
        });
    let archive = Path::new(dir).join("libsecp256k1.a");
    println!("cargo:rerun-if-changed={}", archive.display());

    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let patched = out.join("libsecp256k1.a");
    let objcopy = std::env::var("OBJCOPY").unwrap_or_else(|_| "objcopy".into());
    let status = Command::new(&objcopy)
        .arg("--redefine-sym")
        .arg("stderr=mosaic_secp256k1_stderr")
        .arg(&archive)
        .arg(&patched)
        .status()
        .unwrap_or_else(|e| panic!("running {objcopy} (binutils) failed: {e}"));
    assert!(status.success(), "{objcopy} --redefine-sym on {} failed: {status}", archive.display());

    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=secp256k1");
}

fn multiarch() -> String {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_else(|_| "gnu".into());
    let arch = match arch.as_str() {
        "x86" => "i386",
        other => other,
    };
    format!("{arch}-linux-{env}")
}
