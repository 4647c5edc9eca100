//! What a section heading says its section is about: the [`SectionKind`] of its passages.

use crate::model::SectionKind;
use crate::read::length::more_chars_than;

/// What a heading says its section is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingTopic {
    /// The whole section is of one kind.
    Single(SectionKind),
    /// Problems first, then plans (`三、存在的问题及下一步工作措施`): the section turns to plans at
    /// the first paragraph that [`opens_plans`].
    ProblemsThenPlans,
}

/// Words naming the section on the first person responsible for rule of law. Checked first:
/// such headings go on with `加强法治政府建设的有关情况`, which says nothing of their kind.
const DUTIES_WORDS: &[&str] = &["第一责任人", "主要负责人履行"];
const PROBLEMS_WORDS: &[&str] = &["不足", "问题", "困难", "短板", "差距", "薄弱"];
/// Checked before achievements: `工作思路目标举措` and `下一步主要工作` are plans.
const PLANS_WORDS: &[&str] = &[
    "下一步",
    "下步",
    "计划",
    "思路",
    "安排",
    "打算",
    "展望",
    "今后",
];
const ACHIEVEMENTS_WORDS: &[&str] = &[
    "举措和成效",
    "成效",
    "亮点",
    "主要工作",
    "工作开展情况",
    "主要举措",
    "主要做法",
    "工作情况",
];
/// Words of a heading about the year under review (`一、2013年工作回顾`, `过去一年`).
const REVIEW_WORDS: &[&str] = &[
    "回顾",
    "过去一年",
    "过去的一年",
    "过去五年",
    "过去的五年",
    "一年来",
    "五年来",
];

/// Words of a heading about the planned year (`今年工作安排`).
const PLANNED_YEAR_WORDS: &[&str] = &["今年", "明年", "新的一年"];

/// Which years a report reviews and plans, as its genre and year say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportYears {
    /// The year whose work the report looks back on.
    pub reviewed: Option<u16>,
    /// The year whose work the report plans.
    pub planned: Option<u16>,
}

impl ReportYears {
    /// The years of a report of `year` whose title or file name is among `names`: a
    /// 政府工作报告 (or a 管委会's 工作报告) of year Y is given early in Y, reviews Y-1 and plans
    /// Y; a 法治政府建设 report of year Y reviews Y and plans Y+1. Other genres: unknown.
    pub fn of<'n>(names: impl IntoIterator<Item = &'n str>, year: Option<u16>) -> ReportYears {
        let Some(year) = year else {
            return ReportYears::default();
        };
        let names: Vec<&str> = names.into_iter().collect();
        let says = |word: &str| names.iter().any(|name| name.contains(word));
        if says("法治政府建设") || says("法治建设") {
            ReportYears {
                reviewed: Some(year),
                planned: year.checked_add(1),
            }
        } else if says("工作报告") {
            ReportYears {
                reviewed: year.checked_sub(1),
                planned: Some(year),
            }
        } else {
            ReportYears::default()
        }
    }

    /// What a heading naming `year` (and no kind by its words) is about.
    fn kind_of_year(self, year: u16) -> Option<SectionKind> {
        match (self.reviewed, self.planned) {
            (_, Some(planned)) if year >= planned => Some(SectionKind::Plans),
            (Some(reviewed), _) if year <= reviewed => Some(SectionKind::Achievements),
            _ => None,
        }
    }
}

/// The first year a heading names (`二、2018年主要工作`, `一、１９９１年工作的回顾`).
fn year_in_heading(heading: &str) -> Option<u16> {
    let at = heading.find('年')?;
    let digits: Vec<u32> = heading[..at]
        .chars()
        .rev()
        .map_while(|c| match c {
            '0'..='9' => c.to_digit(10),
            '０'..='９' => Some(c as u32 - '０' as u32),
            _ => None,
        })
        .collect();
    if digits.len() != 4 {
        return None;
    }
    let year = digits.iter().rev().fold(0, |year, digit| year * 10 + digit);
    u16::try_from(year).ok()
}

/// Openings of the paragraph where a problems-and-plans section turns to plans.
const PLANS_OPENINGS: &[&str] = &["下一步", "下步", "今后", "接下来", "新的一年"];

