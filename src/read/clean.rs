//! Drops the web-page boilerplate around a report's body: breadcrumbs, publication lines,
//! link lists and footers, keeping the publication date that the boilerplate carried.
//!
//! The rules describe the shapes such lines take on Chinese government sites (a line made only
//! of `label:value` fields, a short line naming a list of sites, a footer after the last
//! paragraph), not the lines of particular pages. The body text itself is kept byte for byte
//! apart from trimming each line, so that exact-substring search matches the published text.

/// The body lines of a page, with the facts its boilerplate carried.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanText<'a> {
    /// The trimmed, non-empty lines of the body, in order.
    pub lines: Vec<&'a str>,
    /// The publication date as the page's publication line wrote it (`2024-02-01`,
    /// `2022-02-22`), before any parsing.
    pub published: Option<&'a str>,
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

/// Headers of the lists of related pages and attachments under a document.
const RELATED_HEADERS: &[&str] = &[
    "相关附件",
    "相关信息",
    "相关链接",
    "相关文章",
    "相关阅读",
    "相关新闻",
    "相关文件",
    "相关稿件",
    "友情链接",
    "推荐阅读",
    "附件",
];

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
    /// Boilerplate that can sit anywhere (breadcrumbs, publication lines).
    Boilerplate,
    /// Boilerplate that ends a page: once it follows the last paragraph, the rest is footer.
    Tail,
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
            Role::Boilerplate
        } else if let Some(fields) = publication_fields(line) {
            published = published.or(fields.date);
            Role::Boilerplate
        } else if is_footer(line) || is_link_list(line) || is_related_header(line) {
            Role::Tail
        } else {
            Role::Body
        };
        lines.push((line, role));
    }
    let last_prose = lines
        .iter()
        .rposition(|&(line, role)| role == Role::Body && is_prose(line));
    let footer_start = lines
        .iter()
        .enumerate()
        .skip(last_prose.map_or(0, |i| i + 1))
        .find(|(_, (_, role))| *role == Role::Tail)
        .map_or(lines.len(), |(i, _)| i);
    CleanText {
        lines: lines[..footer_start]
            .iter()
            .filter(|(_, role)| *role == Role::Body)
            .map(|&(line, _)| line)
            .collect(),
        published,
    }
}

/// Trims the spaces pages pad lines with: ASCII, NBSP, ideographic (all `White_Space`), and
/// the invisible zero-width ones.
fn trim_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'))
}

fn is_breadcrumb(line: &str) -> bool {
    BREADCRUMB_OPENINGS
        .iter()
        .any(|opening| line.starts_with(opening))
        || (line.starts_with("首页") && line.contains(BREADCRUMB_SEPARATORS))
}

/// A long line with a sentence end is part of the report.
fn is_prose(line: &str) -> bool {
    line.contains(['。', '；', ';']) && line.chars().nth(MIN_PROSE_CHARS).is_some()
}

/// A short line without sentences can be boilerplate; anything else is kept as body.
fn is_short_fragment(line: &str, max_chars: usize) -> bool {
    !line.contains('。') && line.chars().nth(max_chars).is_none()
}

fn is_footer(line: &str) -> bool {
    is_short_fragment(line, MAX_BOILERPLATE_CHARS)
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
    let header = line.trim_end_matches([':', '：']);
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
}
