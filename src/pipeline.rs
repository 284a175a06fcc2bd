//! The extractor, and running it over many documents in parallel with output in input order.

use std::collections::BTreeMap;
use std::sync::Arc;

use crossbeam_channel::bounded;

use crate::groups::Sketch;
use crate::ingest::Document;
use crate::layout::Layout;
use crate::metadata::Metadata;
use crate::page::Page;
use crate::resolve;
use crate::rules::{RuleSet, apply};
use crate::table::{OffsetUnit, Row, RowBuilder, SpanMap};
use crate::topics;

/// Extracts the statements of documents with one compiled rule set. Cheap to clone; share it
/// across threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    rules: Arc<RuleSet>,
    unit: OffsetUnit,
}

impl Extractor {
    pub fn new(rules: RuleSet) -> Self {
        Extractor { rules: Arc::new(rules), unit: OffsetUnit::Chars }
    }

    /// Output offsets in `unit` (code points by default).
    pub fn with_offsets(mut self, unit: OffsetUnit) -> Self {
        self.unit = unit;
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Lays out a document for matching (what every stage sees).
    pub fn layout<'a>(&self, text: &'a str) -> Layout<'a> {
        Layout::new(text, &self.rules)
    }

    /// The document's metadata: what the input states, and for the rest what the page says.
    pub fn metadata(&self, doc: &Document, layout: &Layout) -> Metadata {
        let outlets = &self.rules.metadata.outlets;
        let given = Metadata { outlet: doc.meta.outlet.as_deref().map(|o| outlets.canonical(o)), ..doc.meta.clone() };
        let by_url = doc.meta.url.as_deref().and_then(|u| outlets.by_url(u)).map(|o| outlets.outlets[o].name.clone());
        given.or(Metadata { outlet: by_url, ..Metadata::default() }).or(self.rules.metadata.detect(layout))
    }

    /// The document as the pipeline sees it: metadata, and paragraphs with furniture marked.
    pub fn page(&self, doc: &Document) -> Page {
        let layout = self.layout(&doc.text);
        Page::new(self.metadata(doc, &layout), &layout, &self.rules, self.unit)
    }

    /// The statements of one document, in text order.
    pub fn extract(&self, doc: &Document) -> Vec<Row> {
        let layout = self.layout(&doc.text);
        self.statements(doc, &self.metadata(doc, &layout), &layout).0
    }

    /// The statements of one document and the sketch that finds its copies among others,
    /// from one layout.
    pub fn extract_and_sketch(&self, doc: &Document) -> (Vec<Row>, Sketch) {
        let layout = self.layout(&doc.text);
        let meta = self.metadata(doc, &layout);
        let sketch = Sketch::new(&doc.id, &doc.source, &meta, &layout, &self.rules.grouping.copies);
        (self.statements(doc, &meta, &layout).0, sketch)
    }

    /// The statements of one document with how each was found and how its speaker was
    /// chosen: what `whosaid explain` shows.
    pub fn explain(&self, doc: &Document) -> Vec<Explanation> {
        let layout = self.layout(&doc.text);
        let (rows, candidates, resolved) = self.statements(doc, &self.metadata(doc, &layout), &layout);
        let map = SpanMap::new(&layout, self.unit);
        rows.into_iter()
            .zip(candidates.iter().zip(&resolved))
            .map(|(row, (c, r))| Explanation {
                row,
                rule: self.rules.patterns.rules[c.rule].description.clone(),
                step: r.speaker.as_ref().map(|s| s.step),
                basis: r.speaker.as_ref().and_then(|s| s.basis.as_ref()).map(|b| map.span(b)),
                addressee_mention: c.addressee.as_ref().map(|a| map.span(a).0),
            })
            .collect()
    }

    /// The rows of a document, with the candidates and resolutions they were built from (one
    /// each, in the same order).
    fn statements(&self, doc: &Document, meta: &Metadata, layout: &Layout) -> (Vec<Row>, Vec<apply::Candidate>, Vec<resolve::Resolved>) {
        let candidates = apply::find(layout, &self.rules.patterns);
        let resolved = resolve::resolve(layout, &self.rules, &candidates);
        let tags = topics::tag(layout, &candidates, &self.rules);
        let rows = RowBuilder { doc: &doc.id, source: &doc.source, meta, layout, rules: &self.rules, unit: self.unit }.rows(&candidates, &resolved, tags);
        (rows, candidates, resolved)
    }
}

/// A row, with the rule that found it and the resolution step that chose its speaker.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub row: Row,
    /// What the rule matches, in its file's words.
    pub rule: String,
    /// How the speaker was chosen; `None` when the statement has no speaker mention.
    pub step: Option<resolve::Step>,
    /// The earlier mention the step bound the speaker to (a pronoun's antecedent): its text
    /// and offsets.
    pub basis: Option<(String, usize, usize)>,
    /// The addressee as written ("Russian FM"), where `row.addressee` is whom it resolved to.
    pub addressee_mention: Option<String>,
}

/// Maps `items` through `f` on `jobs` threads and hands the results to `sink` in input order.
///
/// Streams: at most a few items per thread are in flight, so memory does not grow with the
/// input. The first error from `sink` stops the run and is returned. With `jobs <= 1`
/// everything runs on the calling thread; the results are the same either way.
pub fn ordered_map<T, U, E>(
    items: impl Iterator<Item = T> + Send,
    jobs: usize,
    f: impl Fn(T) -> U + Sync,
    mut sink: impl FnMut(U) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    U: Send,
{
    if jobs <= 1 {
        for item in items {
            sink(f(item))?;
        }
        return Ok(());
    }
    let window = jobs * 4;
    std::thread::scope(|scope| {
        let (work_tx, work_rx) = bounded::<(usize, T)>(jobs);
        let (done_tx, done_rx) = bounded::<(usize, U)>(window);
        // A ticket per item in flight: the reader waits for one before reading the next item.
        let (ticket_tx, ticket_rx) = bounded::<()>(window);
        for _ in 0..window {
            ticket_tx.send(()).expect("room for every ticket");
        }
        scope.spawn(move || {
            for (i, item) in items.enumerate() {
                if ticket_rx.recv().is_err() || work_tx.send((i, item)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..jobs {
            let (rx, tx, f) = (work_rx.clone(), done_tx.clone(), &f);
            scope.spawn(move || {
                for (i, item) in rx {
                    if tx.send((i, f(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop((work_rx, done_tx));
        let mut ready = BTreeMap::new();
        let mut next = 0;
        for (i, out) in done_rx.iter() {
            ready.insert(i, out);
            while let Some(out) = ready.remove(&next) {
                next += 1;
                sink(out)?;
                // The reader may have stopped already; a refused ticket is fine.
                let _ = ticket_tx.send(());
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_map_keeps_order_and_stops_on_error() {
        let mut seen = Vec::new();
        ordered_map(
            0..200u64,
            4,
            |i| {
                std::thread::sleep(std::time::Duration::from_micros((200 - i) * 10));
                i * 2
            },
            |x| {
                seen.push(x);
                Ok::<_, ()>(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..200).map(|i| i * 2).collect::<Vec<_>>());
        let mut count = 0;
        let r = ordered_map(0..10_000, 3, |i| i, |i| {
            count += 1;
            if i == 5 { Err("stop") } else { Ok(()) }
        });
        assert_eq!((r, count), (Err("stop"), 6));
    }
}
