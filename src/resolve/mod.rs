//! Speakers: from the mention in the attribution to one canonical speaker.
//!
//! Every speaker mention is resolved by the first of these steps that applies, in order of
//! confidence (each is a [`Step`], which `whosaid explain` shows for every row):
//!
//! 1. **alias**: the mention, titles aside, is a name or alias in the gazetteer
//!    (`rules/speakers.toml`): "FM Ashkenazi", "Sergey Lavrov", "the White House";
//! 2. **document-name**: a surname or a repeated name, bound to the person named in full in
//!    the document (the nearest such before it, or else the first after it);
//! 3. **new-name**: a name the gazetteer does not know is its own speaker, under its full form;
//! 4. **role**: a title or role noun ("the premier", "his Russian counterpart", "the Russian
//!    ambassador to Iran") bound to whoever holds that role in the document, else in the
//!    gazetteer; an unqualified title prefers the holder from the document's home country
//!    (the country whose officials the text names without a nationality);
//! 5. **appositive**: "Hugh Hill, a doctor," is Hugh Hill, and the doctor is his role;
//! 6. **pronoun**: he, she, it, they bound to the nearest compatible speaker or subject before
//!    it, sentence by sentence, preferring speakers, then subjects; never further back than
//!    two paragraphs;
//! 7. **issuer**: "the statement", "a statement from X's office", "X's office" are the body
//!    that issued them;
//! 8. **group**: "Ashkenazi and Lavrov" are both of them;
//! 9. **anonymous**: unnamed sources ("an Israeli diplomatic source", "analysts") stay as
//!    written, and a later "the diplomatic source" joins the first.
//!
//! What none of them resolves is `unresolved`, with the mention as written.

mod document;
pub mod gazetteer;
mod phrase;

use std::ops::Range;

pub use gazetteer::Gazetteer;

use crate::layout::Layout;
use crate::rules::RuleSet;
use crate::rules::apply::Candidate;
use crate::table::SpeakerType;

/// How a speaker was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Alias,
    DocumentName,
    NewName,
    Role,
    Appositive,
    Pronoun,
    Issuer,
    Group,
    Anonymous,
    Unresolved,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Alias => "alias",
            Step::DocumentName => "document-name",
            Step::NewName => "new-name",
            Step::Role => "role",
            Step::Appositive => "appositive",
            Step::Pronoun => "pronoun",
            Step::Issuer => "issuer",
            Step::Group => "group",
            Step::Anonymous => "anonymous",
            Step::Unresolved => "unresolved",
        }
    }

    /// The rule the step follows, in a reader's words.
    pub fn rule(self) -> &'static str {
        match self {
            Step::Alias => "the name, titles aside, is a name or alias in the gazetteer",
            Step::DocumentName => "a surname or repeated name, bound to the person the document names in full",
            Step::NewName => "a name the gazetteer does not know: its own speaker, under its full form",
            Step::Role => "a title or role noun, bound to whoever holds the role in the document, else in the gazetteer",
            Step::Appositive => "a name with an appositive: the name is the speaker, the appositive its role",
            Step::Pronoun => "a pronoun, bound to the nearest compatible speaker or subject before it",
            Step::Issuer => "a statement or an office, bound to the body that issued it",
            Step::Group => "several speakers joined by 'and'",
            Step::Anonymous => "an unnamed source, kept as first written; later mentions of it join it",
            Step::Unresolved => "nothing in the document or the gazetteer says who this is",
        }
    }
}

/// The canonical speaker of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    pub name: String,
    pub kind: SpeakerType,
    pub id: Option<String>,
    pub role: Option<String>,
    pub step: Step,
    /// The earlier mention the step bound this one to (a pronoun's antecedent), a byte span of
    /// the matching copy.
    pub basis: Option<Range<usize>>,
}

/// The speaker, intermediary and addressee chosen for one candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub speaker: Option<Speaker>,
    /// The canonical speaker of the statement this one is reported in.
    pub via: Option<String>,
    pub addressee: Option<String>,
}

/// Resolves the speakers, intermediaries and addressees of a document's candidates.
pub fn resolve(layout: &Layout, rules: &RuleSet, candidates: &[Candidate]) -> Vec<Resolved> {
    match &rules.speakers {
        Some(g) => document::Resolver::new(layout, g, &rules.vocab.sigs).run(candidates),
        None => candidates.iter().map(|c| as_written(layout, c)).collect(),
    }
}

/// Without a gazetteer: every mention is its own speaker, unresolved.
fn as_written(layout: &Layout, c: &Candidate) -> Resolved {
    Resolved {
        speaker: c.speaker.as_ref().map(|s| Speaker {
            name: mention_text(layout, s),
            kind: SpeakerType::Unresolved,
            id: None,
            role: None,
            step: Step::Unresolved,
            basis: None,
        }),
        via: c.via.as_ref().map(|s| mention_text(layout, s)),
        addressee: c.addressee.as_ref().map(|s| mention_text(layout, s)),
    }
}

/// A mention as written (in the matching copy), whitespace collapsed.
fn mention_text(layout: &Layout, span: &Range<usize>) -> String {
    let mut out = String::new();
    for w in layout.norm()[span.clone()].split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
