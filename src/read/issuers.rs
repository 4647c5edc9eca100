//! What the names of issuing bodies look like (五华县司法局, 新县人民政府): the layout
//! finds them in signatures, the metadata in titles.

use crate::read::headings::heading_level;
use crate::read::length::more_chars_than;

/// Issuer lines are short names.
const MAX_ISSUER_CHARS: usize = 30;

/// Endings of the names of government bodies.
const ISSUER_ENDINGS: &[&str] = &[
    "局",
    "政府",
    "委员会",
    "办公室",
    "厅",
    "委",
    "办",
    "院",
    "中心",
    "部",
    "处",
    "组",
];

/// True when `line` is the name of a government body (`五华县司法局`), as signatures
/// and titles name who issued a report.
pub fn is_issuer_name(line: &str) -> bool {
    !more_chars_than(line, MAX_ISSUER_CHARS)
        && line
            .chars()
            .all(|c| c.is_alphanumeric() || "()（）".contains(c))
        && heading_level(line).is_none()
        && ISSUER_ENDINGS.iter().any(|ending| line.ends_with(ending))
}
