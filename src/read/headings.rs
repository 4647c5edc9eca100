//! What a section heading says its section is about: the [`SectionKind`] of its passages.

use crate::model::SectionKind;

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
/// Openings of the paragraph where a problems-and-plans section turns to plans.
const PLANS_OPENINGS: &[&str] = &["下一步", "下步", "今后", "接下来", "新的一年"];

/// What `heading` names its section as, or `None` when it names nothing known.
pub fn classify_heading(heading: &str) -> Option<HeadingTopic> {
    let names = |words: &[&str]| words.iter().any(|word| heading.contains(word));
    if names(DUTIES_WORDS) {
        return Some(HeadingTopic::Single(SectionKind::Duties));
    }
    match (names(PROBLEMS_WORDS), names(PLANS_WORDS)) {
        (true, true) => Some(HeadingTopic::ProblemsThenPlans),
        (true, false) => Some(HeadingTopic::Single(SectionKind::Problems)),
        (false, true) => Some(HeadingTopic::Single(SectionKind::Plans)),
        (false, false) => {
            names(ACHIEVEMENTS_WORDS).then_some(HeadingTopic::Single(SectionKind::Achievements))
        }
    }
}

/// True when `paragraph` opens the plans of a problems-and-plans section (`下一步,我区将...`).
pub fn opens_plans(paragraph: &str) -> bool {
    PLANS_OPENINGS
        .iter()
        .any(|opening| paragraph.starts_with(opening))
}

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
            assert_eq!(classify_heading(heading), topic, "{heading}");
        }
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
