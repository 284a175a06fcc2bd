//! Speaker resolution as a user sees it: canonical speakers, types, roles, intermediaries and
//! addressees in the rows, with the mention still marked where the attribution says it.

mod common;

use whosaid::{Document, Explanation, Row, RuleSet, SpeakerType, rules::SourceFile};

fn rows(text: &str) -> Vec<Row> {
    common::extractor().extract(&Document::new("t", "t.txt", text))
}

fn explain(text: &str) -> Vec<Explanation> {
    common::extractor().explain(&Document::new("t", "t.txt", text))
}

/// (mention, speaker) of every row.
fn speakers(text: &str) -> Vec<(String, String)> {
    rows(text).into_iter().map(|r| (r.speaker_mention.unwrap_or_default(), r.speaker.unwrap_or_default())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(m, s)| (m.to_string(), s.to_string())).collect()
}

#[test]
fn two_people_alternating_with_pronouns() {
    let text = "Hillary Clinton and Donald Trump met in St. Louis for the second debate.\n\n\
                “He is unfit to serve,” Clinton said. “I have a plan,” she added.\n\n\
                Trump was unmoved. “She should be in jail,” he said.\n\n\
                “That is not true,” she said.\n\n\
                “It is true,” he said. “Everybody knows it,” he added.";
    assert_eq!(
        speakers(text),
        pairs(&[
            ("Clinton", "Hillary Clinton"),
            ("she", "Hillary Clinton"),
            ("he", "Donald Trump"),
            ("she", "Hillary Clinton"),
            ("he", "Donald Trump"),
            ("he", "Donald Trump"),
        ])
    );
}

#[test]
fn two_unknown_people_alternate_by_the_genders_their_names_and_titles_tell() {
    let text = "Mayor Karen Whitfield and Mr. Okonkwo debated the budget on Tuesday.\n\n\
                “The city cannot afford it,” Whitfield said.\n\n\
                “We cannot afford to wait,” he replied. “Every year costs more,” he added.\n\n\
                “Then find the money,” she said.";
    assert_eq!(
        speakers(text),
        pairs(&[("Whitfield", "Karen Whitfield"), ("he", "Okonkwo"), ("he", "Okonkwo"), ("she", "Karen Whitfield")])
    );
}

#[test]
fn a_pronoun_is_not_bound_across_more_than_two_paragraphs() {
    let text = "Piotr Zielinski spoke first.\n\nThe weather was fine.\n\nThe hall was full.\n\nThe lights went out.\n\n“Nothing works,” he said.";
    let r = rows(text);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].speaker.as_deref(), r[0].speaker_type), (Some("he"), Some(SpeakerType::Unresolved)));
}

#[test]
fn an_unknown_name_is_its_own_speaker_under_its_full_form() {
    let text = "“We will rebuild,” said Ottilie Marchetti-Baptiste, the town's mayor.\n\n\
                “It will take years,” Marchetti-Baptiste added.";
    let r = rows(text);
    assert_eq!(r.len(), 2);
    for row in &r {
        assert_eq!(row.speaker.as_deref(), Some("Ottilie Marchetti-Baptiste"));
        assert_eq!(row.speaker_type, Some(SpeakerType::Person));
        assert_eq!(row.speaker_id, None);
    }
    assert_eq!(r[1].speaker_mention.as_deref(), Some("Marchetti-Baptiste"));
    // A surname first and the full name later: the full form is the speaker.
    let r = rows("“We will rebuild,” Marchetti said. Ottilie Marchetti is the town's mayor.");
    assert_eq!(r[0].speaker.as_deref(), Some("Ottilie Marchetti"));
}

#[test]
fn an_anonymous_source_stays_a_row_and_a_later_mention_joins_it() {
    let text = "An Israeli diplomatic source said the timing was coincidental.\n\n\
                Ashkenazi will raise the matter on Wednesday, the diplomatic source said.\n\n\
                Russian officials have said they see Hezbollah as legitimate.";
    let r = rows(text);
    let anonymous: Vec<(&str, &str)> =
        r.iter().filter(|r| r.speaker_type == Some(SpeakerType::Anonymous)).map(|r| (r.speaker_mention.as_deref().unwrap(), r.speaker.as_deref().unwrap())).collect();
    assert_eq!(
        anonymous,
        [
            ("An Israeli diplomatic source", "An Israeli diplomatic source"),
            ("the diplomatic source", "An Israeli diplomatic source"),
            ("Russian officials", "Russian officials"),
        ]
    );
}

#[test]
fn the_mention_keeps_its_offsets_while_the_speaker_is_canonical() {
    let text = "Levan Dzhagaryan spoke to the Resalat daily.\n\n“We have no problem,” he said.";
    let r = rows(text);
    let row = r.iter().find(|r| r.speaker_mention.as_deref() == Some("he")).unwrap();
    assert_eq!(row.speaker.as_deref(), Some("Levan Dzhagaryan"));
    assert_eq!(common::slice_chars(text, row.speaker_start.unwrap(), row.speaker_end.unwrap()), "he");
    assert_eq!(row.speaker_role.as_deref(), Some("Ambassador to Iran, Russia"));
}

#[test]
fn nested_attribution_carries_the_outer_speaker_as_via() {
    let text = "Ashkenazi's office said Shrier reiterated that the US will not lift sanctions on Iran.";
    let r = rows(text);
    let inner = r.iter().find(|r| r.speaker_mention.as_deref() == Some("Shrier")).expect("the nested statement");
    assert_eq!(inner.speaker.as_deref(), Some("Jonathan Shrier"));
    assert_eq!(inner.via.as_deref(), Some("Gabi Ashkenazi's office"));
    let outer = r.iter().find(|r| r.speaker_mention.as_deref() == Some("Ashkenazi's office")).expect("the outer statement");
    assert_eq!((outer.speaker.as_deref(), outer.via.as_deref()), (Some("Gabi Ashkenazi's office"), None));
}

