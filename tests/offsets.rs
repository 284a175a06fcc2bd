//! Offsets are sacred: every span in the output slices the original input exactly, in code
//! points by default and in bytes on request, whatever residue the text holds.

mod common;

use proptest::prelude::*;
use whosaid::{Document, Extractor, OffsetUnit, Row};

fn check_row(text: &str, r: &Row, unit: OffsetUnit) -> Result<(), String> {
    let slice = |s: usize, e: usize| match unit {
        OffsetUnit::Chars => common::slice_chars(text, s, e),
        OffsetUnit::Bytes => text.get(s..e).map(str::to_owned).unwrap_or_else(|| format!("<not a char boundary {s}..{e}>")),
    };
    let eq = |what: &str, got: String, want: &str| if got == want { Ok(()) } else { Err(format!("{what}: {got:?} != {want:?}")) };
    eq("content", slice(r.content_start, r.content_end), &r.content)?;
    eq("cue", slice(r.cue_start, r.cue_end), &r.cue)?;
    if let (Some(s), Some(e), Some(m)) = (r.speaker_start, r.speaker_end, &r.speaker_mention) {
        eq("speaker", slice(s, e), m)?;
    }
    let first = r.content_spans.first().ok_or("no content span")?;
    let last = r.content_spans.last().unwrap();
    if first[0] != r.content_start || last[1] != r.content_end {
        return Err(format!("content_spans {:?} do not cover {}..{}", r.content_spans, r.content_start, r.content_end));
    }
    Ok(())
}

fn check_text(ex: &Extractor, text: &str) -> Result<usize, String> {
    let mut n = 0;
    for unit in [OffsetUnit::Chars, OffsetUnit::Bytes] {
        let ex = ex.clone().with_offsets(unit);
        let rows = ex.extract(&Document::new("t", "t", text));
        for r in &rows {
            check_row(text, r, unit).map_err(|e| format!("{e} in row {r:?}"))?;
        }
        n = rows.len();
    }
    Ok(n)
}

#[test]
fn sample_offsets_slice_the_source() {
    let ex = common::extractor();
    let mut total = 0;
    for (stem, text) in common::samples() {
        total += check_text(&ex, &text).unwrap_or_else(|e| panic!("{stem}: {e}"));
    }
    assert!(total > 30, "only {total} rows from the samples");
}

/// Residue that must never shift an offset or break a match.
const NOISE: &[&str] = &["\u{a0}", "\u{200b}", "\u{feff}", "\u{ad}", "â€™", "Ìý", "é", "😀", "\r\n", "\u{2028}", "  "];

fn sentence() -> impl Strategy<Value = String> {
    let speakers = prop::sample::select(vec!["Netanyahu", "the minister", "He", "An Israeli diplomatic source", "Sergei Lavrov", "Dr. Åsa Öberg"]);
    let cues = prop::sample::select(vec!["said", "told reporters", "added", "warned", "said in a statement"]);
    let contents = prop::sample::select(vec!["Iran must not get the bomb", "talks will go on", "the café reopened 😀", "we are “ready”"]);
    (speakers, cues, contents, 0..6usize).prop_map(|(s, c, t, shape)| match shape {
        0 => format!("“{t},” {s} {c}."),
        1 => format!("{s} {c} that {t}."),
        2 => format!("{t}, {s} {c}."),
        3 => format!("\"{t},\" {s} {c}, \"and more.\""),
        4 => format!("According to {s}, {t}."),
        _ => format!("{s}: “{t}.”"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_offsets_slice_the_source(
        parts in prop::collection::vec((sentence(), prop::sample::select(NOISE.to_vec()), 0..3usize), 1..8)
    ) {
        let mut text = String::new();
        for (s, noise, pos) in &parts {
            match pos {
                0 => { text.push_str(noise); text.push_str(s); }
                1 => { let cut = s.char_indices().nth(s.chars().count() / 2).map_or(0, |(i, _)| i); text.push_str(&s[..cut]); text.push_str(noise); text.push_str(&s[cut..]); }
                _ => { text.push_str(s); text.push_str(noise); }
            }
            text.push('\n');
        }
        let ex = common::extractor();
        if let Err(e) = check_text(&ex, &text) {
            prop_assert!(false, "{} in {:?}", e, text);
        }
    }
}

#[test]
fn residue_does_not_break_a_match() {
    let ex = common::extractor();
    let text = "\u{feff}“We will\u{a0}win,” Netanyahu\u{200b} said\u{a0}on Monday.";
    let rows = ex.extract(&Document::new("t", "t", text));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].content, "We will\u{a0}win,");
    assert_eq!(rows[0].speaker_mention.as_deref(), Some("Netanyahu"));
    check_text(&ex, text).unwrap();
}
