//! An HTML page's visible text, as lines, and the metadata its head carries.

use encoding_rs::Encoding;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};
use unicode_width::UnicodeWidthChar;

use super::{PageHints, SkipReason, SourceText};
use crate::read::dates::iso_date;

/// How far into the page a browser looks for a charset declaration (the HTML prescan
/// reads 1024 bytes; government pages often carry long heads, so look a little further).
const PRESCAN_BYTES: usize = 4096;

/// The encoding the page declares in its first bytes, in `<meta charset>` or an
/// `http-equiv` content type.
pub(super) fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    const KEY: &[u8] = b"charset";
    (0..head.len().saturating_sub(KEY.len()))
        .filter(|&at| head[at..at + KEY.len()].eq_ignore_ascii_case(KEY))
        .find_map(|at| {
            let value = head[at + KEY.len()..]
                .trim_ascii_start()
                .strip_prefix(b"=")?;
            let value = value.trim_ascii_start();
            let value = value
                .strip_prefix(b"\"")
                .or(value.strip_prefix(b"'"))
                .unwrap_or(value);
            let end = value
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
                .unwrap_or(value.len());
            // A page cannot declare UTF-16 in ASCII bytes; browsers read such pages as UTF-8.
            Encoding::for_label(&value[..end]).map(Encoding::output_encoding)
        })
}

/// Parses `markup` and returns its visible text, preferring the article body, with hints.
pub(super) fn page_text(markup: &str) -> Result<SourceText, SkipReason> {
    let page = Html::parse_document(markup);
    let text = article_text(&page);
    if text.trim().is_empty() {
        return Err(SkipReason::NoVisibleText);
    }
    Ok(SourceText {
        text,
        hints: page_hints(&page),
        ..SourceText::default()
    })
}

/// How Chinese government sites mark an article body, most specific first.
const ARTICLE_MARKS: [ArticleMark; 5] = [
    ArticleMark::Id("zoom"),
    ArticleMark::Class("TRS_Editor"),
    ArticleMark::Tag("article"),
    ArticleMark::Class("article-content"),
    ArticleMark::Class("content"),
];

/// How many elements carrying one mark are compared: a generic mark such as `content` can
/// sit on many (even nested) elements, and reading them all would be quadratic.
const CANDIDATES_PER_MARK: usize = 16;

