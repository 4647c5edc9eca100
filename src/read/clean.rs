//! Drops the web-page boilerplate around a report's body: breadcrumbs, publication lines,
//! link lists and footers, keeping the publication date that the boilerplate carried.
//!
//! The rules describe the shapes such lines take on Chinese government sites, not the lines of
//! particular pages: a line made only of `label:value` fields or of widget words (`字号`,
//! `加大`, `打印`, `全屏`, `无障碍`, `高级搜索`, `分享到`, `我要纠错`), a link to a downloadable
//! file, a related-articles header and the titles under it, a run of short lines without
//! sentence punctuation at the head or tail of a page (a site menu), a footer after the last
//! paragraph. A heading (`一、`, `(三)`, `第二章`) or a line with sentence punctuation is never
//! chrome by shape, and a run of short lines between two sentences is body. The body text
//! itself is kept byte for byte apart from trimming each line, so that exact-substring search
//! matches the published text.

use crate::read::dates::iso_date;
use crate::read::headings::{heading_level, is_appendix_heading, TITLE_WORDS};
use crate::read::length::more_chars_than;

/// The body lines of a page, with the facts its boilerplate carried.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanText<'a> {
    /// The trimmed, non-empty lines of the body, in order.
    pub lines: Vec<&'a str>,
    /// The publication date as the page's publication line wrote it (`2024-02-01`,
    /// `2022-02-22`), before any parsing.
    pub published: Option<&'a str>,
    /// The lines dropped as chrome, with the rule that dropped each, in page order: what a
    /// measurement of the rules reads.
    pub removed: Vec<(Chrome, &'a str)>,
}

/// The rule by which a line was recognised as page chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Chrome {
    /// `当前位置:首页 > 信息公开`.
    Breadcrumb,
    /// A line of `label:value` fields (`发布时间:… 来源:… 浏览次数:…`).
    PublicationLine,
    /// A line made only of widget words: font size, print, share, accessibility and language
    /// switches, search-form leftovers, error-report and close buttons, or a lone bracket.
    Widget,
    /// A link to a downloadable file (`1．附件1：….doc`) and the `附件：` header above such links.
    AttachmentLink,
    /// A run of short lines without sentence punctuation at the head or tail of the page.
    MenuRun,
    /// A related-articles header (`相关报道：`, `相关链接>>`) and the titles listed under it.
    RelatedList,
    /// A run of other documents' titles at the end of the page.
    TitleList,
    /// Footer lines (`版权所有`, `ICP备`, site lists) and everything after them.
    Footer,
}

impl Chrome {
    /// Every rule, in the order of the variants.
    #[cfg(test)]
    pub const ALL: [Chrome; 8] = [
        Chrome::Breadcrumb,
        Chrome::PublicationLine,
        Chrome::Widget,
        Chrome::AttachmentLink,
        Chrome::MenuRun,
        Chrome::RelatedList,
        Chrome::TitleList,
        Chrome::Footer,
    ];
}

/// Labels of the fields of a publication line (`来源:本网`, `浏览次数:12`) and of the
/// information-disclosure tables that government sites print above a document.
const FIELD_LABELS: &[&str] = &[
    "时间",
    "日期",
    "发布时间",
    "发布日期",
    "发表时间",
    "更新时间",
    "来源",
    "信息来源",
    "文章来源",
    "稿件来源",
    "作者",
    "编辑",
    "责任编辑",
    "审核",
    "浏览次数",
    "浏览量",
    "阅读次数",
    "阅读量",
    "点击数",
    "点击次数",
    "点击量",
    "访问量",
    "访问次数",
    "字号",
    "字体",
    "分享到",
    "索引号",
    "信息索引号",
    "发布机构",
    "公开方式",
    "公开范围",
    "公开时限",
    "主题分类",
    "体裁分类",
    "信息分类",
    "所属机构",
    "生成日期",
    "成文日期",
    "文号",
    "发文字号",
    "有效性",
    "名称",
    "主题词",
    "分类",
    "时效",
    "效力状态",
];

/// Field labels whose value is the publication date.
const DATE_LABELS: &[&str] = &["发布日期", "发布时间", "时间", "日期", "发表时间"];

/// Words of the page controls printed on publication lines (`打印`, `【大 中 小】`).
const CONTROL_WORDS: &[&str] = &[
    "打印",
    "打印本页",
    "打印此页",
    "打印文章",
    "关闭",
    "关闭窗口",
    "关闭本页",
    "大",
    "中",
    "小",
    "默认",
    "字号",
    "字体",
    "收藏",
    "分享",
    "分享到",
    "扫一扫",
    "返回顶部",
    "返回",
];

