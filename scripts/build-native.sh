#!/usr/bin/env bash
# Builds the Rust N-API addon into native/mosaic.node (run by `make native`).
#
# No crates.io: the Rust crates come from Debian packages (librust-*-dev, unpacked under
# /usr/share/cargo/registry, which native/.cargo/config.toml points cargo at), and
# libsecp256k1 from libsecp256k1-dev, linked statically. So this script
#   1. installs the Debian packages that are missing (apt-get; sudo when not root),
#   2. runs `cargo build --release --offline` in native/,
#   3. installs the shared object as native/mosaic.node (atomically: a running process that
#      has the old one mapped keeps it).
# Needs a Rust toolchain (rustup; cargo on PATH or in ~/.cargo/bin) and a C linker (`cc`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NATIVE="$ROOT/native"

# Debian packages the build reads: the C library and the Rust crates (with their dependencies).
PACKAGES=(libsecp256k1-dev librust-rayon-dev librust-libc-dev librust-sha3-dev)

log() { printf '[build-native] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- 1. Debian packages ---------------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# rustc links through `cc`; libsecp256k1.a is patched with objcopy (binutils), see native/build.rs.
command -v cc >/dev/null 2>&1 || missing+=(gcc)
command -v objcopy >/dev/null 2>&1 || missing+=(binutils)

if ((${#missing[@]})); then
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get (this build expects Debian/Ubuntu)"
  if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
  elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    die "missing ${missing[*]}; run as root or install sudo (apt-get install ${missing[*]})"
  fi
  log "installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- 2. cargo -------------------------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1; then
  [[ -x "$HOME/.cargo/bin/cargo" ]] && export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs), then re-run"

log "cargo build --release --offline ($(cargo --version))"
start=$(date +%s)
(cd "$NATIVE" && cargo build --release --offline --target-dir "$NATIVE/target")
log "built in $(($(date +%s) - start))s"

# --- 3. install native/mosaic.node ----------------------------------------------------------
case "$(uname -s)" in
  Darwin) lib="libmosaic_native.dylib" ;;
  *) lib="libmosaic_native.so" ;;
esac
built="$NATIVE/target/release/$lib"
[[ -f "$built" ]] || die "cargo did not produce $built"
tmp="$NATIVE/.mosaic.node.$$"
cp "$built" "$tmp"
mv -f "$tmp" "$NATIVE/mosaic.node"
log "wrote native/mosaic.node ($(($(stat -c %s "$NATIVE/mosaic.node" 2>/dev/null || stat -f %z "$NATIVE/mosaic.node") / 1024)) KiB)"
