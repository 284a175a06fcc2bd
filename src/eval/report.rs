//! Figures from counts, and the table `whosaid eval` prints (the layout of `score_polnear.py`,
//! so the two can be compared line by line).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::score::{Counts, LevelCounts};

/// Precision, recall and F1; `None` where a ratio is 0/0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub p: Option<f64>,
    pub r: Option<f64>,
    pub f1: Option<f64>,
}

fn div(a: f64, b: usize) -> Option<f64> {
    (b != 0).then(|| a / b as f64)
}

fn prf(tp_p: f64, n_p: usize, tp_r: f64, n_r: usize) -> Prf {
    let (p, r) = (div(tp_p, n_p), div(tp_r, n_r));
    let f1 = match (p, r) {
        (Some(p), Some(r)) if p + r == 0.0 => Some(0.0),
        (Some(p), Some(r)) => Some(2.0 * p * r / (p + r)),
        _ => None,
    };
    Prf { p, r, f1 }
}

/// Content matched at one level, with the number of true positives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Content {
    #[serde(flatten)]
    pub prf: Prf,
    pub tp: usize,
}

/// Content matched and a role (speaker, cue, or both) right, at one level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Role {
    /// Right among the matched pairs.
    pub acc: Option<f64>,
    pub n_matched: usize,
    /// End to end: a prediction counts only if its content matches and the role is right.
    #[serde(flatten)]
    pub prf: Prf,
    pub tp: usize,
}

/// Speaker figures beyond [`Role`]: where the gold names a source, and on quoted gold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Speaker {
    #[serde(flatten)]
    pub role: Role,
    pub acc_gold_has_source: Option<f64>,
    pub acc_quoted_gold: Option<f64>,
    pub quotes_loose: Prf,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Levels<T> {
    pub exact: T,
    pub partial: T,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ContentFigures {
    pub exact: Content,
    pub partial: Content,
    /// Partial credit: each matched pair counts its share of shared tokens.
    pub soft: Prf,
}

/// The quoted subset, loose (begins or ends with a mark) and strict (both, or enclosed).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QuoteFigures {
    pub loose: Levels<Prf>,
    pub strict: Levels<Prf>,
}

/// All figures of a set of documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub docs: usize,
    pub gold: usize,
    pub pred: usize,
    pub gold_quoted: usize,
    pub gold_quoted_strict: usize,
    pub pred_quoted: usize,
    pub gold_no_source: usize,
    pub gold_discontinuous: usize,
    pub gold_skipped_no_content: usize,
    pub gold_skipped_no_tokens: usize,
    pub content: ContentFigures,
    pub quotes: QuoteFigures,
    pub speaker: Levels<Speaker>,
    pub cue: Levels<Role>,
    pub speaker_cue: Levels<Role>,
}

impl Metrics {
    pub fn new(c: &Counts) -> Metrics {
        let content = |l: &LevelCounts| Content { prf: prf(l.tp as f64, c.pred, l.tp as f64, c.gold), tp: l.tp };
        let quotes = |l: &LevelCounts, strict: bool| {
            let (tp_p, n_p, tp_r, n_r) = if strict { (l.tp_pred_qs, c.pred_qs, l.tp_gold_qs, c.gold_qs) } else { (l.tp_pred_q, c.pred_q, l.tp_gold_q, c.gold_q) };
            prf(tp_p as f64, n_p, tp_r as f64, n_r)
        };
        let role = |l: &LevelCounts, ok: usize| Role { acc: div(ok as f64, l.tp), n_matched: l.tp, prf: prf(ok as f64, c.pred, ok as f64, c.gold), tp: ok };
        let speaker = |l: &LevelCounts| Speaker {
            role: role(l, l.speaker_ok),
            acc_gold_has_source: div(l.speaker_ok_gold_has_source as f64, l.tp_gold_has_source),
            acc_quoted_gold: div(l.speaker_ok_gold_q as f64, l.tp_gold_q),
            quotes_loose: prf(l.speaker_ok_pred_q as f64, c.pred_q, l.speaker_ok_gold_q as f64, c.gold_q),
        };
        let (e, p) = (&c.exact, &c.partial);
        Metrics {
            docs: c.docs,
            gold: c.gold,
            pred: c.pred,
            gold_quoted: c.gold_q,
            gold_quoted_strict: c.gold_qs,
            pred_quoted: c.pred_q,
            gold_no_source: c.gold_no_source,
            gold_discontinuous: c.gold_discontinuous,
            gold_skipped_no_content: c.gold_skipped_no_content,
            gold_skipped_no_tokens: c.gold_skipped_no_tokens,
            content: ContentFigures { exact: content(e), partial: content(p), soft: prf(c.soft_p_sum, c.pred, c.soft_r_sum, c.gold) },
            quotes: QuoteFigures {
                loose: Levels { exact: quotes(e, false), partial: quotes(p, false) },
                strict: Levels { exact: quotes(e, true), partial: quotes(p, true) },
            },
            speaker: Levels { exact: speaker(e), partial: speaker(p) },
            cue: Levels { exact: role(e, e.cue_ok), partial: role(p, p.cue_ok) },
            speaker_cue: Levels { exact: role(e, e.both_ok), partial: role(p, p.both_ok) },
        }
    }
}

