//! Lays out the cleaned lines of a report: its title, its passages with their section paths
//! and kinds, and the signature under it. The frame (title, body, signature) comes first, for
//! metadata; the passages after, as their section kinds depend on the report's genre and year.
//!
//! One passage per line. Headings (`一、`, `(一)`, `1.`) stay passages and set the section
//! path of the lines below them; a line that opens with its own heading (`(一)统筹推进依法治区。
//! 协调召开...`) is one passage whose first sentence is the heading.
//! A list numbered like headings (`（一）...；（二）...；（三）...。`, as statutes number an
//! article's items) is text of the section it stands in, not a heading per item.

use crate::model::{Paragraph, SectionKind};
use crate::read::headings::{
    classify_heading, heading_level, is_appendix_heading, opens_plans, HeadingTopic, ReportYears,
    TITLE_WORDS,
};
use crate::read::issuers::is_issuer_name;
use crate::read::length::more_chars_than;

/// The lines under a report that sign it; they are metadata, not passages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signature<'a> {
    /// The issuer's name line (`重庆市南岸区司法局`).
    pub issuer: Option<&'a str>,
    /// The date line as written (`2023年2月22日`).
    pub date: Option<&'a str>,
}

/// A passage longer than this many characters is split at sentence ends, so that a huge
/// single-line file does not become one passage.
pub const MAX_PARAGRAPH_CHARS: usize = 2000;

/// Headings are short: a first sentence longer than this is cut at a clause boundary to name
/// the section.
const MAX_HEADING_CHARS: usize = 50;

/// Title lines are short.
const MAX_TITLE_LINE_CHARS: usize = 60;

/// A title spans at most this many lines (`南岸区司法局` / `关于...的报告`).
const MAX_TITLE_LINES: usize = 3;

/// A signature block has at most an issuer, a closing formula and a date.
const MAX_SIGNATURE_LINES: usize = 4;

/// Closing formulas above the signature (`特此报告。`).
const CLOSING_OPENINGS: &[&str] = &["特此报告", "此报告", "以上报告"];

const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?'];

/// Where a passage longer than [`MAX_PARAGRAPH_CHARS`] is split.
const SPLIT_POINTS: &[char] = &['。', '！', '？', '；', '!', '?', ';'];

/// Where a heading that runs into its paragraph is cut when its first sentence is too long.
const CLAUSE_ENDS: &[char] = &['，', ',', '；', ';', '：', ':'];

/// The frame of a report: its title, the lines of its body, its signature. Metadata is read
/// from the frame; the body is then laid out in passages, whose section kinds depend on the
/// years the metadata finds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Frame<'a, 'l> {
    /// The title lines.
    pub title_lines: &'l [&'a str],
    /// The body lines, between title and signature.
    pub body: &'l [&'a str],
    /// What the report was signed with.
    pub signature: Signature<'a>,
}

impl Frame<'_, '_> {
    /// The title, its lines joined (`南岸区司法局` + `关于...的报告`).
    pub fn title(&self) -> Option<String> {
        (!self.title_lines.is_empty()).then(|| self.title_lines.concat())
    }
}

/// Splits the cleaned `lines` of a report into title, body and signature.
pub fn frame<'a, 'l>(lines: &'l [&'a str]) -> Frame<'a, 'l> {
    let (title_lines, rest) = lines.split_at(title_line_count(lines));
    let (body, signature) = split_signature(rest);
    Frame {
        title_lines,
        body,
        signature,
    }
}