#[test]
fn addressees_are_resolved_like_speakers() {
    let r = rows("“There will be no problem,” Levan Dzhagaryan told the Resalat daily in an interview.");
    assert_eq!(r[0].addressee.as_deref(), Some("Resalat"));
    let r = rows("Ashkenazi tells Russian FM Iranian entrenchment in Syria must be prevented");
    assert_eq!(r[0].addressee.as_deref(), Some("Sergei Lavrov"));
    let r = rows("The minister told reporters on Monday that talks would resume.");
    assert_eq!(r[0].addressee.as_deref(), Some("reporters"));
}

#[test]
fn gazetteer_fields_reach_the_row() {
    let r = rows("“We will not allow it,” Prime Minister Benjamin Netanyahu said.");
    assert_eq!(r[0].speaker.as_deref(), Some("Benjamin Netanyahu"));
    assert_eq!(r[0].speaker_type, Some(SpeakerType::Person));
    assert_eq!(r[0].speaker_id.as_deref(), Some("Q43723"));
    assert_eq!(r[0].speaker_role.as_deref(), Some("Prime Minister, Israel"));
}

#[test]
fn an_unqualified_title_is_the_home_countrys_holder() {
    // The document names Israel's officials without a nationality, Russia's with one.
    let text = "Foreign Minister Gabi Ashkenazi met his Russian counterpart Sergei Lavrov on Monday.\n\n\
                The talks were useful, the Foreign Ministry said in a statement.\n\n\
                The foreign minister said Iran must leave Syria.";
    let r = rows(text);
    let speakers: Vec<&str> = r.iter().map(|r| r.speaker.as_deref().unwrap()).collect();
    assert_eq!(speakers, ["Israeli Foreign Ministry", "Gabi Ashkenazi"]);
}

#[test]
fn explain_names_the_step_and_the_antecedent() {
    let text = "Levan Dzhagaryan spoke to the Resalat daily.\n\n“We have no problem,” he said.";
    let e = explain(text);
    let he = e.iter().find(|x| x.row.speaker_mention.as_deref() == Some("he")).unwrap();
    assert_eq!(he.step.map(|s| s.as_str()), Some("pronoun"));
    let (basis, s, end) = he.basis.clone().unwrap();
    assert_eq!(basis, "Levan Dzhagaryan");
    assert_eq!(common::slice_chars(text, s, end), basis);
    assert!(!he.rule.is_empty());
}

#[test]
fn without_a_gazetteer_speakers_stay_as_written() {
    let sources: Vec<SourceFile> = RuleSet::builtin().unwrap().sources.into_iter().filter(|s| s.path != "speakers.toml").collect();
    let rules = RuleSet::from_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let ex = whosaid::Extractor::new(rules);
    let r = ex.extract(&Document::new("t", "t", "“We will not allow it,” Netanyahu said."));
    assert_eq!((r[0].speaker.as_deref(), r[0].speaker_type), (Some("Netanyahu"), Some(SpeakerType::Unresolved)));
}

fn errors_with_speakers(text: &str) -> Vec<String> {
    let mut sources: Vec<SourceFile> = RuleSet::builtin().unwrap().sources.into_iter().filter(|s| s.path != "speakers.toml").collect();
    sources.push(SourceFile { path: "speakers.toml".into(), text: text.into() });
    match RuleSet::from_sources(sources) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn a_malformed_gazetteer_is_reported_with_its_place() {
    let errs = errors_with_speakers("[[speaker]]\nname = \"X Y\"\ntype = \"person\"\nalias = [\"Y\"]\n");
    assert!(errs.iter().any(|e| e.starts_with("speakers.toml:4:1:") && e.contains("unknown field `alias`")), "{errs:?}");
    let errs = errors_with_speakers("[[speaker]]\nname = \"X Y\"\ntype = \"robot\"\n");
    assert!(errs.iter().any(|e| e.starts_with("speakers.toml:3:8:")), "{errs:?}");
    let errs = errors_with_speakers("[[speaker]]\nname = \"X Y\"\ntype = \"person\"\nwikidata = \"42\"\n");
    assert!(errs.iter().any(|e| e.starts_with("speakers.toml:4:12: X Y: a Wikidata id is Q")), "{errs:?}");
    let errs = errors_with_speakers("[[speaker]]\nname = \"X Y\"\ntype = \"person\"\n\n[[speaker]]\nname = \"x y\"\ntype = \"person\"\n");
    assert!(errs.iter().any(|e| e.starts_with("speakers.toml:6:8: x y: a second entry with this name (the first is at line 2)")), "{errs:?}");
    let errs = errors_with_speakers("[[speaker]]\nname = \"X Y\"\ntype = \"person\"\nrole = \"the\"\n");
    assert!(errs.iter().any(|e| e.starts_with("speakers.toml:4:8: X Y: a role needs a noun")), "{errs:?}");
}

#[test]
fn a_failing_gazetteer_example_is_reported_at_the_example() {
    let mut sources = RuleSet::builtin().unwrap().sources;
    let speakers = sources.iter_mut().find(|s| s.path == "speakers.toml").unwrap();
    speakers.text.push_str("\n[[speaker]]\nname = \"Wilhelmina Quist\"\ntype = \"person\"\nexamples = [\"“Fine,” said the weather.\"]\n");
    let line = speakers.text.lines().count();
    let rules = RuleSet::from_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let report = whosaid::check::check(&whosaid::Extractor::new(rules));
    let msgs: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].starts_with(&format!("speakers.toml:{line}:13: Wilhelmina Quist: no statement by")), "{msgs:?}");
}
