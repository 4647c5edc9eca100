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

impl std::fmt::Display for SectionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