/// Openings of a breadcrumb line (`当前位置:首页 > 信息公开`).
const BREADCRUMB_OPENINGS: &[&str] = &[
    "当前位置",
    "您的位置",
    "你的位置",
    "您现在的位置",
    "你现在的位置",
    "您当前的位置",
    "所在位置",
];

/// Separators between the steps of a breadcrumb.
const BREADCRUMB_SEPARATORS: &[char] = &['>', '＞', '»', '›'];

/// Markers of a page footer.
const FOOTER_MARKERS: &[&str] = &[
    "版权所有",
    "Copyright",
    "copyright",
    "©",
    "ICP备",
    "ICP证",
    "公网安备",
    "网站标识码",
    "主办:",
    "主办：",
    "承办:",
    "承办：",
    "主办单位",
    "承办单位",
    "技术支持",
    "网站地图",
    "联系我们",
];

/// Headers of the lists of related pages under a document: the titles below them are other
/// documents.
const RELATED_HEADERS: &[&str] = &[
    "相关附件",
    "相关信息",
    "相关链接",
    "相关文章",
    "相关阅读",
    "相关新闻",
    "相关报道",
    "相关文档",
    "相关文件",
    "相关稿件",
    "相关政策",
    "相关解读",
    "政策解读",
    "延伸阅读",
    "推荐阅读",
    "热点推荐",
    "热门文章",
    "猜你喜欢",
    "友情链接",
    "其他文章",
];

/// What follows a related-list header on its line: punctuation and `更多`.
const HEADER_TRAILERS: &[char] = &[':', '：', '>', '＞', '》', '»', '›', '+', '【', '】', ' '];

/// Words of page widgets: font size, print, share, favourites, full screen, accessibility and
/// language switches, search-form leftovers, error-report and close buttons. A line made only
/// of these (in any order, with brackets and separators) is a widget bar.
const WIDGET_WORDS: &[&str] = &[
    "字号",
    "字体",
    "加大",
    "还原",
    "减小",
    "放大",
    "缩小",
    "默认",
    "大",
    "中",
    "小",
    "A+",
    "A-",
    "打印",
    "打印本页",
    "打印此页",
    "打印文章",
    "下载",
    "收藏",
    "我的收藏",
    "加入收藏",
    "全屏",
    "关闭",
    "关闭窗口",
    "关闭本页",
    "返回",
    "返回顶部",
    "返回首页",
    "顶部",
    "分享",
    "分享到",
    "微信",
    "微博",
    "新浪微博",
    "腾讯微博",
    "QQ",
    "QQ空间",
    "朋友圈",
    "扫一扫",
    "二维码",
    "无障碍",
    "无障碍浏览",
    "长者助手",
    "长者模式",
    "关怀版",
    "适老化",
    "读屏",
    "简体",
    "繁體",
    "繁体",
    "简",
    "繁",
    "English",
    "EN",
    "中文",
    "纠错",
    "我要纠错",
    "错误报告",
    "报错",
    "登录",
    "注册",
    "搜索",
    "高级搜索",
    "搜索位置",
    "标题",
    "全文",
    "正文",
    "排序方式",
    "按时间",
    "按相关度",
    "文件状态",
    "不限",
    "现行有效",
    "已失效",
    "收起",
    "展开",
    "更多",
    "查看更多",
    "下载文字版",
    "下载图片版",
    "听全文",
    "语音播报",
];

/// File extensions of the documents pages link to as attachments.
const ATTACHMENT_EXTENSIONS: &[&str] = &[
    ".doc", ".docx", ".pdf", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".zip", ".rar", ".7z", ".txt",
    ".jpg", ".png", ".ppt", ".pptx",
];

/// Words in the title of another document listed at the end of a page.
const DOCUMENT_TITLE_WORDS: &[&str] = &[
    "报告", "通知", "公告", "通告", "意见", "办法", "方案", "规定", "决定", "总结", "要点", "批复",
    "公示", "规划", "计划", "条例", "细则", "解读", "年报", "情况",
];

/// A menu item is this short; menus are made of such lines.
const MAX_MENU_LINE_CHARS: usize = 12;

/// So many menu-like lines in a row at the head or tail of a page are a site menu; fewer can
/// be a title, a signature or a short table.
const MIN_MENU_RUN: usize = 5;

/// So many document titles in a row at the end of a page are a list of other documents.
const MIN_TITLE_LIST: usize = 3;

/// Other documents' titles are short.
const MAX_LISTED_TITLE_CHARS: usize = 60;

/// A title line kept at the end of a head menu run is at least this long.
const MIN_TITLE_CHARS: usize = 6;

/// Endings of the names in a site's link lists (`国务院部门网站`, `相关链接`).
const LINK_LIST_ENDINGS: &[&str] = &["网站", "网站群", "链接", "导航"];

