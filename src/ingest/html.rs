//! HTML pages: the article's text, extracted with a real HTML parser (html5ever, through
//! `scraper`), and the metadata the page declares about itself.
//!
//! The text is what all offsets of the page's rows refer to (`whosaid text --plain` prints it):
//! block elements become paragraphs separated by a blank line, `<br>` a line break, runs of
//! HTML whitespace one space. Scripts, styles, navigation, headers, footers, asides, forms and
//! figure captions are no article text and are skipped; when the page marks its article
//! (`<article>`, else `<main>`), only that is read.

use std::sync::LazyLock;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};
use serde_json::Value;

use crate::metadata::Metadata;
use crate::metadata::dates::iso_date;

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg", "math", "canvas", "button",
    "select", "textarea", "object", "embed", "head", "figcaption", "dialog",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "address", "article", "blockquote", "caption", "center", "dd", "details", "div", "dl", "dt", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hgroup", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul", "body",
];

/// `<meta>` keys (`property`, `name` or `itemprop`, lower case) for each field, best first.
const TITLE_KEYS: &[&str] = &["og:title", "twitter:title", "headline", "dc.title"];
const OUTLET_KEYS: &[&str] = &["og:site_name", "application-name", "publisher"];
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "og:published_time",
];
const AUTHOR_KEYS: &[&str] = &["author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"];
const URL_KEYS: &[&str] = &["og:url", "twitter:url"];

struct Selectors {
    article: Selector,
    main: Selector,
    body: Selector,
    meta: Selector,
    h1: Selector,
    title: Selector,
    time: Selector,
    canonical: Selector,
    json_ld: Selector,
}

static SELECTORS: LazyLock<Selectors> = LazyLock::new(|| {
    let s = |css: &str| Selector::parse(css).expect("a valid built-in selector");
    Selectors {
        article: s("article"),
        main: s("main, [role=main]"),
        body: s("body"),
        meta: s("meta"),
        h1: s("h1"),
        title: s("title"),
        time: s("time[datetime]"),
        canonical: s("link[rel=canonical]"),
        json_ld: s("script[type='application/ld+json']"),
    }
});

/// The article text of an HTML page and the metadata the page declares.
pub fn extract(html: &str) -> (String, Metadata) {
    let doc = Html::parse_document(html);
    let sel = &*SELECTORS;
    let root = doc
        .select(&sel.article)
        .max_by_key(|a| a.text().map(str::len).sum::<usize>())
        .or_else(|| doc.select(&sel.main).next())
        .or_else(|| doc.select(&sel.body).next())
        .unwrap_or_else(|| doc.root_element());
    let text = article_text(root);
    (text, metadata(&doc, root))
}

/// Writes text with HTML whitespace collapsed and paragraph breaks between blocks.
#[derive(Default)]
struct TextOut {
    out: String,
    /// A space is owed before the next word.
    space: bool,
    /// Line breaks owed before the next word (2: a paragraph break).
    breaks: usize,
}

impl TextOut {
    fn owe_breaks(&mut self, n: usize) {
        self.breaks = self.breaks.max(n);
    }

    fn start_word(&mut self) {
        if !self.out.is_empty() {
            match self.breaks {
                0 if self.space => self.out.push(' '),
                0 => {}
                1 => self.out.push('\n'),
                _ => self.out.push_str("\n\n"),
            }
        }
        self.breaks = 0;
        self.space = false;
    }

    /// HTML text: runs of ASCII whitespace are one space (a no-break space is not HTML
    /// whitespace and stays).
    fn text(&mut self, s: &str) {
        let mut words = s.split(|c: char| c.is_ascii_whitespace()).peekable();
        if s.starts_with(|c: char| c.is_ascii_whitespace()) {
            self.space = true;
        }
        while let Some(w) = words.next() {
            if w.is_empty() {
                continue;
            }
            self.start_word();
            self.out.push_str(w);
            if words.peek().is_some() {
                self.space = true;
            }
        }
        if s.ends_with(|c: char| c.is_ascii_whitespace()) {
            self.space = true;
        }
    }

