//! Section kinds: what part of a report a passage belongs to.

use serde::Serialize;

/// The part of a rule-of-law report a passage belongs to, as named by its headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// Before the first heading.
    Preamble,
    /// 党政主要负责人履行推进法治建设第一责任人职责.
    Duties,
    /// 主要举措和成效, 工作亮点.
    Achievements,
    /// 存在的问题和不足, 困难.
    Problems,
    /// 下一步工作计划, 思路, 安排.
    Plans,
    /// Any other section (e.g. 其他需要报告的情况).
    Other,
}

impl SectionKind {
    /// Every kind, in the order a report usually has them.
    pub const ALL: [SectionKind; 6] = [
        SectionKind::Preamble,
        SectionKind::Duties,
        SectionKind::Achievements,
        SectionKind::Problems,
        SectionKind::Plans,
        SectionKind::Other,
    ];

    /// The name used on the command line, in JSON and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Preamble => "preamble",
            SectionKind::Duties => "duties",
            SectionKind::Achievements => "achievements",
            SectionKind::Problems => "problems",
            SectionKind::Plans => "plans",
            SectionKind::Other => "other",
        }
    }

    /// Parses a name as printed by [`SectionKind::as_str`].
    pub fn from_name(name: &str) -> Option<SectionKind> {
        SectionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

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

/// Openings of an appendix heading: the attachments and glossaries after a report's body.
const APPENDIX_OPENINGS: &[&str] = &["附件", "附录", "附表"];

/// Words of a glossary heading (`名词解释`, `政府工作报告名词、术语注释`).
const GLOSSARY_WORDS: &[&str] = &["名词解释", "名词注释", "术语注释", "术语解释", "名词、术语"];

/// Appendix headings are short.
const MAX_APPENDIX_HEADING_CHARS: usize = 20;

/// True when `line` is the heading of an appendix or glossary after the body: `附件`, `附件2`,
/// `附件：`, `附录`, `名词解释`, `政府工作报告名词、术语注释`; not a sentence that mentions one.
pub fn is_appendix_heading(line: &str) -> bool {
    if line.chars().nth(MAX_APPENDIX_HEADING_CHARS).is_some() || line.contains(['。', '，', ','])
    {
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

impl std::fmt::Display for SectionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