/// Link-list lines are short; a longer line ending in `网站` is a sentence.
const MAX_LINK_LINE_CHARS: usize = 16;

/// Publication and footer lines are short; a long line is body text whatever it contains.
const MAX_BOILERPLATE_CHARS: usize = 200;

/// A line this long with a sentence end is report prose: a footer can only start after the
/// last such line.
const MIN_PROSE_CHARS: usize = 40;

/// What a line of the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Body,
    /// Chrome that can sit anywhere (breadcrumbs, publication lines, widgets).
    Chrome(Chrome),
    /// Chrome that ends a page: once it follows the last paragraph, the rest is footer.
    Tail(Chrome),
}

/// Splits `text` into trimmed body lines, dropping web-page boilerplate.
pub fn clean(text: &str) -> CleanText<'_> {
    let mut published = None;
    let mut in_breadcrumb = false;
    let mut lines: Vec<(&str, Role)> = Vec::new();
    for line in text.lines().map(trim_line).filter(|line| !line.is_empty()) {
        // A breadcrumb that wraps continues on lines starting with its separator.
        let continues_breadcrumb = in_breadcrumb && line.starts_with(BREADCRUMB_SEPARATORS);
        in_breadcrumb = continues_breadcrumb || is_breadcrumb(line);
        let role = if in_breadcrumb {
            Role::Chrome(Chrome::Breadcrumb)
        } else if let Some(fields) = publication_fields(line) {
            published = published.or(fields.date);
            Role::Chrome(Chrome::PublicationLine)
        } else if is_widget_line(line) {
            Role::Chrome(Chrome::Widget)
        } else if is_attachment_link(line) {
            Role::Chrome(Chrome::AttachmentLink)
        } else if is_related_header(line) {
            Role::Tail(Chrome::RelatedList)
        } else if is_footer(line) || is_link_list(line) {
            Role::Tail(Chrome::Footer)
        } else {
            Role::Body
        };
        lines.push((line, role));
    }
    mark_widget_leftovers(&mut lines);
    mark_attachment_headers(&mut lines);
    mark_related_lists(&mut lines);
    mark_menu_runs(&mut lines);
    mark_title_lists(&mut lines);

    let last_prose = lines
        .iter()
        .rposition(|&(line, role)| role == Role::Body && is_prose(line));
    let footer_start = lines
        .iter()
        .enumerate()
        .skip(last_prose.map_or(0, |i| i + 1))
        .find(|(_, (_, role))| matches!(role, Role::Tail(_)))
        .map_or(lines.len(), |(i, _)| i);
    let mut kept = Vec::with_capacity(lines.len());
    let mut removed = Vec::new();
    for (i, &(line, role)) in lines.iter().enumerate() {
        match role {
            // A footer word inside the body (`承办单位`, `技术支持` in a statute) is text.
            Role::Body | Role::Tail(Chrome::Footer) if i < footer_start => kept.push(line),
            Role::Body => removed.push((Chrome::Footer, line)),
            Role::Chrome(rule) | Role::Tail(rule) => removed.push((rule, line)),
        }
    }
    CleanText {
        lines: kept,
        published,
        removed,
    }
}

/// An `附件：` header is chrome when the file links under it (or on its own line) are.
fn mark_attachment_headers(lines: &mut [(&str, Role)]) {
    for i in 0..lines.len() {
        let (line, role) = lines[i];
        let links_follow = lines
            .get(i + 1)
            .is_some_and(|&(_, next)| next == Role::Chrome(Chrome::AttachmentLink));
        if role == Role::Body && links_follow && is_attachment_header(line) {
            lines[i].1 = Role::Chrome(Chrome::AttachmentLink);
        }
    }
}

/// The lines under a related-articles header are other documents' titles up to the next line
/// with a sentence in it.
fn mark_related_lists(lines: &mut [(&str, Role)]) {
    let mut in_list = false;
    for (line, role) in lines.iter_mut() {
        match *role {
            Role::Tail(Chrome::RelatedList) => in_list = true,
            Role::Body if in_list && !is_sentence(line) => {
                *role = Role::Chrome(Chrome::RelatedList)
            }
            Role::Body => in_list = false,
            _ => {}
        }
    }
}