/// What `heading` names its section as, in a report reviewing and planning `years`, or `None`
/// when it names nothing known. Words decide first (duties, appendices and glossaries,
/// problems, plans, review); then the year the heading names (`二、2018年主要工作` plans in a
/// 2018 政府工作报告); then words of achievements.
pub fn classify_heading(heading: &str, years: ReportYears) -> Option<HeadingTopic> {
    let names = |words: &[&str]| words.iter().any(|word| heading.contains(word));
    let single = |kind| Some(HeadingTopic::Single(kind));
    if names(DUTIES_WORDS) {
        return single(SectionKind::Duties);
    }
    if is_appendix_heading(heading) {
        return single(SectionKind::Other);
    }
    match (names(PROBLEMS_WORDS), names(PLANS_WORDS)) {
        (true, true) => return Some(HeadingTopic::ProblemsThenPlans),
        (true, false) => return single(SectionKind::Problems),
        (false, true) => return single(SectionKind::Plans),
        (false, false) => {}
    }
    if names(REVIEW_WORDS) {
        return single(SectionKind::Achievements);
    }
    if names(PLANNED_YEAR_WORDS) {
        return single(SectionKind::Plans);
    }
    if let Some(kind) = year_in_heading(heading).and_then(|year| years.kind_of_year(year)) {
        return single(kind);
    }
    names(ACHIEVEMENTS_WORDS).then_some(HeadingTopic::Single(SectionKind::Achievements))
}

/// True when `paragraph` opens the plans of a problems-and-plans section (`下一步,我区将...`).
pub fn opens_plans(paragraph: &str) -> bool {
    PLANS_OPENINGS
        .iter()
        .any(|opening| paragraph.starts_with(opening))
}

/// Openings of an appendix heading: the attachments and glossaries after a report's body.
const APPENDIX_OPENINGS: &[&str] = &["附件", "附录", "附表"];

/// Words of a glossary heading (`名词解释`, `政府工作报告名词、术语注释`).
const GLOSSARY_WORDS: &[&str] = &["名词解释", "名词注释", "术语注释", "术语解释", "名词、术语"];

/// Appendix headings are short.
const MAX_APPENDIX_HEADING_CHARS: usize = 20;

/// True when `line` is the heading of an appendix or glossary after the body: `附件`, `附件2`,
/// `附件：`, `附录`, `名词解释`, `政府工作报告名词、术语注释`; not a sentence that mentions one.
pub fn is_appendix_heading(line: &str) -> bool {
    if more_chars_than(line, MAX_APPENDIX_HEADING_CHARS) || line.contains(['。', '，', ',']) {
        return false;
    }
    let appendix = APPENDIX_OPENINGS
        .iter()
        .find_map(|opening| line.strip_prefix(opening));
    let numbered = appendix.is_some_and(|rest| {
        rest.trim_start_matches(|c: char| {
            c.is_ascii_digit() || c.is_whitespace() || "一二三四五六七八九十".contains(c)
        })
        .trim_start_matches([':', '：', '、', '.', '．'])
        .is_empty()
    });
    numbered || GLOSSARY_WORDS.iter().any(|word| line.contains(word))
}

/// Words of which a report's title (the heading above all headings) has at least one.
pub const TITLE_WORDS: &[&str] = &["报告", "情况", "总结", "年报", "要点"];

const CHINESE_NUMERALS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '〇', '零',
];

/// The level of the heading marker `line` opens with: `一、` 1, `(一)`/`（一）` 2, `1.`/`1、`/`1．` 3.
/// `一是` is an enumeration inside a paragraph, not a heading.
pub fn heading_level(line: &str) -> Option<usize> {
    if let Some(rest) = after_numerals(line) {
        return rest.starts_with('、').then_some(1);
    }
    if let Some(inner) = line.strip_prefix(['(', '（']) {
        return after_numerals(inner)
            .filter(|rest| rest.starts_with([')', '）']))
            .map(|_| 2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = line[digits..].chars();
    let is_marker = (1..=2).contains(&digits)
        && matches!(rest.next(), Some('.' | '、' | '．'))
        // `1.5亿元` is a number, not a heading.
        && rest.next().is_some_and(|c| !c.is_ascii_digit());
    is_marker.then_some(3)
}

/// What follows the one to three Chinese numerals `s` opens with, if it does.
fn after_numerals(s: &str) -> Option<&str> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !CHINESE_NUMERALS.contains(&c))
        .map_or(s.len(), |(i, _)| i);
    (end > 0 && s[..end].chars().count() <= 3).then(|| &s[end..])
}

#[cfg(test)]
mod tests {
    use super::HeadingTopic::{ProblemsThenPlans, Single};
    use super::SectionKind::*;
    use super::*;