    /// Preformatted text, as written (line breaks stay).
    fn pre(&mut self, s: &str) {
        if !s.is_empty() {
            self.start_word();
            self.out.push_str(s);
        }
    }
}

fn skipped(el: &scraper::node::Element) -> bool {
    SKIP.contains(&el.name()) || el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true")
}

/// The text of `root`, walked without recursion (a page may nest elements very deeply).
fn article_text(root: ElementRef) -> String {
    let mut out = TextOut::default();
    let (mut skip, mut pre) = (0usize, 0usize);
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) if skip > 0 || skipped(el) => skip += 1,
                Node::Element(el) => {
                    let name = el.name();
                    if name == "br" {
                        out.owe_breaks(1);
                    } else if BLOCKS.contains(&name) {
                        out.owe_breaks(2);
                    }
                    pre += usize::from(name == "pre");
                }
                Node::Text(t) if skip == 0 => {
                    if pre > 0 {
                        out.pre(t);
                    } else {
                        out.text(t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip > 0 {
                        skip -= 1;
                    } else {
                        if BLOCKS.contains(&el.name()) {
                            out.owe_breaks(2);
                        }
                        pre -= usize::from(el.name() == "pre");
                    }
                }
            }
        }
    }
    out.out
}

/// Text of an element with whitespace collapsed.
fn flat(el: ElementRef) -> String {
    el.text().flat_map(|t| t.split(|c: char| c.is_ascii_whitespace())).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

fn nonempty(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// What the page declares: `<meta>` tags, then JSON-LD, then the page's own elements.
fn metadata(doc: &Html, root: ElementRef) -> Metadata {
    let sel = &*SELECTORS;
    let metas: Vec<(String, &str)> = doc
        .select(&sel.meta)
        .filter_map(|m| {
            let key = m.attr("property").or_else(|| m.attr("name")).or_else(|| m.attr("itemprop"))?;
            Some((key.to_ascii_lowercase(), m.attr("content")?))
        })
        .collect();
    let meta = |keys: &[&str]| keys.iter().find_map(|k| metas.iter().filter(|(key, _)| key == k).find_map(|(_, v)| nonempty(v)));
    let ld = json_ld(doc);
    let site = meta(OUTLET_KEYS).or(ld.outlet);
    let title = meta(TITLE_KEYS)
        .or(ld.title)
        .or_else(|| root.select(&sel.h1).chain(doc.select(&sel.h1)).find_map(|h| nonempty(&flat(h))))
        .or_else(|| doc.select(&sel.title).find_map(|t| nonempty(&strip_site(&flat(t), site.as_deref()))));
    let published = meta(PUBLISHED_KEYS)
        .and_then(|d| iso_date(&d))
        .or_else(|| ld.published.as_deref().and_then(iso_date))
        .or_else(|| {
            let times: Vec<ElementRef> = root.select(&sel.time).collect();
            let marked = times.iter().find(|t| t.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datePublished")) || t.attr("pubdate").is_some());
            marked.or(times.first()).and_then(|t| iso_date(t.attr("datetime")?))
        })
        .map(|d| d.to_string());
    let author = meta(AUTHOR_KEYS).filter(|a| !a.contains("://")).or(ld.author);
    let url = doc.select(&sel.canonical).find_map(|l| nonempty(l.attr("href")?)).or_else(|| meta(URL_KEYS));
    Metadata { title, outlet: site, published, author, url }
}

/// "Headline | The Outlet" → "Headline", when the suffix is the site's name.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let Some(site) = site else {
        return title.to_owned();
    };
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && tail.trim().eq_ignore_ascii_case(site.trim())
        {
            return head.trim().to_owned();
        }
    }
    title.to_owned()
}

/// The article fields of the page's JSON-LD (schema.org `NewsArticle` and kin).
#[derive(Default)]
struct LinkedData {
    title: Option<String>,
    outlet: Option<String>,
    published: Option<String>,
    author: Option<String>,
}