/// Marks site menus: runs of at least [`MIN_MENU_RUN`] menu-like lines (see
/// [`is_menu_like`]) before the first sentence of the page or after its last. A run at the
/// head keeps the title lines it ends with.
fn mark_menu_runs(lines: &mut [(&str, Role)]) {
    let (first_sentence, last_sentence) = sentence_span(lines);
    // Lone symbols (`+` before a submenu) neither make nor break a run.
    let body: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].1 == Role::Body && !is_symbol_line(lines[i].0))
        .collect();
    for run in runs_of(lines, &body, is_menu_like) {
        let (first, last) = (run[0], run[run.len() - 1]);
        if run.len() < MIN_MENU_RUN {
            continue;
        }
        let at_head = first_sentence.is_none_or(|s| last < s);
        let at_tail = last_sentence.is_none_or(|s| first > s);
        if !(at_head || at_tail) {
            continue;
        }
        // The page's title can close a head menu run; the layout reads it as the title.
        let title_lines = if at_head {
            run.iter()
                .rev()
                .take(MAX_KEPT_TITLE_LINES)
                .take_while(|&&i| is_title_like(lines[i].0))
                .count()
        } else {
            0
        };
        let menu = &run[..run.len() - title_lines];
        if let (Some(&start), Some(&end)) = (menu.first(), menu.last()) {
            for line in &mut lines[start..=end] {
                if line.1 == Role::Body {
                    line.1 = Role::Chrome(Chrome::MenuRun);
                }
            }
        }
    }
}

/// Marks lists of other documents: at least [`MIN_TITLE_LIST`] document titles in a row after
/// the last sentence of the page.
fn mark_title_lists(lines: &mut [(&str, Role)]) {
    let (_, last_sentence) = sentence_span(lines);
    let start = last_sentence.map_or(0, |s| s + 1);
    let body: Vec<usize> = (start..lines.len())
        .filter(|&i| lines[i].1 == Role::Body)
        .collect();
    for run in runs_of(lines, &body, is_listed_title) {
        // A title with its date (`一图读懂 | 2019年报告 2020-01-16`) is a listing even alone.
        if run.len() >= MIN_TITLE_LIST || run.iter().all(|&i| ends_with_date(lines[i].0)) {
            for i in run {
                lines[i].1 = Role::Chrome(Chrome::TitleList);
            }
        }
    }
}

/// The runs of consecutive `body` lines (indices into `lines`) that satisfy `shape`.
fn runs_of(lines: &[(&str, Role)], body: &[usize], shape: fn(&str) -> bool) -> Vec<Vec<usize>> {
    body.chunk_by(|&a, &b| shape(lines[a].0) == shape(lines[b].0))
        .filter(|run| shape(lines[run[0]].0))
        .map(<[usize]>::to_vec)
        .collect()
}

/// The first and last body lines with a sentence in them.
fn sentence_span(lines: &[(&str, Role)]) -> (Option<usize>, Option<usize>) {
    let is_body_sentence = |&(line, role): &(&str, Role)| role == Role::Body && is_sentence(line);
    (
        lines.iter().position(is_body_sentence),
        lines.iter().rposition(is_body_sentence),
    )
}

/// A head menu run keeps at most this many title lines at its end.
const MAX_KEPT_TITLE_LINES: usize = 3;

/// Punctuation that menu items never carry: sentence and clause marks.
const SENTENCE_MARKS: &[char] = &[
    '。', '，', '；', '！', '？', '、', ',', ';', '!', '?', '：', ':',
];

/// A line that says something: punctuated like a sentence and not a mere label.
fn is_sentence(line: &str) -> bool {
    more_chars_than(line, MIN_SENTENCE_CHARS) && line.contains(SENTENCE_MARKS)
}

/// Marks that end a clause of a sentence; footers have none.
const CLAUSE_ENDS: &[char] = &['；', ';', '！', '？', '!', '?'];

/// A punctuated line shorter than this (`各位代表：`) does not end a page's head.
const MIN_SENTENCE_CHARS: usize = 8;

/// A line shaped like a menu item: short, without sentence marks or digits, and not a heading
/// of the report (`一、总则`, `(三)加强监督`, `第二章 总则`).
fn is_menu_like(line: &str) -> bool {
    !more_chars_than(line, MAX_MENU_LINE_CHARS)
        && line
            .chars()
            .all(|c| (c.is_alphabetic() && !c.is_numeric()) || MENU_MARKS.contains(&c))
        && !is_heading(line)
}

/// Marks menu items may carry besides letters: `区属学校（园）`, `“三公”经费`.
const MENU_MARKS: &[char] = &[
    '（', '）', '(', ')', '“', '”', '‘', '’', '《', '》', '·', ' ', '\u{3000}',
];

/// A heading of a report or statute, which shape rules never remove; appendix headings
/// (`附录`, `附件2`) included.
fn is_heading(line: &str) -> bool {
    heading_level(line).is_some() || is_statute_division(line) || is_appendix_heading(line)
}