    #[test]
    fn sample_headings_are_classified() {
        let cases = [
            ("一、工作开展情况及成效", Some(Single(Achievements))),
            ("二、存在困难和问题", Some(Single(Problems))),
            ("三、下一步工作计划", Some(Single(Plans))),
            (
                "一、2022年推进法治政府建设的主要举措和成效",
                Some(Single(Achievements)),
            ),
            (
                "二、2022年党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况",
                Some(Single(Duties)),
            ),
            (
                "三、2022年推进法治政府建设存在的不足和原因",
                Some(Single(Problems)),
            ),
            (
                "四、2023年推进法治政府建设的工作思路目标举措",
                Some(Single(Plans)),
            ),
            ("五、其他需要报告的情况", None),
            (
                "一、党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设有关情况",
                Some(Single(Duties)),
            ),
            ("三、存在不足", Some(Single(Problems))),
            ("四、2025年工作安排", Some(Single(Plans))),
            ("二、工作亮点及特色", Some(Single(Achievements))),
            ("三、存在的问题及下一步工作措施", Some(ProblemsThenPlans)),
            ("二、推进法治政府建设存在的不足", Some(Single(Problems))),
            (
                "三、2024年度推进法治政府建设的主要思路",
                Some(Single(Plans)),
            ),
        ];
        for (heading, topic) in cases {
            assert_eq!(
                classify_heading(heading, ReportYears::default()),
                topic,
                "{heading}"
            );
        }
    }

    #[test]
    fn the_genre_decides_which_year_is_under_review() {
        let work_report = ReportYears::of(["2018年坪山区政府工作报告_2018"], Some(2018));
        assert_eq!(
            work_report,
            ReportYears {
                reviewed: Some(2017),
                planned: Some(2018)
            }
        );
        let rule_of_law = ReportYears::of(["五华县司法局2023年法治政府建设年度报告"], Some(2023));
        assert_eq!(
            (rule_of_law.reviewed, rule_of_law.planned),
            (Some(2023), Some(2024))
        );
        assert_eq!(
            ReportYears::of(["某某条例"], Some(2023)),
            ReportYears::default()
        );
        assert_eq!(
            ReportYears::of(["政府工作报告"], None),
            ReportYears::default()
        );

        let kind = |heading: &str, years| classify_heading(heading, years);
        // The planned year's 主要工作 is plans; the reviewed year's is achievements.
        assert_eq!(kind("二、2018年主要工作", work_report), Some(Single(Plans)));
        assert_eq!(
            kind("一、2017年主要工作", work_report),
            Some(Single(Achievements))
        );
        assert_eq!(
            kind("一、2017年工作回顾", work_report),
            Some(Single(Achievements))
        );
        assert_eq!(kind("二、2018年工作", work_report), Some(Single(Plans)));
        assert_eq!(kind("二、今年主要工作", work_report), Some(Single(Plans)));
        assert_eq!(
            kind("一、过去一年工作", ReportYears::default()),
            Some(Single(Achievements))
        );
        assert_eq!(
            kind("一、2023年主要工作", rule_of_law),
            Some(Single(Achievements))
        );
        assert_eq!(kind("四、2024年主要工作", rule_of_law), Some(Single(Plans)));
        // Without a known genre the words alone decide.
        assert_eq!(
            kind("二、2018年主要工作", ReportYears::default()),
            Some(Single(Achievements))
        );
        // Glossaries and appendices are other.
        for heading in [
            "名词解释",
            "附件1",
            "附件：",
            "政府工作报告名词、术语注释",
            "附录",
        ] {
            assert_eq!(kind(heading, work_report), Some(Single(Other)), "{heading}");
        }
        assert!(!is_appendix_heading("附件材料已报送区委。"));
        assert_eq!(year_in_heading("二、2018年主要工作"), Some(2018));
        assert_eq!(year_in_heading("二、12018年"), None);
        assert_eq!(year_in_heading("新的一年"), None);
        assert_eq!(year_in_heading("一、１９９１年国内工作"), Some(1991));
    }

    #[test]
    fn plans_open_with_next_step() {
        assert!(opens_plans(
            "下一步,我区将按照中央、省、市的工作部署要求,固强补弱"
        ));
        assert!(!opens_plans(
            "我区法治政府建设工作虽然取得了一定成效,但仍然存在一些“弱项”"
        ));
    }
}
