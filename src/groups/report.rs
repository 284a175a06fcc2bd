//! Groups as tables a reader opens: one record per group, and the group × outlet matrix.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Copies, Groups, Statement};
use crate::writers::{Columns, TableColumn};

/// The column of the matrix for documents whose outlet is not known.
pub const UNKNOWN_OUTLET: &str = "(unknown outlet)";
/// A matrix cell for an outlet that carried the statement in documents without a date.
pub const UNDATED: &str = "undated";

/// One utterance and who reported it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRecord {
    pub group: String,
    /// The speaker as the representative statement has it.
    pub speaker: Option<String>,
    /// The representative statement's content.
    pub wording: String,
    pub n_rows: usize,
    pub n_documents: usize,
    /// Known outlets only.
    pub n_outlets: usize,
    pub outlets: Vec<String>,
    /// The earliest publication date among the documents.
    pub first_published: Option<String>,
    /// The outlets with a document of that date (several when they published the same day).
    pub first_outlets: Vec<String>,
    pub docs: Vec<String>,
    /// Documents of the group that copy another document of the group (wire copy): they add
    /// a document but no independent report.
    pub copies: Vec<String>,
}

impl GroupRecord {
    /// The columns of group records.
    pub fn columns() -> Columns {
        let names = [
            "group", "speaker", "wording", "n_rows", "n_documents", "n_outlets", "outlets", "first_published", "first_outlets", "docs", "copies",
        ];
        Columns::new(
            &names,
            "groups",
            vec![
                TableColumn::new("group", &["group"], 16),
                TableColumn::new("speaker", &["speaker"], 24),
                TableColumn::new("docs", &["n_documents"], 6),
                TableColumn::new("outlets", &["n_outlets"], 7),
                TableColumn::new("first", &["first_published"], 10),
                TableColumn::new("wording", &["wording"], 90),
            ],
        )
    }
}

/// The columns of the table of copies.
pub fn copy_columns() -> Columns {
    Columns::new(
        &["doc", "source", "outlet", "published", "copy_of", "copy_of_source", "copy_of_outlet", "copy_of_published", "resemblance", "containment"],
        "copies",
        vec![
            TableColumn::new("doc", &["doc"], 30),
            TableColumn::new("outlet", &["outlet"], 20),
            TableColumn::new("copy of", &["copy_of"], 30),
            TableColumn::new("outlet", &["copy_of_outlet"], 20),
            TableColumn::new("resemblance", &["resemblance"], 11),
            TableColumn::new("containment", &["containment"], 11),
        ],
    )
}

/// What a group's documents say about who had it when.
struct Reach<'a> {
    docs: BTreeSet<&'a str>,
    /// Outlet (`None` when unknown) to its earliest date (`None` when no document is dated).
    outlets: BTreeMap<Option<&'a str>, Option<&'a str>>,
}

fn reach<'a>(statements: &[Statement<'a>], members: &[usize]) -> Reach<'a> {
    let mut r = Reach { docs: BTreeSet::new(), outlets: BTreeMap::new() };
    for &i in members {
        let s = &statements[i];
        r.docs.insert(s.doc);
        let date = r.outlets.entry(s.outlet).or_insert(s.published);
        *date = match (*date, s.published) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    r
}

/// The order groups are listed in: the most widely reported first, then by first appearance.
fn listing(groups: &Groups, statements: &[Statement]) -> Vec<usize> {
    let mut order: Vec<(usize, usize)> =
        groups.groups.iter().enumerate().map(|(g, group)| (reach(statements, &group.members).docs.len(), g)).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, g)| g).collect()
}

/// One record per group with at least `min_documents` documents, most widely reported first.
pub fn records(statements: &[Statement], groups: &Groups, copies: &Copies, min_documents: usize) -> Vec<GroupRecord> {
    listing(groups, statements)
        .into_iter()
        .map(|g| {
            let group = &groups.groups[g];
            let rep = &statements[group.representative];
            let r = reach(statements, &group.members);
            let outlets: Vec<String> = r.outlets.keys().flatten().map(|o| (*o).to_owned()).collect();
            let first = r.outlets.values().flatten().min().copied();
            let first_outlets = r.outlets.iter().filter(|(o, d)| o.is_some() && **d == first && first.is_some()).map(|(o, _)| o.unwrap_or_default().to_owned()).collect();
            // Of the documents in one set of copies, all but the first are copies.
            let mut seen_sets = BTreeSet::new();
            let mut in_sets: Vec<((usize, usize), &str)> = r.docs.iter().filter_map(|d| copies.set_of(d).map(|s| (s, *d))).collect();
            in_sets.sort();
            let copied = in_sets.into_iter().filter(|((set, _), _)| !seen_sets.insert(*set)).map(|(_, d)| d.to_owned()).collect();
            GroupRecord {
                group: group.id.clone(),
                speaker: rep.speaker.map(str::to_owned),
                wording: rep.content.to_owned(),
                n_rows: group.members.len(),
                n_documents: r.docs.len(),
                n_outlets: outlets.len(),
                outlets,
                first_published: first.map(str::to_owned),
                first_outlets,
                docs: r.docs.iter().map(|d| (*d).to_owned()).collect(),
                copies: copied,
            }
        })
        .filter(|r| r.n_documents >= min_documents)
        .collect()
}

/// The group × outlet table: its columns, and one record per group (the same groups, in the
/// same order, as [`records`]) with each outlet's earliest date, [`UNDATED`], or nothing.
pub fn matrix(statements: &[Statement], groups: &Groups, min_documents: usize) -> (Columns, Vec<serde_json::Value>) {
    let seen: BTreeSet<Option<&str>> = statements.iter().map(|s| s.outlet).collect();
    // Known outlets alphabetically, the unknown last.
    let outlets: Vec<Option<&str>> = seen.iter().filter(|o| o.is_some()).chain(seen.get(&None)).copied().collect();
    let fixed = ["group", "speaker", "wording", "n_documents"];
    // An outlet never takes the place of a fixed column.
    let name = |o: &Option<&str>| match o {
        Some(o) if fixed.contains(o) => format!("outlet: {o}"),
        Some(o) => (*o).to_owned(),
        None => UNKNOWN_OUTLET.to_owned(),
    };
    let mut names: Vec<String> = fixed.map(String::from).to_vec();
    names.extend(outlets.iter().map(name));
    let mut table = vec![TableColumn::new("group", &["group"], 16), TableColumn::new("speaker", &["speaker"], 20)];
    table.extend(names[4..].iter().map(|o| TableColumn { header: o.clone(), fields: vec![o.clone()], width: 10 }));
    let columns = Columns::new(&names, "matrix", table);
    let records = listing(groups, statements)
        .into_iter()
        .filter_map(|g| {
            let group = &groups.groups[g];
            let r = reach(statements, &group.members);
            if r.docs.len() < min_documents {
                return None;
            }
            let rep = &statements[group.representative];
            let mut m = serde_json::Map::new();
            m.insert("group".into(), group.id.clone().into());
            m.insert("speaker".into(), rep.speaker.into());
            m.insert("wording".into(), rep.content.into());
            m.insert("n_documents".into(), r.docs.len().into());
            for o in &outlets {
                let cell = match r.outlets.get(o) {
                    Some(date) => date.unwrap_or(UNDATED).into(),
                    None => serde_json::Value::Null,
                };
                m.insert(name(o), cell);
            }
            Some(serde_json::Value::Object(m))
        })
        .collect();
    (columns, records)
}