enum ArticleMark {
    Id(&'static str),
    Class(&'static str),
    Tag(&'static str),
}

impl ArticleMark {
    fn is_on(&self, element: &Element) -> bool {
        match *self {
            ArticleMark::Id(id) => element.id().is_some_and(|i| i.eq_ignore_ascii_case(id)),
            ArticleMark::Class(class) => element.classes().any(|c| c.eq_ignore_ascii_case(class)),
            ArticleMark::Tag(tag) => element.name() == tag,
        }
    }
}

/// The visible text of the marked article body with the most text, else of the whole page.
fn article_text(page: &Html) -> String {
    ARTICLE_MARKS
        .iter()
        .find_map(|mark| {
            page.root_element()
                .descendent_elements()
                .filter(|element| mark.is_on(element.value()))
                .take(CANDIDATES_PER_MARK)
                // A footer's `<div class="content">` is no article.
                .filter(|element| {
                    element
                        .ancestors()
                        .filter_map(|node| node.value().as_element())
                        .all(|ancestor| !is_hidden(ancestor))
                })
                .map(visible_text)
                .filter(|text| !text.trim().is_empty())
                .max_by_key(String::len)
        })
        .unwrap_or_else(|| visible_text(page.root_element()))
}

/// Elements that never hold report text, whatever page they are on.
const HIDDEN_TAGS: [&str; 13] = [
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "iframe", "form",
    "select", "button", "object",
];

/// Words in an id or class that mark navigation, footers and sharing widgets.
const BOILERPLATE_WORDS: [&str; 7] = [
    "nav",
    "menu",
    "footer",
    "foot",
    "copyright",
    "sidebar",
    "share",
];

fn is_hidden(element: &Element) -> bool {
    HIDDEN_TAGS.contains(&element.name())
        || element.attr("hidden").is_some()
        || element.attr("style").is_some_and(|style| {
            style
                .replace(' ', "")
                .to_ascii_lowercase()
                .contains("display:none")
        })
        || element
            .id()
            .into_iter()
            .chain(element.classes())
            .any(names_boilerplate)
}

/// True when an id or class such as `topnav`, `nav-bar` or `bdshare_box` contains a
/// boilerplate word at the start or end of one of its words (`footnote` is content).
fn names_boilerplate(name: &str) -> bool {
    name.split(|c: char| !c.is_ascii_alphabetic())
        .map(str::to_ascii_lowercase)
        .filter(|word| !word.starts_with("footnote"))
        .any(|word| {
            BOILERPLATE_WORDS
                .iter()
                .any(|b| word.starts_with(b) || word.ends_with(b))
        })
}

/// How an element shapes the lines of the text.
enum TagFlow {
    Inline,
    /// Starts and ends a line (`p`, `div`, `li`, `tr`...).
    Block,
    /// Ends a line where it stands (`br`, `hr`).
    Break,
    /// A table cell: a space from its neighbours on the row's line.
    Cell,
    /// Keeps its own line breaks (`pre`, `textarea`).
    Preformatted,
}

fn tag_flow(tag: &str) -> TagFlow {
    match tag {
        "br" | "hr" => TagFlow::Break,
        "td" | "th" => TagFlow::Cell,
        "pre" | "textarea" | "listing" => TagFlow::Preformatted,
        "p" | "div" | "li" | "ul" | "ol" | "dl" | "dt" | "dd" | "h1" | "h2" | "h3" | "h4"
        | "h5" | "h6" | "tr" | "table" | "thead" | "tbody" | "tfoot" | "caption" | "section"
        | "article" | "main" | "aside" | "blockquote" | "address" | "figure" | "figcaption"
        | "center" | "fieldset" | "legend" | "details" | "summary" | "body" | "html" => {
            TagFlow::Block
        }
        _ => TagFlow::Inline,
    }
}

/// One step of the walk over the tree: it is iterative because pages nest deeply enough to
/// overflow a recursive walk.
enum Step<N> {
    Enter(N),
    Leave(TagFlow),
}

/// The text a reader sees in `root`, one line per block.
fn visible_text(root: ElementRef<'_>) -> String {
    let mut lines = LineWriter::default();
    let mut steps = vec![Step::Enter(*root)];
    while let Some(step) = steps.pop() {
        let node = match step {
            Step::Enter(node) => node,
            Step::Leave(flow) => {
                lines.leave(&flow);
                continue;
            }
        };
        match node.value() {
            Node::Text(text) => lines.push_text(text),
            Node::Element(element) if !is_hidden(element) => {
                let flow = tag_flow(element.name());
                lines.enter(&flow);
                steps.push(Step::Leave(flow));
                steps.extend(node.children().rev().map(Step::Enter));
            }
            _ => {}
        }
    }
    lines.finish()
}

/// Writes text as lines the way a browser lays it out: whitespace collapses to one space,
/// lines carry no space at their ends, and a source line break between two CJK characters
/// disappears (CSS Text 3), so `依法\n行政` stays one word for search.
#[derive(Default)]
struct LineWriter {
    text: String,
    /// The last character written on the current line; `None` at the start of a line.
    last: Option<char>,
    gap: Gap,
    preformatted: usize,
}

#[derive(Default, Clone, Copy, PartialEq)]
enum Gap {
    #[default]
    None,
    /// Spaces and tabs, which collapse into one space.
    Blank,
    /// Collapsible whitespace including a source line break.
    SegmentBreak,
    /// Whitespace a reader sees as a space even around a line break (`&nbsp;`, `　`).
    Space,
}

impl LineWriter {
    fn enter(&mut self, flow: &TagFlow) {
        match flow {
            TagFlow::Block | TagFlow::Preformatted | TagFlow::Break => self.end_line(),
            TagFlow::Inline | TagFlow::Cell => {}
        }
        if let TagFlow::Preformatted = flow {
            self.preformatted += 1;
        }
    }

    fn leave(&mut self, flow: &TagFlow) {
        match flow {
            TagFlow::Block | TagFlow::Break => self.end_line(),
            TagFlow::Preformatted => {
                self.preformatted -= 1;
                self.end_line();
            }
            TagFlow::Cell => self.gap = Gap::Space,
            TagFlow::Inline => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c == '\n' && self.preformatted > 0 {
                self.end_line();
            } else if c.is_whitespace() {
                self.gap = match (self.gap, c) {
                    (Gap::Space, _) => Gap::Space,
                    (_, '\n' | '\r') => Gap::SegmentBreak,
                    (Gap::None, ' ' | '\t' | '\u{C}') => Gap::Blank,
                    (gap, ' ' | '\t' | '\u{C}') => gap,
                    _ => Gap::Space,
                };
            } else {
                self.push_char(c);
            }
        }
    }

    fn push_char(&mut self, c: char) {
        if let Some(last) = self.last {
            let vanishes = self.gap == Gap::SegmentBreak && is_wide(last) && is_wide(c);
            if self.gap != Gap::None && !vanishes {
                self.text.push(' ');
            }
        }
        self.text.push(c);
        self.last = Some(c);
        self.gap = Gap::None;
    }

    fn end_line(&mut self) {
        if self.last.take().is_some() {
            self.text.push('\n');
        }
        self.gap = Gap::None;
    }

    fn finish(mut self) -> String {
        self.end_line();
        self.text
    }
}

/// East Asian wide characters (CJK ideographs, kana, hangul, full-width punctuation), by
/// Unicode's East Asian Width property, as CSS Text 3 decides which line breaks vanish.
fn is_wide(c: char) -> bool {
    c.width() == Some(2)
}

/// The article title and publication date from the page's meta tags, else its `<title>`.
fn page_hints(page: &Html) -> PageHints {
    let (mut article_title, mut page_title, mut published) = (None, None, None);
    for element in page.root_element().descendent_elements() {
        match element.value().name() {
            "title" if page_title.is_none() => {
                page_title = Some(element.text().collect::<String>());
            }
            "meta" => {
                let meta = element.value();
                let (Some(name), Some(content)) = (meta.attr("name"), meta.attr("content")) else {
                    continue;
                };
                match name.to_ascii_lowercase().as_str() {
                    "articletitle" if article_title.is_none() => {
                        article_title = Some(content.to_string());
                    }
                    "pubdate" | "publishdate" | "firstpublishedtime" if published.is_none() => {
                        published = iso_date(content);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let article_title = article_title
        .map(|t| collapse_spaces(&t))
        .filter(|t| !t.is_empty());
    let page_title = page_title
        .map(|t| without_site_name(&collapse_spaces(&t)).to_string())
        .filter(|t| !t.is_empty());
    PageHints {
        title: article_title.or(page_title),
        published,
    }
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Shortest article title kept when a `<title>` is cut at its first separator; shorter
/// heads (`首页_…`) mean the separator was not between article and site.
const MIN_TITLE_CHARS: usize = 4;

/// `南山区2020年法治政府建设年度报告_深圳市南山区人民政府门户网站` -> the part before `_`:
/// sites append their name (and column names) after `_`, `|` or `-`. A hyphen between
/// digits (`2021-2022年`) belongs to the title.
fn without_site_name(title: &str) -> &str {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let separator = chars.iter().enumerate().find_map(|(i, &(at, c))| {
        let digit_at = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|&(_, c)| c.is_ascii_digit())
        };
        let is_separator = match c {
            '_' | '|' | '｜' => true,
            '-' | '–' => !(digit_at(i.checked_sub(1)) && digit_at(Some(i + 1))),
            _ => false,
        };
        is_separator.then_some(at)
    });
    match separator.map(|at| title[..at].trim()) {
        Some(head) if head.chars().count() >= MIN_TITLE_CHARS => head,
        _ => title,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use encoding_rs::GBK;

    use crate::read::decode::{decode_source, PageHints, SkipReason};

    const SENTENCE: &str =
        "2023年,县司法局坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的二十大精神";

    fn government_page() -> String {
        format!(
            r#"<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
  <title>五华县2023年法治政府建设年度报告_某某区人民政府门户网站</title>
  <meta name="ArticleTitle" content="五华县2023年法治政府建设年度报告">
  <meta name="PubDate" content="2024-02-01 09:30">
  <style>p {{ color: red }}</style>
</head>
<body>
  <div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
  <nav>网站导航</nav>
  <script>var tracker = "不可见";</script>
  <div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>
  <div id="zoom">
    <p>&nbsp;&nbsp;{SENTENCE}。</p>
    <p><strong>一、工作开展情况及成效</strong></p>
    <p>（一）依法
       行政   制度体系<br>持续完善。</p>
    <table><tr><td>指标</td><td>数量</td></tr></table>
  </div>
  <div class="bdshare_box">分享到：微信</div>
  <div class="footer">版权所有：某某区人民政府 &copy; 2024</div>
</body>
</html>"#
        )
    }

    #[test]
    fn government_page_gives_article_text_and_hints() {
        let page = decode_source(
            Path::new("nanshan/t20240201.html"),
            government_page().as_bytes(),
        )
        .unwrap();
        assert_eq!(
            page.text,
            format!("{SENTENCE}。\n一、工作开展情况及成效\n（一）依法行政 制度体系\n持续完善。\n指标 数量\n")
        );
        assert_eq!(
            page.hints,
            PageHints {
                title: Some("五华县2023年法治政府建设年度报告".into()),
                published: Some("2024-02-01".into()),
            }
        );
    }

    #[test]
    fn page_without_article_mark_keeps_body_text_but_not_boilerplate() {
        let page = r#"<html><head><title>南山区2020年法治政府建设年度报告_深圳市南山区人民政府门户网站</title></head>
<body><div id="menu">机构概况</div><div class="crumb">首页 &gt; 通知公告</div>
<h1>南山区2020年法治政府建设年度报告</h1><p>一是强化组织领导。</p>
<div id="footer">版权所有</div><div class="copyright">粤ICP备</div></body></html>"#;
        let decoded = decode_source(Path::new("a.htm"), page.as_bytes()).unwrap();
        assert_eq!(
            decoded.text,
            "首页 > 通知公告\n南山区2020年法治政府建设年度报告\n一是强化组织领导。\n"
        );
        assert_eq!(
            decoded.hints.title.as_deref(),
            Some("南山区2020年法治政府建设年度报告")
        );
        assert_eq!(decoded.hints.published, None);
    }

    #[test]
    fn gbk_page_declares_its_charset() {
        let page = format!(
            "<html><head><meta charset=\"gb2312\"><title>2021-2022年度报告 - 五华县司法局</title></head>\
             <body><div class=\"TRS_Editor\"><p>{SENTENCE}</p></div></body></html>"
        );
        let (bytes, _, _) = GBK.encode(&page);
        let decoded = decode_source(Path::new("report.htm"), &bytes).unwrap();
        assert_eq!(decoded.text, format!("{SENTENCE}\n"));
        assert_eq!(decoded.hints.title.as_deref(), Some("2021-2022年度报告"));
        // Sites migrated to UTF-8 templates keep serving old GBK pages under a UTF-8 meta.
        let mislabelled = page.replace("gb2312", "utf-8");
        let (bytes, _, _) = GBK.encode(&mislabelled);
        let decoded = decode_source(Path::new("report.htm"), &bytes).unwrap();
        assert_eq!(decoded.text, format!("{SENTENCE}\n"));
    }

    #[test]
    fn a_generic_mark_inside_a_footer_is_not_the_article() {
        let page = "<body><div class=\"main\"><p>一、主要举措</p><p>二、存在问题</p></div>\
                    <div class=\"footer\"><div class=\"content\">版权所有</div></div></body>";
        let decoded = decode_source(Path::new("a.html"), page.as_bytes()).unwrap();
        assert_eq!(decoded.text, "一、主要举措\n二、存在问题\n");
    }

    #[test]
    fn html_is_recognised_without_extension() {
        let page = "\u{FEFF}  <!DOCTYPE HTML><html><body><p>一、</p><p>二、</p></body></html>";
        let decoded = decode_source(Path::new("downloaded.txt"), page.as_bytes()).unwrap();
        assert_eq!(decoded.text, "一、\n二、\n");
    }

    #[test]
    fn page_without_visible_text_is_skipped() {
        let page =
            "<html><head><title>报告</title><script>load()</script></head><body> </body></html>";
        let skipped = decode_source(Path::new("a.html"), page.as_bytes()).unwrap_err();
        assert_eq!(skipped, SkipReason::NoVisibleText);
    }

    #[test]
    fn deeply_nested_markup_does_not_overflow() {
        let page = format!(
            "<html><body>{}正文{}</body></html>",
            "<span>".repeat(100_000),
            "</span>".repeat(100_000)
        );
        assert_eq!(
            decode_source(Path::new("a.html"), page.as_bytes())
                .unwrap()
                .text,
            "正文\n"
        );
    }

    #[test]
    fn whitespace_collapses_but_latin_words_keep_their_space() {
        let page = "<p>Rule\n of   law　依法治国\n建设</p><pre>第一行\n  第二行</pre>";
        let decoded = decode_source(Path::new("a.html"), page.as_bytes()).unwrap();
        assert_eq!(decoded.text, "Rule of law 依法治国建设\n第一行\n第二行\n");
    }

    #[test]
    fn boilerplate_names() {
        for name in [
            "nav",
            "topnav",
            "nav-bar",
            "main_menu",
            "footer",
            "dfoot",
            "copyright",
            "sidebar",
            "bdshare",
        ] {
            assert!(super::names_boilerplate(name), "{name}");
        }
        for name in [
            "content",
            "zoom",
            "footnote",
            "breadcrumb",
            "unavailable",
            "TRS_Editor",
        ] {
            assert!(!super::names_boilerplate(name), "{name}");
        }
    }
}
