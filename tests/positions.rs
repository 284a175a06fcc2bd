//! Stated positions, topics and stance as a user meets them: in the statement table, in the
//! positions view, and where there is nothing to find.

mod common;

use std::process::Command;

use whosaid::positions::Positions;
use whosaid::topics::stance::Stance;
use whosaid::{Document, Kind, Row};

fn rows(text: &str) -> Vec<Row> {
    common::extractor().extract(&Document::new("t", "t.txt", text))
}

fn positions(text: &str) -> Vec<Row> {
    rows(text).into_iter().filter(|r| r.kind == Kind::Position).collect()
}

#[test]
fn text_without_a_position_yields_none() {
    for text in [
        // Headlines of other articles: no final period.
        "Russia backs Iran deal",
        "Putin praises Trump at news conference",
        "Biden must abandon negotiating with Iran, UNHRC, UNRWA - opinion",
        // Discussing is not taking a side.
        "Netanyahu discussed Iran with Putin on Monday.",
        // Questions.
        "Does Russia support a return to the nuclear deal?",
        "Would Moscow oppose new sanctions on Tehran?",
        // Hypotheticals.
        "If Israel opposed the deal, Russia would back it.",
        "Unless Tehran complies, the European Union will support new sanctions.",
        // Passives and particles name no holder's stand.
        "Assad is backed by Russia and Iran.",
        "The state party eventually backed down.",
        // What someone did is not where they stand.
        "Israel allowed 400 rescue workers to cross into Jordan.",
    ] {
        let found = positions(text);
        assert!(found.is_empty(), "{text:?} gave {:?}", found.iter().map(|r| (&r.cue, &r.content)).collect::<Vec<_>>());
    }
}

#[test]
fn positions_name_their_holder_cue_and_content() {
    let found = positions("Iran is Israel's arch-enemy and Netanyahu has pledged to prevent it from entrenching itself militarily in Syria.");
    assert_eq!(found.len(), 1);
    let r = &found[0];
    assert_eq!((r.speaker_mention.as_deref(), r.cue.as_str()), (Some("Netanyahu"), "has pledged"));
    assert_eq!(r.content, "to prevent it from entrenching itself militarily in Syria");
    // "it" is Iran, the topic before it in the sentence that can be called "it".
    assert_eq!(r.topics, ["Iran", "Syria"]);
    assert_eq!(r.stance.get("Iran"), Some(&Stance::Against));
    assert_eq!(r.stance.get("Syria"), None, "a place takes no side");

    let found = positions("Netanyahu and Putin have discussed the Syrian conflict and Iran's military presence there, which Israel opposes.");
    assert_eq!(found.len(), 1, "the content comes before its holder");
    assert_eq!((found[0].speaker_mention.as_deref(), found[0].content.as_str()), (Some("Israel"), "Iran's military presence there"));
    assert_eq!(found[0].topics, ["Iran", "Syria"], "there is Syria");

    let found = positions("“Israel opposes the deal,” he said.");
    assert!(found.is_empty(), "inside a quote, a position is the quote's");
    let found = positions("Shrier also said the US opposes the ruling.");
    assert!(found.is_empty(), "a position reported inside a statement is that statement's content");
}

#[test]
fn stance_follows_negation_and_prevention() {
    let stance = |text: &str| rows(text).into_iter().map(|r| r.stance).find(|s| !s.is_empty()).unwrap_or_default();
    let iran = |text: &str| stance(text).get("Iran").copied();
    assert_eq!(iran("Russia said it would sell the S-400 to Iran."), Some(Stance::For));
    assert_eq!(iran("Russia said it would not sell the S-400 to Iran."), Some(Stance::Against));
    assert_eq!(iran("Israel said it would prevent Iran from entrenching itself."), Some(Stance::Against));
    assert_eq!(iran("The envoy said sanctions on Iran must be lifted."), Some(Stance::For));
    assert_eq!(iran("The envoy said the US will not lift sanctions on Iran."), Some(Stance::Against));
    assert!(stance("The minister said the talks covered Iran and Syria.").is_empty());
}

#[test]
fn topics_are_whole_words_and_report_only_what_they_should() {
    let topics = |text: &str| rows(text).into_iter().next().map(|r| r.topics).unwrap_or_default();
    assert_eq!(topics("The minister said Tehran’s nuclear facilities were hit."), ["Iran"]);
    assert_eq!(topics("The minister said Iraqis and Iranium miners met."), Vec::<String>::new());
    // Israel and Russia are parties to most statements: topics only where one takes a side.
    assert_eq!(topics("The minister said Israel and Russia met in Moscow."), Vec::<String>::new());
    assert_eq!(topics("The envoy said Russia condemned Israel’s strikes."), ["Israel"]);
}

#[test]
fn the_positions_view_counts_sides_per_speaker_and_topic() {
    let mut view = Positions::default();
    view.add(&rows("Israel opposes Iran's military presence in Syria."));
    view.add(&rows("Israel has pledged to stop the transfer of weapons to Hezbollah."));
    view.add(&rows("Russia supports an Iranian return to the nuclear deal."));
    let all = view.finish();
    let summary: Vec<(String, String, usize, usize, usize)> =
        all.iter().map(|p| (p.speaker.clone(), p.topic.clone(), p.for_, p.against, p.neither)).collect();
    assert_eq!(
        summary,
        [
            ("Israel".into(), "Hezbollah".into(), 0, 1, 0),
            ("Israel".into(), "Iran".into(), 0, 1, 0),
            ("Israel".into(), "Syria".into(), 0, 0, 1),
            ("Russia".into(), "Iran".into(), 1, 0, 0),
        ]
    );
    assert_eq!(all[1].rows[0].content, "Iran's military presence in Syria");
    assert_eq!((all[1].first.as_deref(), all[1].last.as_deref()), (None, None), "undated articles give no dates");
}

#[test]
fn the_positions_command_writes_every_format() {
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_whosaid")).args(["positions", "samples", "--format", format]).current_dir(common::root()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let jsonl = run("jsonl");
    let lines: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let israel_iran = lines.iter().find(|p| p["speaker"] == "Israel" && p["topic"] == "Iran").expect("Israel on Iran");
    assert!(israel_iran["against"].as_u64().unwrap() >= 2, "{israel_iran}");
    let date = |d: &serde_json::Value| d.as_str().filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-').map(str::to_owned);
    let (first, last) = (date(&israel_iran["first"]).expect("a dated article"), date(&israel_iran["last"]).expect("a dated article"));
    assert!(first <= last, "{israel_iran}");
    assert_eq!(israel_iran["rows"].as_array().unwrap().len() as u64, israel_iran["against"].as_u64().unwrap() + israel_iran["for"].as_u64().unwrap() + israel_iran["neither"].as_u64().unwrap());

    let csv = run("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), ["speaker", "topic", "for", "against", "neither", "first", "last", "rows"]);
    let record = reader.records().map(|r| r.unwrap()).find(|r| &r[0] == "Israel" && &r[1] == "Iran").unwrap();
    assert!(record[7].split(';').all(|reference| reference.contains(':') && reference.contains('-')), "{record:?}");

    let table = run("table");
    assert!(table.lines().next().unwrap().starts_with("speaker"), "{table}");
    assert_eq!(table.lines().count(), lines.len() + 1);
}
