//! Merkle-Patricia trie root of a set of key/value pairs, computed from the sorted leaves with
//! no node store: each node is RLP-encoded once, bottom-up, and reduced to its reference (the
//! RLP itself when shorter than 32 bytes, else its keccak256). The root is always hashed.
//!
//! Keys are walked as nibbles straight from the key bytes; byte order equals nibble order, so
//! sorting by bytes gives the trie's leaf order. Large subtrees of a branch are built on the
//! rayon pool in parallel.

use rayon::prelude::*;

use crate::keccak::keccak256;

/// keccak256(rlp("")): the root of the empty trie.
pub const EMPTY_ROOT: [u8; 32] = [
    0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45, 0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0,
    0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21,
];

/// Below this many leaves sorting and hashing run on the calling thread.
const PARALLEL_MIN_LEAVES: usize = 4096;
/// A branch whose subtree holds at least this many leaves builds its children in parallel.
const PARALLEL_MIN_SUBTREE: usize = 2048;

/// The root of the trie holding `pairs` (key, value). Later pairs replace earlier ones with the
/// same key; an empty value means the key is absent.
pub fn root<'a>(pairs: Vec<(&'a [u8], &'a [u8])>) -> [u8; 32] {
    let leaves = prepare(pairs);
    root_of_sorted(&leaves)
}

/// Like [`root`], with every key replaced by keccak256(key) first (the "secure" trie of state
/// and storage).
pub fn secure_root<'a>(pairs: Vec<(&'a [u8], &'a [u8])>) -> [u8; 32] {
    let hash = |&(k, v): &(&'a [u8], &'a [u8])| -> ([u8; 32], &'a [u8]) { (keccak256(k), v) };
    let hashed: Vec<([u8; 32], &[u8])> = if pairs.len() >= PARALLEL_MIN_LEAVES {
        pairs.par_iter().map(hash).collect()
    } else {
        pairs.iter().map(hash).collect()
    };
    let pairs: Vec<(&[u8], &[u8])> = hashed.iter().map(|(k, v)| (&k[..], *v)).collect();
    root(pairs)
}

/// Sorts by key (stable, so input order breaks ties), keeps the last pair of each key, and drops
/// empty values.
fn prepare<'a>(mut pairs: Vec<(&'a [u8], &'a [u8])>) -> Vec<(&'a [u8], &'a [u8])> {
    if pairs.len() >= PARALLEL_MIN_LEAVES {
        pairs.par_sort_by(|a, b| a.0.cmp(b.0));
    } else {
        pairs.sort_by(|a, b| a.0.cmp(b.0));
    }
    let mut out: Vec<(&[u8], &[u8])> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == k => last.1 = v,
            _ => out.push((k, v)),
        }
    }
    out.retain(|(_, v)| !v.is_empty());
    out
}

/// Root of sorted, unique, non-empty leaves.
fn root_of_sorted(leaves: &[(&[u8], &[u8])]) -> [u8; 32] {
    if leaves.is_empty() {
        return EMPTY_ROOT;
    }
    let mut buf = Vec::with_capacity(1024);
    encode_node(leaves, 0, &mut buf);
    keccak256(&buf)
}

#[inline(always)]
fn nibble(key: &[u8], i: usize) -> u8 {
    let b = key[i / 2];
    if i % 2 == 0 {
        b >> 4
    } else {
        b & 0x0f
    }
}

#[inline(always)]
fn nibble_len(key: &[u8]) -> usize {
    key.len() * 2
}

/// Number of nibbles `a` and `b` share from nibble `from` on.
fn common_prefix(a: &[u8], b: &[u8], from: usize) -> usize {
    let end = nibble_len(a).min(nibble_len(b));
    let mut i = from;
    // nibble by nibble up to a byte boundary, then byte by byte
    if i % 2 == 1 && i < end {
        if nibble(a, i) != nibble(b, i) {
            return 0;
        }
        i += 1;
    }
    while i + 1 < end {
        let (x, y) = (a[i / 2], b[i / 2]);
        if x != y {
            if x >> 4 == y >> 4 {
                i += 1;
            }
            return i - from;
        }
        i += 2;
    }
    if i < end && nibble(a, i) == nibble(b, i) {
        i += 1;
    }
    i - from
}

