//! The rule set's own examples are its tests: every rule, verb, fragment, segmentation case
//! and negative text in `rules/` is run here through the whole pipeline.

mod common;

use whosaid::{RuleSet, check, rules::SourceFile};

#[test]
fn every_rule_example_holds() {
    let report = check::check(&common::extractor());
    let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{} of {} examples failed:\n{}", failures.len(), report.examples, failures.join("\n"));
    assert!(report.examples > 200, "only {} examples ran", report.examples);
}

#[test]
fn the_shipped_directory_and_the_embedded_rules_agree() {
    let from_dir = RuleSet::from_dir(&common::root().join("rules")).unwrap_or_else(|e| panic!("{e}"));
    let builtin = RuleSet::builtin().unwrap();
    let ids = |r: &RuleSet| r.patterns.rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&from_dir), ids(&builtin));
}

fn errors_of(files: &[(&str, &str)]) -> Vec<String> {
    let mut sources: Vec<SourceFile> = RuleSet::builtin().unwrap().sources;
    for (path, text) in files {
        sources.retain(|s| s.path != *path);
        sources.push(SourceFile { path: (*path).into(), text: (*text).into() });
    }
    match RuleSet::from_sources(sources) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn malformed_rule_files_are_reported_with_their_place() {
    let errs = errors_of(&[("attribution/bad.toml", "[[rule]]\nid = \"x.bad\"\npattern = '''(?P<cue>{speech}) (?P<content> <any>+'''\n[[rule.example]]\ntext = \"a\"\n")]);
    assert!(errs.iter().any(|e| e.starts_with("attribution/bad.toml:3:11: x.bad: invalid regex")), "{errs:?}");

    let errs = errors_of(&[("attribution/bad.toml", "[[rule]]\nid = \"x.bad\"\npatern = 'x'\n")]);
    assert!(errs.iter().any(|e| e.starts_with("attribution/bad.toml:3:1:") && e.contains("unknown field `patern`")), "{errs:?}");

    let errs = errors_of(&[("attribution/bad.toml", "[[rule]]\nid = \"x.bad\"\npattern = '''(?P<cue>{nosuch}) (?P<content>.+)'''\n[[rule.example]]\ntext = \"a\"\n")]);
    assert!(errs.iter().any(|e| e.starts_with("attribution/bad.toml:3:11: x.bad: unknown name {nosuch}")), "{errs:?}");

    let errs = errors_of(&[("attribution/bad.toml", "[[rule]]\nid = \"x.bad\"\npattern = '''(?P<speaker>{speaker}) (?P<content>.+)'''\n[[rule.example]]\ntext = \"a\"\n")]);
    assert!(errs.iter().any(|e| e.contains("x.bad: a rule pattern needs (?P<cue>")), "{errs:?}");

    let errs = errors_of(&[("stray.toml", "x = 1\n")]);
    assert!(errs.iter().any(|e| e.starts_with("stray.toml:1:1: not a known rule file")), "{errs:?}");

    let errs = errors_of(&[("lexicon/bad.toml", "[[verb]]\nclass = \"speech\"\nforms = [\"say\"]\n")]);
    assert!(errs.iter().any(|e| e.starts_with("lexicon/bad.toml:3:9: speech: a verb has 5 forms")), "{errs:?}");
}

#[test]
fn a_failing_example_is_reported_at_the_example() {
    let mut sources = RuleSet::builtin().unwrap().sources;
    sources.push(SourceFile {
        path: "attribution/extra.toml".into(),
        text: "[[rule]]\nid = \"x.extra\"\npattern = '''^ (?P<speaker>{speaker}) (?P<cue>'shrugged') (?P<content>.+) $'''\n\
               [[rule.example]]\ntext = \"He shrugged it off.\"\ncontent = \"something else\"\n"
            .into(),
    });
    let rules = RuleSet::from_sources(sources).unwrap_or_else(|e| panic!("{e}"));
    let report = check::check(&whosaid::Extractor::new(rules));
    let msgs: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].starts_with("attribution/extra.toml:5:8: x.extra: expected content=\"something else\""), "{msgs:?}");
}

#[test]
fn malformed_furniture_metadata_and_outlet_files_are_reported_with_their_place() {
    let boilerplate = "[structure]\nshort_words = 5\nshort_run = 3\nmenu_words = 12\nprose_words = 6\n\n[[furniture]]\nid = \"x\"\nwhy = \"y\"\nshapes = ['\\bfoo']\nfurniture = [\"foo\"]\n";
    let errs = errors_of(&[("boilerplate.toml", boilerplate)]);
    assert!(errs.iter().any(|e| e.starts_with("boilerplate.toml:10:11: x: write (?:^|\\W)")), "{errs:?}");

    let errs = errors_of(&[("boilerplate.toml", &boilerplate.replace("shapes = ['\\bfoo']", "shapes = ['(foo']\nlist = true"))]);
    assert!(errs.iter().any(|e| e.starts_with("boilerplate.toml:10:11: x: invalid regex")), "{errs:?}");
    assert!(errs.iter().any(|e| e.starts_with("boilerplate.toml:8:6: x: a `list` or `next` entry matches whole `lines` only")), "{errs:?}");

    let errs = errors_of(&[("outlets.toml", "[[outlet]]\nname = \"The Planet\"\nmastheads = [\"Planet\"]\nsignature = []\n")]);
    assert!(errs.iter().any(|e| e.starts_with("outlets.toml:4:1:") && e.contains("unknown field `signature`")), "{errs:?}");
    let errs = errors_of(&[("outlets.toml", "[[outlet]]\nname = \"The Planet\"\nmastheads = [\"Planet\"]\n")]);
    assert!(errs.iter().any(|e| e.starts_with("outlets.toml:2:8: The Planet: an outlet needs an `example`")), "{errs:?}");

    let errs = errors_of(&[("metadata.toml", "[dates]\nmonths = [[\"January\"]]\nopening = 8\n[bylines]\nprefixes = [\"By\"]\n")]);
    assert!(errs.iter().any(|e| e.starts_with("metadata.toml:2:10: dates: `months` lists the twelve months")), "{errs:?}");
}
