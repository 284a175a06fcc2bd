//! A fast hash map for the word tables looked up for every token.

use std::collections::{HashMap, HashSet};

/// FNV-1a: the tables are keyed by short words and looked up for many tokens of every
/// document. SipHash's protection against crafted keys buys little here: the rule tables are
/// fixed by the rule files (documents only look words up in them), and a per-document table
/// holds the names of one document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

pub(crate) type FastSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fnv>>;