/// What a parent embeds for a child: the child's RLP when shorter than 32 bytes, else
/// rlp(keccak256(child)) = 0xa0 || hash. 0x80 (the empty string) for no child.
#[derive(Clone, Copy)]
struct NodeRef {
    len: u8,
    bytes: [u8; 33],
}

impl NodeRef {
    const EMPTY: NodeRef = NodeRef { len: 1, bytes: [0x80; 33] };

    fn of(rlp: &[u8]) -> NodeRef {
        let mut r = NodeRef { len: 0, bytes: [0; 33] };
        if rlp.len() < 32 {
            r.bytes[..rlp.len()].copy_from_slice(rlp);
            r.len = rlp.len() as u8;
        } else {
            r.bytes[0] = 0xa0;
            r.bytes[1..].copy_from_slice(&keccak256(rlp));
            r.len = 33;
        }
        r
    }

    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

/// Reference to the node over `leaves` at nibble depth `depth`. Uses `buf` as scratch (restored).
fn node_ref(leaves: &[(&[u8], &[u8])], depth: usize, buf: &mut Vec<u8>) -> NodeRef {
    let start = buf.len();
    encode_node(leaves, depth, buf);
    let r = NodeRef::of(&buf[start..]);
    buf.truncate(start);
    r
}

/// Appends the RLP of the node over `leaves` (non-empty, sorted, unique; all sharing the first
/// `depth` nibbles) to `out`.
fn encode_node(leaves: &[(&[u8], &[u8])], depth: usize, out: &mut Vec<u8>) {
    if leaves.len() == 1 {
        let (key, value) = leaves[0];
        // leaf: [hex_prefix(rest of key, leaf), value]
        let hp_len = hex_prefix_len(nibble_len(key) - depth);
        let payload = rlp_string_len_hp(hp_len) + rlp_string_len(value);
        list_header(payload, out);
        write_hex_prefix(key, depth, nibble_len(key), true, out);
        write_string(value, out);
        return;
    }
    let first = leaves[0].0;
    let last = leaves[leaves.len() - 1].0;
    let shared = common_prefix(first, last, depth);
    if shared > 0 {
        // extension: [hex_prefix(shared nibbles, extension), ref(branch below)]
        let child = node_ref(leaves, depth + shared, out);
        let hp_len = hex_prefix_len(shared);
        let payload = rlp_string_len_hp(hp_len) + child.len as usize;
        list_header(payload, out);
        write_hex_prefix(first, depth, depth + shared, false, out);
        out.extend_from_slice(child.as_slice());
        return;
    }
    encode_branch(leaves, depth, out);
}

/// Appends the RLP of a branch at `depth`: 16 children by the nibble at `depth`, plus the value
/// of the key that ends exactly here (sorted first, if any).
fn encode_branch(leaves: &[(&[u8], &[u8])], depth: usize, out: &mut Vec<u8>) {
    let (value, rest) = if nibble_len(leaves[0].0) == depth { (leaves[0].1, &leaves[1..]) } else { (&[][..], leaves) };

    // group boundaries by nibble
    let mut groups: [(usize, usize); 16] = [(0, 0); 16];
    let mut i = 0;
    while i < rest.len() {
        let n = nibble(rest[i].0, depth) as usize;
        let mut j = i + 1;
        while j < rest.len() && nibble(rest[j].0, depth) as usize == n {
            j += 1;
        }
        groups[n] = (i, j);
        i = j;
    }

    let mut children = [NodeRef::EMPTY; 16];
    if rest.len() >= PARALLEL_MIN_SUBTREE && rayon::current_num_threads() > 1 {
        let built: Vec<(usize, NodeRef)> = (0..16usize)
            .into_par_iter()
            .filter(|&n| groups[n].1 > groups[n].0)
            .map(|n| {
                let mut scratch = Vec::with_capacity(1024);
                (n, node_ref(&rest[groups[n].0..groups[n].1], depth + 1, &mut scratch))
            })
            .collect();
        for (n, r) in built {
            children[n] = r;
        }
    } else {
        for n in 0..16 {
            let (a, b) = groups[n];
            if b > a {
                children[n] = node_ref(&rest[a..b], depth + 1, out);
            }
        }
    }

    let payload: usize = children.iter().map(|c| c.len as usize).sum::<usize>() + rlp_string_len(value);
    list_header(payload, out);
    for c in &children {
        out.extend_from_slice(c.as_slice());
    }
    write_string(value, out);
}

// --- RLP, by hand ---------------------------------------------------------------------------

fn be_len(n: usize) -> usize {
    (usize::BITS as usize - n.leading_zeros() as usize + 7) / 8
}

fn write_be(n: usize, out: &mut Vec<u8>) {
    let k = be_len(n);
    out.extend_from_slice(&n.to_be_bytes()[std::mem::size_of::<usize>() - k..]);
}

/// Encoded length of an RLP string.
fn rlp_string_len(s: &[u8]) -> usize {
    if s.len() == 1 && s[0] < 0x80 {
        1
    } else if s.len() < 56 {
        1 + s.len()
    } else {
        1 + be_len(s.len()) + s.len()
    }
}

/// Encoded length of a hex-prefix string of `hp_len` bytes (a 1-byte one is always < 0x80).
fn rlp_string_len_hp(hp_len: usize) -> usize {
    if hp_len == 1 {
        1
    } else if hp_len < 56 {
        1 + hp_len
    } else {
        1 + be_len(hp_len) + hp_len
    }
}

fn string_header(len: usize, out: &mut Vec<u8>) {
    if len < 56 {
        out.push(0x80 + len as u8);
    } else {
        out.push(0xb7 + be_len(len) as u8);
        write_be(len, out);
    }
}

fn write_string(s: &[u8], out: &mut Vec<u8>) {
    if s.len() == 1 && s[0] < 0x80 {
        out.push(s[0]);
    } else {
        string_header(s.len(), out);
        out.extend_from_slice(s);
    }
}

fn list_header(payload: usize, out: &mut Vec<u8>) {
    if payload < 56 {
        out.push(0xc0 + payload as u8);
    } else {
        out.push(0xf7 + be_len(payload) as u8);
        write_be(payload, out);
    }
}

/// Bytes of the hex-prefix encoding of `nibbles` nibbles.
fn hex_prefix_len(nibbles: usize) -> usize {
    1 + nibbles / 2
}

/// Writes rlp(hex_prefix(key nibbles [from, to), leaf)).
fn write_hex_prefix(key: &[u8], from: usize, to: usize, leaf: bool, out: &mut Vec<u8>) {
    let n = to - from;
    let hp_len = hex_prefix_len(n);
    if hp_len > 1 {
        string_header(hp_len, out);
    }
    let flag: u8 = if leaf { 0x20 } else { 0x00 };
    let mut i = from;
    if n % 2 == 1 {
        out.push(flag | 0x10 | nibble(key, i));
        i += 1;
    } else {
        out.push(flag);
    }
    if i % 2 == 0 {
        // byte aligned: copy whole bytes
        out.extend_from_slice(&key[i / 2..to / 2]);
    } else {
        while i < to {
            out.push((nibble(key, i) << 4) | nibble(key, i + 1));
            i += 2;
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
    fn known_roots() {
        assert_eq!(root(vec![]), EMPTY_ROOT);
        assert_eq!(
            hex(&root(vec![(b"doe", b"reindeer"), (b"dog", b"puppy"), (b"dogglesworth", b"cat")])),
            "8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3"
        );
    }

    #[test]
    fn prefix() {
        assert_eq!(common_prefix(&[0x12, 0x34], &[0x12, 0x35], 0), 3);
        assert_eq!(common_prefix(&[0x12, 0x34], &[0x12, 0x35], 1), 2);
        assert_eq!(common_prefix(&[0x12], &[0x12, 0x35], 0), 2);
        assert_eq!(common_prefix(&[0x12], &[0x22], 0), 0);
        assert_eq!(common_prefix(&[0x12], &[0x13], 1), 0);
    }
}