/// `第二章 总则`, `第十条`, `第三节`.
fn is_statute_division(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('第') else {
        return false;
    };
    let numerals = rest
        .chars()
        .take_while(|c| "一二三四五六七八九十百千〇零".contains(*c) || c.is_ascii_digit())
        .count();
    numerals > 0
        && rest
            .chars()
            .nth(numerals)
            .is_some_and(|c| "章节条编款部".contains(c))
}

/// A line that can be a report's title: long enough and naming a kind of document.
fn is_title_like(line: &str) -> bool {
    more_chars_than(line, MIN_TITLE_CHARS - 1) && TITLE_WORDS.iter().any(|word| line.contains(word))
}

/// Another document's title as listed under a page: short, no sentence end, naming a kind of
/// document or ending with its date (`2021-02-04`).
fn is_listed_title(line: &str) -> bool {
    !more_chars_than(line, MAX_LISTED_TITLE_CHARS)
        && !line.contains(['。', '；', ';'])
        && !is_heading(line)
        && (ends_with_date(line) || DOCUMENT_TITLE_WORDS.iter().any(|word| line.contains(word)))
}

/// A line ending with a listing's date, `2020-01-16` or `[2020/01/16]`, which report prose
/// never does.
fn ends_with_date(line: &str) -> bool {
    let line = line.trim_end_matches([')', '）', ']', '】']);
    let date_start = line
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let date = &line[date_start..];
    date.len() >= 8 && date.contains(['-', '/', '.']) && iso_date(date).is_some()
}

/// A line made only of widget words and separators (`【字号：加大 还原 减小】`, `打印 | 关闭`,
/// `无障碍 长者助手 我的收藏`).
fn is_widget_line(line: &str) -> bool {
    if more_chars_than(line, MAX_WIDGET_LINE_CHARS) {
        return false;
    }
    let mut words = line
        .split(|c: char| c.is_whitespace() || is_icon(c) || WIDGET_SEPARATORS.contains(&c))
        .filter(|word| !word.is_empty())
        .peekable();
    words.peek().is_some() && words.all(is_widget_words)
}

/// A short line of separators alone (`】`, `>>`, `+`).
fn is_symbol_line(line: &str) -> bool {
    let mut symbols = line.chars().filter(|c| !c.is_whitespace());
    symbols
        .by_ref()
        .take(MAX_SYMBOL_LINE_CHARS + 1)
        .all(|c| is_icon(c) || WIDGET_SEPARATORS.contains(&c))
        && symbols.next().is_none()
}

/// A bracket or bar left from a widget split over lines (`【字号：` / `加大` / `】`) is part of
/// the widget when it stands next to one; elsewhere it is the text's own.
fn mark_widget_leftovers(lines: &mut [(&str, Role)]) {
    for i in 0..lines.len() {
        let beside_widget = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .any(|j| {
                lines
                    .get(j)
                    .is_some_and(|&(_, role)| role == Role::Chrome(Chrome::Widget))
            });
        if lines[i].1 == Role::Body && beside_widget && is_symbol_line(lines[i].0) {
            lines[i].1 = Role::Chrome(Chrome::Widget);
        }
    }
}

/// Widget bars are short.
const MAX_WIDGET_LINE_CHARS: usize = 40;

/// A line of separators alone is this short (`】`, `>>`, `+`).
const MAX_SYMBOL_LINE_CHARS: usize = 3;

/// What separates the words of a widget bar.
const WIDGET_SEPARATORS: &[char] = &[
    '【', '】', '[', ']', '〔', '〕', '|', '丨', '｜', '/', ':', '：', '>', '＞', '<', '＜', '»',
    '«', '·', '•', '+', '-', '－', '(', ')', '（', '）', '_', '*', '★', '☆',
];

/// True when `word` is one or more widget words run together (`长者助手我的收藏`).
fn is_widget_words(word: &str) -> bool {
    // Segmentation by dynamic programming over byte offsets; words are a few characters.
    // Every widget word has two bytes or more: comparing the first two inline before the
    // rest rules out almost every widget word without a call to `memcmp`, which was 5% of
    // reading's time, spent on body lines that are no widgets at all.
    //
    // The words of a widget line have at most its characters, of four bytes at most.
    const MOST_BYTES: usize = MAX_WIDGET_LINE_CHARS * 4;
    let bytes = word.as_bytes();
    if bytes.len() > MOST_BYTES {
        return false;
    }
    let mut reachable = [false; MOST_BYTES + 1];
    reachable[0] = true;
    for start in 0..bytes.len() {
        if !reachable[start] {
            continue;
        }
        let rest = &bytes[start..];
        for widget in WIDGET_WORDS {
            let widget = widget.as_bytes();
            if rest.get(..2) == widget.get(..2) && rest.starts_with(widget) {
                reachable[start + widget.len()] = true;
            }
        }
    }
    reachable[bytes.len()]
}