/// The passages of the `body` lines, with their section paths and kinds.
pub fn paragraphs(body: &[&str], years: ReportYears) -> Vec<Paragraph> {
    let mut sections = SectionTracker {
        years,
        ..SectionTracker::default()
    };
    let mut paragraphs = Vec::new();
    // The level of the list whose item the line before was, if it was one.
    let mut list_level = None;
    for &line in body {
        let heading = heading(line);
        let clause_item = is_list_item(line);
        let is_item = heading.is_some_and(|heading| {
            clause_item || (list_level == Some(heading.level) && is_last_item(line))
        });
        if let Some(heading) = heading.filter(|_| !is_item) {
            sections.enter(heading);
        }
        list_level = heading.filter(|_| clause_item).map(|heading| heading.level);
        let kind = sections.kind_of(line);
        let section = sections.path();
        let mut line_offset = 0u32;
        for piece in split_long(line, MAX_PARAGRAPH_CHARS) {
            paragraphs.push(Paragraph {
                ordinal: u32::try_from(paragraphs.len() + 1).unwrap_or(u32::MAX),
                text: piece.to_string(),
                section: section.to_string(),
                section_kind: kind,
                line_offset,
            });
            let chars = u32::try_from(piece.chars().count()).unwrap_or(u32::MAX);
            line_offset = line_offset.saturating_add(chars);
        }
    }
    paragraphs
}

/// An item of a numbered list (`（一）了解信访工作制度及信访事项的处理程序；`), not a heading:
/// a numbered line that is one clause ending with a semicolon. Statutes and some reports
/// number a list's items as they number headings; read as headings, each item opened a
/// section, and the lines after the list (the next article of a statute) fell under its
/// last item.
fn is_list_item(line: &str) -> bool {
    line.ends_with(['；', ';']) && !line.contains(SENTENCE_ENDS)
}

/// The last item of a numbered list, after an item at its level: one sentence ending with a
/// full stop (`（五）其他依法应当保密的事项。`). A heading that ends with a full stop is
/// followed by its section's text, not by other items.
fn is_last_item(line: &str) -> bool {
    line.strip_suffix('。')
        .is_some_and(|sentence| !sentence.contains(SENTENCE_ENDS))
}

/// How many of the first lines make the title: short lines without sentences, up to the last
/// one with a title word; 0 when the report has no title.
fn title_line_count(lines: &[&str]) -> usize {
    let title_like = lines
        .iter()
        .take(MAX_TITLE_LINES)
        .take_while(|line| {
            !line.contains(SENTENCE_ENDS)
                && !more_chars_than(line, MAX_TITLE_LINE_CHARS)
                && heading(line).is_none()
        })
        .count();
    lines[..title_like]
        .iter()
        .rposition(|line| TITLE_WORDS.iter().any(|word| line.contains(word)))
        .map_or(0, |last| last + 1)
}

/// Splits the signature block off the end of `lines`: date, closing formula and issuer lines
/// in any order, as long as there is a date or a closing formula (a short name line alone is
/// body text).
fn split_signature<'a, 'l>(lines: &'l [&'a str]) -> (&'l [&'a str], Signature<'a>) {
    let mut signature = Signature::default();
    let mut closed = false;
    let mut start = lines.len();
    for (i, &line) in lines.iter().enumerate().rev().take(MAX_SIGNATURE_LINES) {
        if is_date_line(line) && signature.date.is_none() {
            signature.date = Some(line);
        } else if is_closing(line) && !closed {
            closed = true;
        } else if is_issuer_name(line) && signature.issuer.is_none() {
            signature.issuer = Some(line);
        } else {
            break;
        }
        start = i;
    }
    if signature.date.is_none() && !closed {
        return (lines, Signature::default());
    }
    (&lines[..start], signature)
}