fn json_ld(doc: &Html) -> LinkedData {
    let mut ld = LinkedData::default();
    for script in doc.select(&SELECTORS.json_ld) {
        let text: String = script.text().collect();
        // Broken JSON-LD is common on real pages; it is only a source of metadata, so it is
        // passed over and the page's other evidence is used.
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if map.contains_key("datePublished") || map.contains_key("headline") {
                        let s = |k: &str| map.get(k).and_then(Value::as_str).and_then(nonempty);
                        ld.title = ld.title.or_else(|| s("headline"));
                        ld.published = ld.published.or_else(|| s("datePublished"));
                        ld.author = ld.author.or_else(|| names(map.get("author")?));
                        ld.outlet = ld.outlet.or_else(|| map.get("publisher").and_then(|p| p.get("name")).and_then(Value::as_str).and_then(nonempty));
                    }
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                }
                _ => {}
            }
        }
    }
    ld
}

/// Author names from JSON-LD: a string, a `{"name": …}` object, or a list of them.
fn names(v: &Value) -> Option<String> {
    let one = |v: &Value| v.as_str().or_else(|| v.get("name")?.as_str()).and_then(nonempty).filter(|n| !n.contains("://"));
    let all: Vec<String> = match v {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    (!all.is_empty()).then(|| all.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_paragraphs_and_whitespace_collapses() {
        let (text, _) = extract("<html><body><p>One  <b>two</b>\n three</p><div>Four<br>five</div><script>x()</script><p>Six&nbsp;seven &amp; more</p></body></html>");
        assert_eq!(text, "One two three\n\nFour\nfive\n\nSix\u{a0}seven & more");
    }

    #[test]
    fn skips_page_chrome_and_reads_the_article() {
        let html = r#"<body><header><h1>Site</h1></header><nav>Home News</nav>
            <aside>Most Read</aside><article><h1>Headline</h1><figure><img src="a.jpg"><figcaption>A caption</figcaption></figure>
            <p>Body text.</p><div hidden>secret</div></article><article><p>short</p></article><footer>Copyright</footer></body>"#;
        let (text, meta) = extract(html);
        assert_eq!(text, "Headline\n\nBody text.");
        assert_eq!(meta.title.as_deref(), Some("Headline"), "the article's own heading, not the site's");
    }

    #[test]
    fn metadata_from_meta_tags_json_ld_and_elements() {
        let html = r#"<html><head><title>Iran talks resume | The Daily Planet</title>
            <meta property="og:site_name" content="The Daily Planet">
            <meta name="author" content="https://example.com/jane">
            <link rel="canonical" href="https://planet.example/iran-talks">
            <script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "datePublished": "2021-03-16T15:33:00+02:00",
              "author": [{"@type": "Person", "name": "Jane Doe"}, {"name": "John Roe"}]}]}</script>
            </head><body><p>Text.</p><time datetime="2020-01-01">old</time></body></html>"#;
        let (_, meta) = extract(html);
        assert_eq!(meta.title.as_deref(), Some("Iran talks resume"));
        assert_eq!(meta.outlet.as_deref(), Some("The Daily Planet"));
        assert_eq!(meta.published.as_deref(), Some("2021-03-16"));
        assert_eq!(meta.author.as_deref(), Some("Jane Doe, John Roe"));
        assert_eq!(meta.url.as_deref(), Some("https://planet.example/iran-talks"));
    }

    #[test]
    fn broken_html_still_yields_text() {
        let (text, meta) = extract("<p>First <b>bold <i>both</b> after</p><p>Second <div>unclosed <span>text");
        assert_eq!(text, "First bold both after\n\nSecond\n\nunclosed text");
        assert_eq!(meta, Metadata::default());
        let (text, _) = extract("<script>never closed");
        assert_eq!(text, "");
        // Unclosed elements nest; html5ever's time grows with the square of the depth, so this
        // stays at a depth broken pages reach.
        let deep = "<div>".repeat(5_000) + "deep text";
        assert_eq!(extract(&deep).0, "deep text");
    }
}