/// The figures of a corpus, and of each publisher when asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub overall: Metrics,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_publisher: Option<BTreeMap<String, Metrics>>,
}

/// A ratio as the table shows it.
struct F(Option<f64>);

impl fmt::Display for F {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let s = match self.0 {
            Some(x) => format!("{x:5.3}"),
            None => "    -".into(),
        };
        f.pad(&s)
    }
}

impl Report {
    /// The table, under a first line saying what was scored.
    pub fn table(&self, header: &str) -> String {
        let m = &self.overall;
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(header.to_owned());
        line(format!(
            "docs {}  gold {} (quoted {}, strict {}, no-source {}, discontinuous {})  pred {} (quoted {})",
            m.docs, m.gold, m.gold_quoted, m.gold_quoted_strict, m.gold_no_source, m.gold_discontinuous, m.pred, m.pred_quoted
        ));
        line(format!("{:34}{:>6}{:>7}{:>7}{:>7}", "", "P", "R", "F1", "TP"));
        let row = |name: &str, d: &Prf, tp: Option<usize>| {
            format!("{name:34}{:>6}{:>7}{:>7}{:>7}", F(d.p), F(d.r), F(d.f1), tp.map_or_else(String::new, |t| t.to_string()))
        };
        line(row("content exact", &m.content.exact.prf, Some(m.content.exact.tp)));
        line(row("content partial (tokF1>=0.5)", &m.content.partial.prf, Some(m.content.partial.tp)));
        line(row("content soft (overlap credit)", &m.content.soft, None));
        for (name, q) in [("loose", &m.quotes.loose), ("strict", &m.quotes.strict)] {
            line(row(&format!("quotes[{name}] exact"), &q.exact, None));
            line(row(&format!("quotes[{name}] partial"), &q.partial, None));
        }
        let roles = [("speaker", m.speaker.exact.role, m.speaker.partial.role), ("cue", m.cue.exact, m.cue.partial), ("speaker+cue", m.speaker_cue.exact, m.speaker_cue.partial)];
        for (name, e, p) in &roles {
            line(row(&format!("content exact + {name}"), &e.prf, Some(e.tp)));
            line(row(&format!("content partial + {name}"), &p.prf, Some(p.tp)));
        }
        line("accuracy among matched content pairs:  exact-matched | partial-matched".into());
        for (name, e, p) in &roles {
            line(format!("  {name:14} {} (n={:<5}) | {} (n={})", F(e.acc), e.n_matched, F(p.acc), p.n_matched));
        }
        let sp = &m.speaker.partial;
        line(format!(
            "  speaker, gold has Source {};  speaker on quoted gold {};  quoted e2e (partial+speaker) R {}",
            F(sp.acc_gold_has_source),
            F(sp.acc_quoted_gold),
            F(sp.quotes_loose.r)
        ));
        if let Some(pubs) = &self.by_publisher {
            line(String::new());
            line(format!("{:13}{:>6}{:>6}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}", "publisher", "gold", "pred", "exF1", "paP", "paR", "paF1", "qR", "spkAcc", "e2eF1"));
            for (name, pm) in pubs {
                let pa = &pm.content.partial.prf;
                line(format!(
                    "{name:13}{:6}{:6}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}{:>7}",
                    pm.gold,
                    pm.pred,
                    F(pm.content.exact.prf.f1),
                    F(pa.p),
                    F(pa.r),
                    F(pa.f1),
                    F(pm.quotes.loose.partial.r),
                    F(pm.speaker.partial.role.acc),
                    F(pm.speaker.partial.role.prf.f1)
                ));
            }
            line("(pa = partial content match; qR = recall on quoted gold, partial; spkAcc = speaker accuracy on partial matches; e2eF1 = content partial + speaker)".into());
        }
        out
    }
}