/// A link to a downloadable file, as pages list attachments: `1．附件1：….doc`,
/// `附件：统计表.xlsx (35 KB)`.
fn is_attachment_link(line: &str) -> bool {
    if more_chars_than(line, MAX_BOILERPLATE_CHARS) || line.contains('。') {
        return false;
    }
    // A size or download count may follow the name: `(35.5KB)`, `[下载]`.
    let name = line.trim_end_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_alphanumeric() || "()（）[]【】.下载次".contains(c)
    });
    let name_end = line[name.len()..]
        .char_indices()
        .find(|&(_, c)| c == '.')
        .map(|(i, _)| name.len() + i);
    let lowered = line.to_ascii_lowercase();
    ATTACHMENT_EXTENSIONS.iter().any(|extension| {
        lowered.ends_with(extension)
            || name_end.is_some_and(|end| lowered[end..].starts_with(extension))
    })
}

/// `附件：`, `附件下载：`, `相关附件` as a line of its own.
fn is_attachment_header(line: &str) -> bool {
    let header = line.trim_end_matches(HEADER_TRAILERS);
    ["附件", "附件下载", "附件列表", "相关附件", "下载附件"].contains(&header)
}

/// Trims the spaces pages pad lines with: ASCII, NBSP, ideographic (all `White_Space`), and
/// the invisible zero-width ones.
fn trim_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'))
}

/// Private-use characters: the glyphs of icon fonts that pages put before widget words and
/// menu items (statutes also use them for rare characters, so they are never trimmed from
/// text: only a line of nothing else is a symbol line).
fn is_icon(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}')
}

fn is_breadcrumb(line: &str) -> bool {
    BREADCRUMB_OPENINGS
        .iter()
        .any(|opening| line.starts_with(opening))
        || (line.starts_with("首页") && line.contains(BREADCRUMB_SEPARATORS))
}

/// A long line with a sentence end is part of the report.
fn is_prose(line: &str) -> bool {
    more_chars_than(line, MIN_PROSE_CHARS) && line.contains(['。', '；', ';'])
}

/// A short line without sentences can be boilerplate; anything else is kept as body.
fn is_short_fragment(line: &str, max_chars: usize) -> bool {
    !more_chars_than(line, max_chars) && !line.contains('。')
}

fn is_footer(line: &str) -> bool {
    is_short_fragment(line, MAX_BOILERPLATE_CHARS)
        && !line.contains(CLAUSE_ENDS)
        && FOOTER_MARKERS.iter().any(|marker| line.contains(marker))
}

fn is_link_list(line: &str) -> bool {
    is_short_fragment(line, MAX_LINK_LINE_CHARS)
        && !line.contains([',', '，', '、', ';', '；', ':', '：'])
        && LINK_LIST_ENDINGS
            .iter()
            .any(|ending| line.ends_with(ending))
}

fn is_related_header(line: &str) -> bool {
    let header = line.trim_end_matches(HEADER_TRAILERS);
    let header = header
        .strip_suffix("更多")
        .map_or(header, |h| h.trim_end_matches(HEADER_TRAILERS));
    RELATED_HEADERS.contains(&header)
        || (["上一篇", "下一篇"].iter().any(|nav| line.starts_with(nav))
            && is_short_fragment(line, MAX_BOILERPLATE_CHARS))
}

/// What a publication line says.
struct PublicationFields<'a> {
    date: Option<&'a str>,
}

/// Reads `line` as a publication line (`时间:2024-02-01 来源:本网 浏览次数:-`), a line made
/// only of `label:value` fields and page controls; `None` when it is anything else.
fn publication_fields(line: &str) -> Option<PublicationFields<'_>> {
    if !is_short_fragment(line, MAX_BOILERPLATE_CHARS) {
        return None;
    }
    let mut date = None;
    // The label whose value is still to come, after `来源: 本网` put a space after the colon.
    let mut pending_label: Option<&str> = None;
    let mut after_field = false;
    for token in line.split_whitespace() {
        let token = token.trim_matches(['【', '】', '[', ']', '〔', '〕', '|', '丨']);
        if token.is_empty() {
            continue;
        }
        if let Some((label, value)) = token.split_once([':', '：']) {
            if FIELD_LABELS.contains(&label) {
                if DATE_LABELS.contains(&label) && !value.is_empty() {
                    date = date.or(Some(value));
                }
                pending_label = value.is_empty().then_some(label);
                after_field = true;
                continue;
            }
        }
        if let Some(label) = pending_label.take() {
            if DATE_LABELS.contains(&label) {
                date = date.or(Some(token));
            }
        } else if CONTROL_WORDS.contains(&token) {
            after_field = true;
        } else if !(after_field && is_date_or_time(token)) {
            return None;
        }
    }
    after_field.then_some(PublicationFields { date })
}

