//! Speakers: from the mention in the attribution to a canonical speaker.

use crate::layout::Layout;
use crate::rules::apply::Candidate;

/// The speaker chosen for one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub speaker: Option<String>,
}

/// Resolves the speaker of every candidate: the mention as written, whitespace collapsed.
pub fn resolve(layout: &Layout, candidates: &[Candidate]) -> Vec<Resolved> {
    candidates
        .iter()
        .map(|c| Resolved {
            speaker: c.speaker.as_ref().map(|s| layout.norm()[s.clone()].split_whitespace().collect::<Vec<_>>().join(" ")),
        })
        .collect()
}
