//! The positions view: where each speaker stands on each topic, over many articles.
//!
//! Every row with a speaker counts once for each of its topics: for, against, or neither
//! (a statement that names the topic without taking a side). The view keeps the rows behind
//! each count, so every figure can be checked against the text.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::table::{Kind, Row};
use crate::topics::stance::Stance;
use crate::writers::{Columns, TableColumn};

/// One speaker's statements on one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    pub speaker: String,
    pub topic: String,
    /// Statements for the topic.
    #[serde(rename = "for")]
    pub for_: usize,
    /// Statements against it.
    pub against: usize,
    /// Statements that name it without taking a side.
    pub neither: usize,
    /// The publication dates of the earliest and of the latest article among the rows
    /// (YYYY-MM-DD); `null` when no article behind them is dated.
    pub first: Option<String>,
    pub last: Option<String>,
    /// The statements behind the counts, in input order.
    pub rows: Vec<Statement>,
}

/// A statement behind a [`Position`]: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub doc: String,
    /// When its article was published (YYYY-MM-DD), if known.
    pub published: Option<String>,
    pub kind: Kind,
    /// The side it takes on the position's topic, if any.
    pub stance: Option<Stance>,
    pub cue: String,
    pub content: String,
    pub content_start: usize,
    pub content_end: usize,
}

/// Collects rows into positions, one speaker and topic at a time.
#[derive(Debug, Default)]
pub struct Positions {
    by_key: BTreeMap<(String, String), Position>,
}

impl Positions {
    /// Counts the rows of one document. Rows without a speaker hold no one's position and are
    /// left out.
    pub fn add(&mut self, rows: &[Row]) {
        for r in rows {
            let Some(speaker) = &r.speaker else { continue };
            for topic in &r.topics {
                let p = self.by_key.entry((speaker.clone(), topic.clone())).or_insert_with(|| Position {
                    speaker: speaker.clone(),
                    topic: topic.clone(),
                    for_: 0,
                    against: 0,
                    neither: 0,
                    first: None,
                    last: None,
                    rows: Vec::new(),
                });
                let stance = r.stance.get(topic).copied();
                match stance {
                    Some(Stance::For) => p.for_ += 1,
                    Some(Stance::Against) => p.against += 1,
                    None => p.neither += 1,
                }
                if let Some(date) = r.published.as_deref() {
                    if p.first.as_deref().is_none_or(|f| date < f) {
                        p.first = Some(date.to_owned());
                    }
                    if p.last.as_deref().is_none_or(|l| date > l) {
                        p.last = Some(date.to_owned());
                    }
                }
                p.rows.push(Statement {
                    doc: r.doc.clone(),
                    published: r.published.clone(),
                    kind: r.kind,
                    stance,
                    cue: r.cue.clone(),
                    content: r.content.clone(),
                    content_start: r.content_start,
                    content_end: r.content_end,
                });
            }
        }
    }

    /// The positions, by speaker and then topic, in any letter case.
    pub fn finish(self) -> Vec<Position> {
        let mut all: Vec<Position> = self.by_key.into_values().collect();
        all.sort_by_cached_key(|p| (p.speaker.to_lowercase(), p.topic.to_lowercase(), p.speaker.clone(), p.topic.clone()));
        all
    }
}

impl Position {
    /// The columns of the positions view. In a cell, the rows behind a position are their
    /// references, `doc:start-end`.
    pub fn columns() -> Columns {
        let names = ["speaker", "topic", "for", "against", "neither", "first", "last", "rows"];
        let widths = [26, 22, 4, 7, 7, 10, 10, 48];
        Columns {
            flat: |value| {
                let refs: Vec<serde_json::Value> = value["rows"]
                    .as_array()
                    .map(|rows| rows.iter().map(|r| format!("{}:{}-{}", r["doc"].as_str().unwrap_or(""), r["content_start"], r["content_end"]).into()).collect())
                    .unwrap_or_default();
                value["rows"] = refs.into();
            },
            ..Columns::new(&names, "positions", names.iter().zip(widths).map(|(n, w)| TableColumn::new(n, &[n], w)).collect())
        }
    }
}