/// `2022-02-22`, `15:10:24`: the parts of a date value split by a space.
fn is_date_or_time(token: &str) -> bool {
    token
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | '/' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    #[test]
    fn widget_words_run_together_are_found_whatever_their_bytes() {
        for word in [
            "字号",
            "打印本页",
            "长者助手我的收藏",
            "A+",
            "打印关闭返回顶部分享",
        ] {
            assert!(is_widget_words(word), "{word}");
        }
        let long_run = "打印".repeat(MAX_WIDGET_LINE_CHARS / 2);
        assert!(is_widget_words(&long_run), "{long_run}");
        for word in ["法治政府", "打印机", "字", "A", "全面推进依法行政打印"] {
            assert!(!is_widget_words(word), "{word}");
        }
    }

    const SAMPLES: [&str; 5] = [
        include_str!("../../corpus/000_17297affa439b9c0.txt"),
        include_str!("../../corpus/001_2d60e079f71ee17a.txt"),
        include_str!("../../corpus/002_f4d1361488eadf97.txt"),
        include_str!("../../corpus/003_e0872561a26c69b6.txt"),
        include_str!("../../corpus/004_1ac7896f71e6ea67.txt"),
    ];

    #[test]
    fn no_boilerplate_survives_in_the_samples() {
        let boilerplate = [
            "当前位置",
            "首页",
            "浏览次数",
            "来源:",
            "发布日期",
            "时间:",
            "字号",
            "版权所有",
            "ICP备",
            "公网安备",
            "网站标识码",
            "主办:",
            "国务院部门网站",
            "地方政府网站",
            "市政府部门网站",
            "区(县)政府网站",
            "其他网站",
            "相关附件",
            "相关信息",
            "公开年报",
        ];
        for sample in SAMPLES {
            for line in clean(sample).lines {
                assert!(!line.starts_with('>'), "{line}");
                // 003 says 打印 in a sentence; as a line of its own it is a page control.
                assert_ne!(line, "打印");
                for word in boilerplate {
                    assert!(!line.contains(word), "{word:?} survived in {line:?}");
                }
            }
        }
    }

    #[test]
    fn body_lines_are_trimmed_but_otherwise_untouched() {
        let lines = clean(SAMPLES[3]).lines;
        assert_eq!(
            lines[0],
            "韶关市武江区人民政府2021年度法治政府建设工作情况报告"
        );
        assert!(lines[1].starts_with("2021年,在市委、市政府和区委的正确领导下,"));
        assert_eq!(lines[lines.len() - 2], "韶关市武江区人民政府");
        assert_eq!(lines[lines.len() - 1], "2022年1月27日");
        // Every kept line is a substring of the page as published.
        for (sample, line) in SAMPLES
            .iter()
            .flat_map(|s| clean(s).lines.into_iter().map(move |l| (s, l)))
        {
            assert!(sample.contains(line));
        }
    }

    #[test]
    fn signature_between_body_and_footer_is_kept() {
        let lines = clean(SAMPLES[1]).lines;
        assert_eq!(lines[lines.len() - 3], "无。");
        assert_eq!(lines[lines.len() - 2], "重庆市南岸区司法局");
        assert_eq!(lines[lines.len() - 1], "2023年2月22日");
        let lines = clean(SAMPLES[0]).lines;
        assert_eq!(lines[lines.len() - 2..], ["五华县司法局", "2024年2月1日"]);
    }

    #[test]
    fn publication_date_is_kept() {
        let dates: Vec<_> = SAMPLES.iter().map(|s| clean(s).published).collect();
        assert_eq!(
            dates,
            [
                Some("2024-02-01"),
                None,
                None,
                Some("2022-02-22"),
                Some("2024-02-29")
            ]
        );
    }

    #[test]
    fn breadcrumb_continued_on_the_next_line_is_dropped() {
        let page = "当前位置: 首页\n>政务公开 >公开年报\n正文第一段。";
        assert_eq!(clean(page).lines, ["正文第一段。"]);
        let page = "您的位置：首页 » 政务公开\n首页 > 通知\n正文。";
        assert_eq!(clean(page).lines, ["正文。"]);
    }

    #[test]
    fn publication_lines_of_other_shapes_are_dropped() {
        let page = "发布时间：2023年3月1日 10:00\u{3000}来源： 司法局 【字体：大 中 小】\n\
                    【打印】 【关闭】\n\
                    索引号：11440000/2023-00012 发布机构：县政府办\n\
                    时间安排紧凑。";
        let cleaned = clean(page);
        assert_eq!(cleaned.lines, ["时间安排紧凑。"]);
        assert_eq!(cleaned.published, Some("2023年3月1日"));
    }

    #[test]
    fn footer_runs_to_the_end_once_it_starts_after_the_body() {
        let page = "一、工作情况\n全年共办理行政复议案件十件,较上年增长两成,\
                    办结率达到百分之百,行政复议纠错率稳步提升。\n\
                    友情链接\n某某市人民政府\n某某报社\n主办单位：某某县人民政府办公室\n联系电话：1234";
        assert_eq!(
            clean(page).lines,
            [
                "一、工作情况",
                "全年共办理行政复议案件十件,较上年增长两成,办结率达到百分之百,\
                 行政复议纠错率稳步提升。"
            ]
        );
    }

    #[test]
    fn body_sentences_mentioning_boilerplate_words_are_kept() {
        let line = "充分发挥政府网站作为政务公开第一平台作用,全年在县政府网站发布信息一千余条,\
                    并在网站标识码管理和版权所有声明上做好规范。";
        assert_eq!(clean(line).lines, [line]);
        assert_eq!(clean("时间紧任务重").lines, ["时间紧任务重"]);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for page in [
            "",
            "\u{a0}\u{3000}  \n\n",
            "版权所有\nICP备",
            "时间:",
            "当前位置",
        ] {
            assert!(clean(page).lines.is_empty(), "{page:?}");
        }
        assert_eq!(clean("当前位置\n>\n>>").lines, Vec::<&str>::new());
        assert_eq!(
            clean("【\n:\n】】 ：\r\n\u{a0}").lines,
            ["【", ":", "】】 ："]
        );
    }

    /// Lines with a sentence end: report prose, which no chrome rule may remove.
    const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；'];

    #[test]
    #[ignore = "a measurement to read, not a check: run with --ignored --nocapture"]
    fn chrome_audit() {
        let root = std::env::var_os("FAZHI_AUDIT_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev-corpus"));
        let samples = 8;
        if !root.is_dir() {
            eprintln!(
                "skipped: {} is not a folder (set FAZHI_AUDIT_CORPUS)",
                root.display()
            );
            return;
        }
        let mut files = Vec::new();
        walk(&root, &mut files);
        files.sort();

        let (mut lines_in, mut kept, mut sentences_in, mut sentences_kept) = (0, 0, 0, 0);
        let mut by_rule: BTreeMap<Chrome, Vec<(String, String)>> = BTreeMap::new();
        let mut files_read = 0;
        for path in &files {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let Ok(source) = crate::read::decode::decode_source(path, &bytes) else {
                continue;
            };
            files_read += 1;
            let cleaned = clean(&source.text);
            let name = path
                .strip_prefix(&root)
                .unwrap_or(path)
                .display()
                .to_string();
            lines_in += cleaned.lines.len() + cleaned.removed.len();
            kept += cleaned.lines.len();
            let is_sentence = |line: &str| line.contains(SENTENCE_ENDS);
            let kept_sentences = cleaned.lines.iter().filter(|l| is_sentence(l)).count();
            sentences_kept += kept_sentences;
            sentences_in += kept_sentences
                + cleaned
                    .removed
                    .iter()
                    .filter(|(_, l)| is_sentence(l))
                    .count();
            for (rule, line) in cleaned.removed {
                by_rule
                    .entry(rule)
                    .or_default()
                    .push((name.clone(), line.to_string()));
            }
        }

        println!("{files_read} files, {lines_in} non-empty lines, {kept} kept as body");
        println!("sentence lines: {sentences_in} in the text, {sentences_kept} kept");
        println!("\nlines removed per rule:");
        for rule in Chrome::ALL {
            let removed = by_rule.get(&rule).map_or(0, Vec::len);
            let files = by_rule.get(&rule).map_or(0, |lines| {
                let mut names: Vec<&str> = lines.iter().map(|(f, _)| f.as_str()).collect();
                names.dedup();
                names.len()
            });
            println!("  {rule:?}: {removed} lines in {files} files");
        }
        for (rule, lines) in &by_rule {
            println!("\nsample of {rule:?}:");
            // Evenly spread over the list, so that one page's menu does not fill the sample.
            let step = (lines.len() / samples.max(1)).max(1);
            for (file, line) in lines.iter().step_by(step).take(samples) {
                let shown: String = line.chars().take(60).collect();
                println!("  {shown}    [{file}]");
            }
            for (file, line) in lines.iter().filter(|(_, l)| l.contains(SENTENCE_ENDS)) {
                println!("  SENTENCE REMOVED: {line}    [{file}]");
            }
        }
    }

    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, files);
            } else if path
                .extension()
                .is_some_and(|e| ["txt", "html", "htm"].iter().any(|x| e == *x))
            {
                files.push(path);
            }
        }
    }
}
