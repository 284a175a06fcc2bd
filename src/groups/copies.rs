//! Articles that are copies of each other: a wire story printed by two outlets, a release
//! reprinted whole. Their statements are all one group each, and a reader counting outlets
//! wants to know that the second outlet only copied the first.
//!
//! Each article becomes a MinHash sketch of its runs of consecutive words (outside page
//! furniture and repeated paragraphs); sketches that agree in one band of values are
//! candidates. The share of equal values estimates the resemblance of two articles (shared
//! runs over all runs), and with the articles' sizes the containment (shared runs over the
//! shorter article's runs): a wire copy is often trimmed, so containment decides. Cost is
//! linear in the number of articles.

use std::collections::HashMap;

use serde::Serialize;

use super::terms::words;
use super::{CopyParams, fnv};
use crate::layout::Layout;
use crate::metadata::Metadata;

/// Values per sketch; the share of equal values estimates the resemblance of two articles
/// to within about ±0.05.
const HASHES: usize = 96;
/// Values per band: two articles are compared when one band is equal in both (32 bands of
/// 3 find pairs of resemblance 0.5, a trimmed copy of half the length, 94% of the time).
const BAND: usize = 3;

/// splitmix64's finaliser: spreads a value over all bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// What is kept of an article to find its copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    pub doc: String,
    pub source: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// The number of word runs.
    pub shingles: usize,
    mins: Vec<u64>,
}

impl Sketch {
    /// The sketch of a laid-out article: its article text only, so differing page furniture
    /// around one wire story does not hide the copy.
    pub fn new(doc: &str, source: &str, meta: &Metadata, layout: &Layout, params: &CopyParams) -> Sketch {
        let k = params.shingle_words;
        let mut window: Vec<u64> = Vec::with_capacity(k);
        let mut mins = vec![u64::MAX; HASHES];
        let mut shingles = 0;
        let norm = layout.norm();
        for p in layout.paragraphs.iter().filter(|p| !layout.is_excluded(p)) {
            words(&norm[p.clone()], |w| {
                if window.len() == k {
                    window.remove(0);
                }
                window.push(fnv(&[w.text.as_bytes()]));
                if window.len() < k {
                    return;
                }
                shingles += 1;
                let h = window.iter().fold(0u64, |acc, &x| mix(acc ^ x));
                for (i, m) in mins.iter_mut().enumerate() {
                    *m = (*m).min(mix(h ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)));
                }
            });
        }
        Sketch { doc: doc.to_owned(), source: source.to_owned(), outlet: meta.outlet.clone(), published: meta.published.clone(), shingles, mins }
    }

    /// The estimated share of word runs two articles have in common, of all runs in either.
    pub fn resemblance(&self, other: &Sketch) -> f64 {
        let equal = self.mins.iter().zip(&other.mins).filter(|(a, b)| a == b).count();
        equal as f64 / HASHES as f64
    }

    /// The estimated share of the shorter article's word runs found in the other.
    pub fn containment(&self, other: &Sketch) -> f64 {
        let j = self.resemblance(other);
        let shared = j * (self.shingles + other.shingles) as f64 / (1.0 + j);
        (shared / self.shingles.min(other.shingles).max(1) as f64).min(1.0)
    }
}

fn two_places(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One article that copies another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyPair {
    /// The copy.
    pub doc: String,
    pub source: String,
    pub outlet: Option<String>,
    pub published: Option<String>,
    /// The article it copies: the earliest published of its copies (undated ones last), then
    /// the first by document id.
    pub copy_of: String,
    pub copy_of_source: String,
    pub copy_of_outlet: Option<String>,
    pub copy_of_published: Option<String>,
    /// The estimated share of word runs the two have in common, of all runs in either.
    pub resemblance: f64,
    /// The estimated share of the shorter one's word runs found in the other.
    pub containment: f64,
}

/// The articles of a run that are copies of another.
#[derive(Debug, Clone, Default)]
pub struct Copies {
    /// Sorted by the original, then the copy.
    pub pairs: Vec<CopyPair>,
    /// Each copied or copying document: its set of copies and its place in that set.
    sets: HashMap<String, (usize, usize)>,
}

impl Copies {
    /// Finds the copies among `sketches`.
    pub fn find(sketches: &[Sketch], params: &CopyParams) -> Copies {
        let usable: Vec<usize> = (0..sketches.len()).filter(|&i| sketches[i].shingles >= params.min_shingles.max(1)).collect();
        let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
        for &i in &usable {
            for (b, band) in sketches[i].mins.chunks(BAND).enumerate() {
                let key = band.iter().fold(0u64, |acc, &x| mix(acc ^ x));
                buckets.entry((b, key)).or_default().push(i);
            }
        }
        let mut parent: Vec<usize> = (0..sketches.len()).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let mut keys: Vec<&(usize, u64)> = buckets.keys().collect();
        keys.sort_unstable();
        for key in keys {
            let docs = &buckets[key];
            // Small buckets are compared in full; a huge one (many copies of one article)
            // against its first member, which keeps the work linear.
            for (j, &b) in docs.iter().enumerate().skip(1) {
                let earlier: &[usize] = if docs.len() <= 32 { &docs[..j] } else { &docs[..1] };
                for &a in earlier {
                    if sketches[a].containment(&sketches[b]) >= params.containment {
                        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                        parent[ra.max(rb)] = ra.min(rb);
                    }
                }
            }
        }
        let mut sets: HashMap<usize, Vec<usize>> = HashMap::new();
        for &i in &usable {
            sets.entry(root(&mut parent, i)).or_default().push(i);
        }
        let mut sets: Vec<Vec<usize>> = sets.into_values().filter(|s| s.len() > 1).collect();
        let first = |i: usize| {
            let s = &sketches[i];
            (s.published.is_none(), s.published.as_deref(), s.doc.as_str(), s.source.as_str())
        };
        for s in &mut sets {
            s.sort_by(|&a, &b| first(a).cmp(&first(b)));
        }
        sets.sort_by(|a, b| sketches[a[0]].doc.cmp(&sketches[b[0]].doc).then(a[0].cmp(&b[0])));
        let mut copies = Copies::default();
        for (n, set) in sets.iter().enumerate() {
            let original = &sketches[set[0]];
            for (place, &i) in set.iter().enumerate() {
                copies.sets.insert(sketches[i].doc.clone(), (n, place));
                if place > 0 {
                    let copy = &sketches[i];
                    copies.pairs.push(CopyPair {
                        doc: copy.doc.clone(),
                        source: copy.source.clone(),
                        outlet: copy.outlet.clone(),
                        published: copy.published.clone(),
                        copy_of: original.doc.clone(),
                        copy_of_source: original.source.clone(),
                        copy_of_outlet: original.outlet.clone(),
                        copy_of_published: original.published.clone(),
                        resemblance: two_places(sketches[i].resemblance(original)),
                        containment: two_places(sketches[i].containment(original)),
                    });
                }
            }
        }
        copies
    }

    /// The set of copies `doc` belongs to, and its place in it (0 for the original).
    pub fn set_of(&self, doc: &str) -> Option<(usize, usize)> {
        self.sets.get(doc).copied()
    }
}
