//! Real-world pages: furniture of other sites' layouts is skipped (and shown by the page view),
//! their metadata is read, and residue never breaks a match or shifts an offset.

mod common;

use whosaid::{Document, Page, Row};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(common::root().join("tests/fixtures/sites").join(name)).unwrap()
}

fn extract(text: &str) -> Vec<Row> {
    common::extractor().extract(&Document::new("page", "page.txt", text))
}

fn page(text: &str) -> Page {
    common::extractor().page(&Document::new("page", "page.txt", text))
}

/// The contents of the rows of a page.
fn contents(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r.content.as_str()).collect()
}

/// The paragraphs of a page marked with `label`.
fn marked<'a>(page: &'a Page, label: &str) -> Vec<&'a str> {
    page.paragraphs.iter().filter(|p| p.furniture.as_ref().is_some_and(|f| f.label == label)).map(|p| p.text.as_str()).collect()
}

fn article(page: &Page) -> Vec<&str> {
    page.paragraphs.iter().filter(|p| p.furniture.is_none()).map(|p| p.text.as_str()).collect()
}

#[test]
fn a_bbc_like_page() {
    let text = fixture("bbc_like.txt");
    let p = page(&text);
    assert_eq!(
        article(&p),
        [
            "Iran nuclear talks: Tehran says 'no other choice'",
            "Iran will keep talking to European powers, its foreign minister said on Tuesday.",
            "\"We have no other choice,\" Mohammad Javad Zarif told reporters in Tehran.",
            "European diplomats said the next round would be held in Vienna.",
        ]
    );
    assert_eq!(marked(&p, "caption-label"), ["Image caption,", "Iran's foreign minister says talks will resume next week"]);
    assert_eq!(p.meta.title.as_deref(), Some("Iran nuclear talks: Tehran says 'no other choice'"));
    assert_eq!(p.meta.published.as_deref(), Some("2021-03-16"), "the date under “Published”, not the related story's");
    let rows = extract(&text);
    assert!(!contents(&rows).iter().any(|c| c.contains("lift sanctions") || c.contains("new talks")), "{:?}", contents(&rows));
    assert!(rows.iter().all(|r| r.published.as_deref() == Some("2021-03-16")));
}

#[test]
fn a_guardian_like_page() {
    let text = fixture("guardian_like.txt");
    let p = page(&text);
    assert_eq!(p.meta.outlet.as_deref(), Some("The Guardian"));
    assert_eq!(p.meta.published.as_deref(), Some("2021-03-16"));
    assert_eq!(p.meta.author, None, "“Jane Doe in Jerusalem” is no “By” byline; unknown stays empty");
    assert_eq!(marked(&p, "short-lines"), ["World", "Europe", "US", "Americas", "Asia"]);
    let rows = extract(&text);
    assert!(contents(&rows).contains(&"We will not allow Iran to get the bomb,"));
    assert!(!contents(&rows).iter().any(|c| c.contains("resign")), "a “Most viewed” headline is no statement");
}

#[test]
fn a_reuters_like_page() {
    let text = fixture("reuters_like.txt");
    let p = page(&text);
    assert_eq!((p.meta.outlet.as_deref(), p.meta.author.as_deref()), (Some("Reuters"), Some("Parisa Hafezi")));
    assert_eq!(p.meta.published, None, "“March 16” without a year is no date");
    assert_eq!(marked(&p, "agency-credit"), ["Reporting by Parisa Hafezi; Editing by Alex Richardson", "Our Standards: The Thomson Reuters Trust Principles."]);
    assert_eq!(contents(&extract(&text)).len(), 3);
}

#[test]
fn a_blog_like_page() {
    let text = fixture("blog_like.txt");
    let p = page(&text);
    assert_eq!(p.meta.title.as_deref(), Some("Why the Vienna talks matter"));
    assert_eq!((p.meta.published.as_deref(), p.meta.author.as_deref()), (Some("2021-03-03"), Some("Jane Doe")));
    assert_eq!(article(&p).len(), 3, "{:?}", article(&p));
    assert_eq!(extract(&text).len(), 2);
}

#[test]
fn the_page_view_keeps_offsets_and_reasons() {
    for (stem, text) in common::samples() {
        let p = page(&text);
        for para in &p.paragraphs {
            assert_eq!(common::slice_chars(&text, para.start, para.end), para.text, "{stem}");
            if let Some(f) = &para.furniture {
                assert!(!f.label.is_empty() && !f.why.is_empty(), "{stem}: {f:?}");
            }
        }
        let furniture = p.paragraphs.iter().filter(|p| p.furniture.is_some()).count();
        assert!(furniture > 0, "{stem}: every sample has some furniture");
    }
}

#[test]
fn samples_metadata() {
    let want = [
        ("000", Some("FM Ashkenazi meets with Russian FM Sergei Lavrov"), Some("Israel Ministry of Foreign Affairs"), Some("2020-10-26"), None),
        ("001", Some("Ashkenazi tells Russian FM Iranian entrenchment in Syria must be prevented"), None, Some("2020-10-26"), None),
        ("002", Some("Ashkenazi heads to Moscow after Lavrov-Hezbollah meeting"), Some("The Jerusalem Post"), Some("2021-03-16"), Some("Lahav Harkov")),
        ("003", Some("Russia foreign minister holds Syria talks in Israel"), None, None, None),
        ("004", Some("Netanyahu, Putin talk Syria coordination"), Some("The Jerusalem Post"), Some("2021-02-08"), Some("Lahav Harkov")),
    ];
    let samples = common::samples();
    for (prefix, title, outlet, published, author) in want {
        let (stem, text) = samples.iter().find(|(s, _)| s.starts_with(prefix)).unwrap();
        let m = page(text).meta;
        assert_eq!((m.title.as_deref(), m.outlet.as_deref(), m.published.as_deref(), m.author.as_deref()), (title, outlet, published, author), "{stem}");
    }
}

#[test]
fn repeated_bodies_count_once_from_the_first_copy() {
    let body = "“We will not allow it,” Netanyahu said on Monday in Jerusalem.\nThe minister said talks would go on next week.";
    let text = format!("Headline of the story\n{body}\n{body}\n");
    let rows = extract(&text);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let second_copy = text.rfind("“We").unwrap();
    assert!(rows.iter().all(|r| r.content_end <= second_copy), "rows come from the first copy");
}

#[test]
fn residue_never_breaks_a_sentence_a_match_or_an_offset() {
    // No-break spaces, zero-width characters and mis-decoded bytes, inside and between words.
    let text = "Iran talks\u{a0}resume\n“We\u{200b} will not\u{a0}allow it,” Netanyahu\u{a0}said.\u{a0}The minister said talks wouldâ€™ve gone on.Ìý\nÌý";
    let rows = extract(text);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].speaker_mention.as_deref(), Some("Netanyahu"));
    for r in &rows {
        assert_eq!(common::slice_chars(text, r.content_start, r.content_end), r.content);
        assert_eq!(common::slice_chars(text, r.cue_start, r.cue_end), r.cue);
    }
    assert_eq!(page(text).meta.title.as_deref(), Some("Iran talks resume"));
}