/// `2023年2月22日`, alone on its line.
fn is_date_line(line: &str) -> bool {
    let mut parts = line.split(['年', '月', '日']);
    let (Some(year), Some(month), Some(day), Some(""), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let digits = |s: &str, max: usize| {
        let s = s.trim();
        (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    digits(year, 4) && year.trim().len() == 4 && digits(month, 2) && digits(day, 2)
}

fn is_closing(line: &str) -> bool {
    line.chars().count() <= 12 && CLOSING_OPENINGS.iter().any(|o| line.starts_with(o))
}

/// A heading: its level (1 for `一、`, 2 for `(一)`, 3 for `1.`) and the text naming its section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Heading<'a> {
    level: usize,
    label: &'a str,
}

/// Reads the heading `line` opens with, if any. An appendix or glossary heading (`附件2`,
/// `名词解释`) is of level 0: it closes the report's own sections.
fn heading(line: &str) -> Option<Heading<'_>> {
    if is_appendix_heading(line) {
        return Some(Heading {
            level: 0,
            label: line,
        });
    }
    let level = heading_level(line)?;
    Some(Heading {
        level,
        label: heading_label(line),
    })
}

/// The text naming a heading's section: its first sentence without the full stop, cut before
/// an enumeration (`一是`) that follows without a full stop, or at the last clause boundary
/// within [`MAX_HEADING_CHARS`] when that sentence is too long to be a heading.
fn heading_label(line: &str) -> &str {
    let sentence_end = line.find(SENTENCE_ENDS).unwrap_or(line.len());
    let sentence = &line[..sentence_end];
    let sentence = match sentence.find("一是") {
        Some(i) if i > 0 => &sentence[..i],
        _ => sentence,
    };
    let Some((limit, _)) = sentence.char_indices().nth(MAX_HEADING_CHARS) else {
        return sentence;
    };
    let head = &sentence[..limit];
    head.rfind(CLAUSE_ENDS).map_or(head, |i| &head[..i])
}

/// The heading path above the current line and the kind of section it names. What each
/// heading names and the path they make are worked out once, when the heading is entered,
/// not again for every line under it.
#[derive(Debug, Default)]
struct SectionTracker<'a> {
    /// The headings above the current line, outermost first, with what each names.
    headings: Vec<(Heading<'a>, Option<HeadingTopic>)>,
    /// Their labels joined: the section path of the lines under them.
    path: String,
    /// The years the report reviews and plans, which headings naming a year refer to.
    years: ReportYears,
    /// In a problems-and-plans section: whether the plans have begun.
    in_plans: bool,
}

impl<'a> SectionTracker<'a> {
    /// Enters the section of `heading`, leaving those at its level and deeper.
    fn enter(&mut self, heading: Heading<'a>) {
        let kept = self
            .headings
            .iter()
            .take_while(|(above, _)| above.level < heading.level)
            .count();
        self.headings.truncate(kept);
        let topic = classify_heading(heading.label, self.years);
        self.headings.push((heading, topic));
        let labels: Vec<&str> = self.headings.iter().map(|(h, _)| h.label).collect();
        self.path = labels.join(" > ");
        if self.mixed_heading().is_none_or(|depth| depth >= kept) {
            self.in_plans = false;
        }
    }

    /// The section path, outermost first.
    fn path(&self) -> &str {
        &self.path
    }

    /// The kind of the section `line` is in (a line can turn a problems-and-plans section to
    /// plans): named by the outermost heading that names one.
    fn kind_of(&mut self, line: &str) -> SectionKind {
        if self.headings.is_empty() {
            return SectionKind::Preamble;
        }
        let mut topics = self.headings.iter().filter_map(|&(_, topic)| topic);
        match topics.next() {
            None => SectionKind::Other,
            Some(HeadingTopic::Single(kind)) => kind,
            Some(HeadingTopic::ProblemsThenPlans) => {
                // A deeper `(二)下一步工作措施` says which half the line is in.
                if let Some(HeadingTopic::Single(
                    kind @ (SectionKind::Problems | SectionKind::Plans),
                )) = topics.next()
                {
                    return kind;
                }
                self.in_plans |= opens_plans(line);
                if self.in_plans {
                    SectionKind::Plans
                } else {
                    SectionKind::Problems
                }
            }
        }
    }

    /// The depth of the heading that names a problems-and-plans section, if one does.
    fn mixed_heading(&self) -> Option<usize> {
        self.headings
            .iter()
            .position(|&(_, topic)| topic == Some(HeadingTopic::ProblemsThenPlans))
    }
}

/// Splits `text` into pieces of at most `max_chars` characters, each ending at a sentence end
/// when there is one in reach; in one pass, so a 50 MB line costs no more than reading it.
fn split_long(text: &str, max_chars: usize) -> Vec<&str> {
    // Most lines are short enough to stay whole: no need to look for split points.
    if !more_chars_than(text, max_chars) {
        return if text.is_empty() {
            Vec::new()
        } else {
            vec![text]
        };
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars_in_piece = 0;
    // The byte just after the last split point in the current piece, and the piece's length
    // in characters up to there.
    let mut last_split: Option<(usize, usize)> = None;
    for (i, c) in text.char_indices() {
        if chars_in_piece == max_chars {
            let (end, chars) = last_split.unwrap_or((i, chars_in_piece));
            pieces.push(&text[start..end]);
            start = end;
            chars_in_piece -= chars;
            last_split = None;
        }
        chars_in_piece += 1;
        if SPLIT_POINTS.contains(&c) {
            last_split = Some((i + c.len_utf8(), chars_in_piece));
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::clean::clean;

    /// The parts of a report that its lines make up.
    #[derive(Debug)]
    struct Layout<'a> {
        title: Option<String>,
        paragraphs: Vec<Paragraph>,
        signature: Signature<'a>,
    }

    /// Lays out the cleaned `lines` of a report as reading does.
    fn lay_out<'a>(lines: &[&'a str], years: ReportYears) -> Layout<'a> {
        let frame = frame(lines);
        Layout {
            title: frame.title(),
            paragraphs: paragraphs(frame.body, years),
            signature: frame.signature,
        }
    }

    fn sample(name: &str) -> Layout<'static> {
        let text: &'static str = match name {
            "000" => include_str!("../../corpus/000_17297affa439b9c0.txt"),
            "001" => include_str!("../../corpus/001_2d60e079f71ee17a.txt"),
            "002" => include_str!("../../corpus/002_f4d1361488eadf97.txt"),
            "003" => include_str!("../../corpus/003_e0872561a26c69b6.txt"),
            "004" => include_str!("../../corpus/004_1ac7896f71e6ea67.txt"),
            _ => unreachable!(),
        };
        lay_out(&clean(text).lines, ReportYears::default())
    }

    fn paragraph<'l>(layout: &'l Layout, opening: &str) -> &'l Paragraph {
        layout
            .paragraphs
            .iter()
            .find(|p| p.text.starts_with(opening))
            .unwrap_or_else(|| panic!("no paragraph opens with {opening}"))
    }

    #[test]
    fn titles_are_found_and_joined() {
        let titles: Vec<_> = ["000", "001", "002", "003", "004"]
            .into_iter()
            .map(|name| sample(name).title)
            .collect();
        assert_eq!(
            titles,
            [
                Some("五华县司法局2023年法治政府建设年度报告".to_string()),
                Some("南岸区司法局关于2022年度法治政府建设情况的报告".to_string()),
                None,
                Some("韶关市武江区人民政府2021年度法治政府建设工作情况报告".to_string()),
                Some("浦江县司法局2023年度法治政府建设情况的报告".to_string()),
            ]
        );
        for name in ["000", "001", "003", "004"] {
            let layout = sample(name);
            let title = layout.title.as_deref().unwrap();
            assert!(layout.paragraphs.iter().all(|p| !title.ends_with(&p.text)));
        }
    }

    #[test]
    fn signatures_are_metadata_not_passages() {
        let layout = sample("001");
        assert_eq!(layout.signature.issuer, Some("重庆市南岸区司法局"));
        assert_eq!(layout.signature.date, Some("2023年2月22日"));
        assert_eq!(layout.paragraphs.last().unwrap().text, "无。");
        let layout = sample("002");
        assert_eq!(layout.signature.issuer, None);
        assert_eq!(layout.signature.date, Some("2025年2月28日"));
        assert!(layout
            .paragraphs
            .last()
            .unwrap()
            .text
            .starts_with("三是坚持多措并举"));
        let layout = sample("003");
        assert_eq!(layout.signature.issuer, Some("韶关市武江区人民政府"));
        assert_eq!(layout.signature.date, Some("2022年1月27日"));
        let layout = sample("000");
        assert_eq!(layout.signature.issuer, Some("五华县司法局"));
        assert_eq!(layout.signature.date, Some("2024年2月1日"));
        assert_eq!(sample("004").signature, Signature::default());
    }

    #[test]
    fn ordinals_count_from_one() {
        let layout = sample("001");
        for (i, p) in layout.paragraphs.iter().enumerate() {
            assert_eq!(p.ordinal as usize, i + 1);
        }
        assert!(layout.paragraphs[0].text.starts_with("2022年,南岸区司法局"));
    }

    #[test]
    fn sections_of_000() {
        let layout = sample("000");
        let first = &layout.paragraphs[0];
        assert_eq!(
            (first.section.as_str(), first.section_kind),
            ("", SectionKind::Preamble)
        );
        let p = paragraph(&layout, "一是健全调解组织体系");
        assert_eq!(
            p.section,
            "一、工作开展情况及成效 > (四)深化基层社会治理,推动矛盾纠纷实质化解"
        );
        assert_eq!(p.section_kind, SectionKind::Achievements);
        let heading = paragraph(&layout, "(四)深化基层社会治理");
        assert_eq!(heading.section, p.section);
        let p = paragraph(&layout, "回顾一年工作");
        assert_eq!(
            (p.section.as_str(), p.section_kind),
            ("二、存在困难和问题", SectionKind::Problems)
        );
        let p = paragraph(&layout, "新的一年");
        assert_eq!(
            (p.section.as_str(), p.section_kind),
            ("三、下一步工作计划", SectionKind::Plans)
        );
        // `一是` enumerations are not headings.
        assert!(!paragraph(&layout, "一是深入学习").section.contains("一是"));
    }

    #[test]
    fn own_heading_paragraphs_extend_the_section() {
        let layout = sample("001");
        let p = paragraph(&layout, "(一)统筹推进依法治区。协调召开");
        assert_eq!(
            p.section,
            "一、2022年推进法治政府建设的主要举措和成效 > (一)统筹推进依法治区"
        );
        let p = paragraph(&layout, "区司法局主要负责人切实履行");
        assert_eq!(p.section_kind, SectionKind::Duties);
        assert_eq!(
            p.section,
            "二、2022年党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况"
        );
        let p = paragraph(&layout, "(三)深入开展法治宣传教育。");
        assert_eq!(p.section_kind, SectionKind::Plans);
        assert_eq!(paragraph(&layout, "无。").section_kind, SectionKind::Other);

        let layout = sample("003");
        let p = paragraph(&layout, "1.强化组织部署");
        assert_eq!(
            p.section,
            "一、2021年度法治政府建设主要举措和成效 > (一)统筹推进法治政府建设 > \
             1.强化组织部署,落实法治建设第一责任人责任以习近平法治思想为指导"
        );
        assert_eq!(p.section_kind, SectionKind::Achievements);
        let p = paragraph(&layout, "8.持续营造法治化营商环境");
        assert!(
            p.section.ends_with(" > 8.持续营造法治化营商环境"),
            "{}",
            p.section
        );
        // A new level-2 heading drops the level-3 one.
        let p = paragraph(&layout, "(二)深化政府职能转变");
        assert_eq!(
            p.section,
            "一、2021年度法治政府建设主要举措和成效 > (二)深化政府职能转变,政府职能依法全面履行"
        );

        let layout = sample("002");
        let p = paragraph(&layout, "(一) 深入学习贯彻习近平法治思想。");
        assert_eq!(p.section_kind, SectionKind::Duties);
        assert!(p.section.ends_with(" > (一) 深入学习贯彻习近平法治思想"));
        let layout = sample("004");
        let p = paragraph(&layout, "(二)推进涉企法治服务增值化改革");
        assert!(
            p.section
                .ends_with(" > (二)推进涉企法治服务增值化改革按照“前台服务+后台支持+应用支撑”模式"),
            "{}",
            p.section
        );
        assert_eq!(p.section_kind, SectionKind::Plans);
    }

    #[test]
    fn section_kinds_of_the_samples() {
        let layout = sample("004");
        assert_eq!(
            paragraph(&layout, "(一)行政决策制度体系有待").section_kind,
            SectionKind::Problems
        );
        assert_eq!(
            paragraph(&layout, "县政府常务会议定期听取").section_kind,
            SectionKind::Achievements
        );
        let layout = sample("002");
        assert_eq!(
            paragraph(&layout, "2024年,新县").section_kind,
            SectionKind::Preamble
        );
        assert_eq!(
            paragraph(&layout, "一、党政主要负责人").section_kind,
            SectionKind::Duties
        );
        assert_eq!(
            paragraph(&layout, "2024年,虽然我县").section_kind,
            SectionKind::Problems
        );
        assert_eq!(
            paragraph(&layout, "二是坚持标本兼治").section_kind,
            SectionKind::Plans
        );
        let layout = sample("001");
        assert_eq!(
            paragraph(&layout, "当前区司法局在推进").section_kind,
            SectionKind::Problems
        );
    }

    #[test]
    fn problems_then_plans_section_turns_at_next_step() {
        let layout = sample("003");
        assert_eq!(
            paragraph(&layout, "三、存在的问题").section_kind,
            SectionKind::Problems
        );
        assert_eq!(
            paragraph(&layout, "我区法治政府建设工作虽然").section_kind,
            SectionKind::Problems
        );
        assert_eq!(
            paragraph(&layout, "下一步,我区将").section_kind,
            SectionKind::Plans
        );
        assert_eq!(
            paragraph(&layout, "二、工作亮点及特色").section_kind,
            SectionKind::Achievements
        );

        let lines = [
            "三、存在的问题及下一步打算",
            "问题一段。",
            "下一步,我们将继续努力。",
            "一是加强学习。",
            "四、其他情况",
            "下一步无。",
        ];
        let kinds: Vec<_> = lay_out(&lines, ReportYears::default())
            .paragraphs
            .iter()
            .map(|p| p.section_kind)
            .collect();
        use SectionKind::*;
        assert_eq!(kinds, [Problems, Problems, Plans, Plans, Other, Other]);
    }

    /// The section path of each of `lines`, laid out as a report's body.
    fn paths_of(lines: &[&str]) -> Vec<String> {
        lay_out(lines, ReportYears::default())
            .paragraphs
            .into_iter()
            .map(|p| p.section)
            .collect()
    }

    #[test]
    fn numbered_list_items_are_text_of_their_section() {
        // A statute: the items of an article are not sections, and the next article is not
        // under the last item.
        let statute = [
            "第十条 信访人在信访活动中享有下列权利：",
            "（一）了解信访工作制度及信访事项的处理程序；",
            "（二）要求对涉及商业秘密、个人隐私等事项予以保密;",
            "（三）法律、法规规定的其他权利。",
            "第十一条 信访人应当遵守下列规定。",
        ];
        assert!(paths_of(&statute).iter().all(String::is_empty));
        // A report: a list numbered like headings stays in the section above it, and the
        // next heading opens its own.
        let report = [
            "四、有重点有步骤地进行技术改造",
            "技术改造要着重解决以下问题：",
            "一、节约能源，节约原材料，降低消耗，降低生产成本；",
            "二、合理地利用资源，提高综合利用水平。",
            "进行技术改造要有总体规划。",
            "五、分批进行企业的全面整顿",
            "整顿一段。",
        ];
        let four = "四、有重点有步骤地进行技术改造";
        let five = "五、分批进行企业的全面整顿";
        assert_eq!(
            paths_of(&report),
            [four, four, four, four, four, five, five]
        );
    }

    #[test]
    fn headings_with_a_full_stop_or_a_semicolon_inside_stay_headings() {
        let lines = [
            "一、主要成效",
            "（一）加强组织领导。",
            "领导一段。",
            "（二）推进依法行政；完善制度体系",
            "制度一段。",
            "（三）强化监督。落实行政执法责任制；",
            "监督一段。",
        ];
        assert_eq!(
            paths_of(&lines),
            [
                "一、主要成效",
                "一、主要成效 > （一）加强组织领导",
                "一、主要成效 > （一）加强组织领导",
                "一、主要成效 > （二）推进依法行政；完善制度体系",
                "一、主要成效 > （二）推进依法行政；完善制度体系",
                "一、主要成效 > （三）强化监督",
                "一、主要成效 > （三）强化监督",
            ]
        );
    }

    #[test]
    fn kinds_and_paths_follow_headings_entered_and_left() {
        let lines = [
            "三、存在的问题和下一步计划",
            "问题一段。",
            "下一步,我们将继续努力。",
            "(一)加强学习",
            "学习一段。",
            "(二)存在的不足",
            "不足一段。",
            "四、其他情况",
            "其他一段。",
            "五、问题与今后打算",
            "问题又一段。",
        ];
        let paragraphs = lay_out(&lines, ReportYears::default()).paragraphs;
        let kinds: Vec<_> = paragraphs.iter().map(|p| p.section_kind).collect();
        use SectionKind::*;
        assert_eq!(
            kinds,
            [
                Problems, Problems, Plans, Plans, Plans, Problems, Problems, Other, Other,
                Problems, Problems
            ]
        );
        let paths: Vec<&str> = paragraphs.iter().map(|p| p.section.as_str()).collect();
        assert_eq!(
            paths,
            [
                "三、存在的问题和下一步计划",
                "三、存在的问题和下一步计划",
                "三、存在的问题和下一步计划",
                "三、存在的问题和下一步计划 > (一)加强学习",
                "三、存在的问题和下一步计划 > (一)加强学习",
                "三、存在的问题和下一步计划 > (二)存在的不足",
                "三、存在的问题和下一步计划 > (二)存在的不足",
                "四、其他情况",
                "四、其他情况",
                "五、问题与今后打算",
                "五、问题与今后打算",
            ]
        );
    }

    #[test]
    fn government_work_report_sections_follow_its_years() {
        let lines = [
            "各位代表：",
            "一、2017年工作回顾",
            "过去一年,全区经济稳中有进。",
            "二、2018年主要工作",
            "(一)深化改革",
            "全面深化重点领域改革。",
            "各位代表,让我们携手奋进!",
            "附件1",
            "名词解释",
            "1.织网工程：指以信息化手段加强社会管理的工程。",
            "2.四个到底：指群体性纠纷化解机制。",
        ];
        let years = ReportYears {
            reviewed: Some(2017),
            planned: Some(2018),
        };
        let layout = lay_out(&lines, years);
        let kinds: Vec<_> = layout.paragraphs.iter().map(|p| p.section_kind).collect();
        use SectionKind::*;
        assert_eq!(
            kinds,
            [
                Preamble,
                Achievements,
                Achievements,
                Plans,
                Plans,
                Plans,
                Plans,
                Other,
                Other,
                Other,
                Other
            ]
        );
        // A glossary entry is not filed under the last heading of the body.
        let entry = paragraph(&layout, "1.织网工程");
        assert_eq!(
            entry.section,
            "名词解释 > 1.织网工程：指以信息化手段加强社会管理的工程"
        );
        // Without the years, the words alone decide (主要工作: achievements).
        let layout = lay_out(&lines, ReportYears::default());
        assert_eq!(paragraph(&layout, "全面深化").section_kind, Achievements);
    }

    #[test]
    fn headings_are_recognised_by_shape() {
        assert_eq!(heading_level("十二、其他"), Some(1));
        assert_eq!(heading_level("（三）加强监督"), Some(2));
        assert_eq!(heading_level("(三) 加强监督"), Some(2));
        assert_eq!(heading_level("12．完善制度"), Some(3));
        assert_eq!(heading_level("3、完善制度"), Some(3));
        for line in [
            "一是加强学习。",
            "1.5亿元投入使用。",
            "2023年,全县",
            "(1)细则",
            "一",
            "(",
            "1.",
            "十",
        ] {
            assert_eq!(heading_level(line), None, "{line}");
        }
    }

    #[test]
    fn long_lines_are_split_at_sentence_ends() {
        let sentence = "全面推进依法行政工作。"; // 11 characters
        let line = sentence.repeat(1000);
        let pieces = split_long(&line, 100);
        assert_eq!(pieces.concat(), line);
        assert!(pieces
            .iter()
            .all(|p| p.chars().count() <= 100 && p.ends_with('。')));
        assert_eq!(pieces[0].chars().count(), 99);

        let unbroken = "法".repeat(250);
        let pieces = split_long(&unbroken, 100);
        let lengths: Vec<_> = pieces.iter().map(|p| p.chars().count()).collect();
        assert_eq!(lengths, [100, 100, 50]);
        assert_eq!(split_long("短句。", 100), ["短句。"]);
        assert!(split_long("", 100).is_empty());
    }

    #[test]
    fn a_huge_line_becomes_many_passages() {
        let line = "一、依法行政。".to_string() + &"推进法治政府建设取得新成效。".repeat(400_000);
        let layout = lay_out(&["短行。", line.as_str()], ReportYears::default());
        assert!(layout.paragraphs.len() > 2_000);
        // Each piece knows where it stands in its line.
        let mut expected_offset = 0;
        for p in &layout.paragraphs[1..] {
            assert_eq!(p.line_offset, expected_offset);
            expected_offset += p.text.chars().count() as u32;
        }
        assert_eq!(layout.paragraphs[0].line_offset, 0);
        assert_eq!(expected_offset as usize, line.chars().count());
        assert!(layout
            .paragraphs
            .iter()
            .all(|p| p.text.chars().count() <= MAX_PARAGRAPH_CHARS));
        assert!(layout.paragraphs[1..]
            .iter()
            .all(|p| p.section == "一、依法行政"));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        for lines in [
            &[][..],
            &["一、"],
            &["(一"],
            &["（一）"],
            &["1."],
            &["特此报告。"],
            &["2023年2月22日"],
            &["某某局", "二〇二三年"],
            &["一、", "(一)", "1、", "一是"],
        ] {
            let layout = lay_out(lines, ReportYears::default());
            // Every passage is text of the input, numbered in order.
            for (i, paragraph) in layout.paragraphs.iter().enumerate() {
                assert_eq!(paragraph.ordinal as usize, i + 1, "{lines:?}");
                assert!(
                    lines
                        .iter()
                        .any(|line| line.contains(paragraph.text.as_str())),
                    "{lines:?}: {paragraph:?}"
                );
            }
        }
        let line = format!("(一){}", "法".repeat(80));
        assert_eq!(heading_label(&line).chars().count(), MAX_HEADING_CHARS);
    }

    #[test]
    fn date_lines() {
        assert!(is_date_line("2023年2月22日"));
        assert!(is_date_line("2022年1月27日"));
        assert!(!is_date_line("2023年,全县"));
        assert!(!is_date_line("2023年2月22日召开会议"));
        assert!(!is_date_line("年月日"));
    }
}
