//! Dates as pages, signatures and manifests write them, read into ISO `YYYY-MM-DD`.

use crate::model::REPORT_YEARS;

/// Reads the first date in `written` (`2024-02-01 09:30`, `2024/2/1`, `2024.02.29`,
/// `2024年2月1日`, `20240201`) into ISO `YYYY-MM-DD`; `None` when it is not a calendar date
/// of a year a report can be about.
pub fn iso_date(written: &str) -> Option<String> {
    let mut numbers = written
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty());
    let first = numbers.next()?;
    let (year, month, day) = match first.len() {
        8 => (&first[..4], &first[4..6], &first[6..]),
        4 => (first, numbers.next()?, numbers.next()?),
        _ => return None,
    };
    let year: u16 = year.parse().ok().filter(|y| REPORT_YEARS.contains(y))?;
    let month: u8 = month.parse().ok().filter(|m| (1..=12).contains(m))?;
    let day: u8 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso() {
        assert_eq!(iso_date("2024-02-01 09:30").as_deref(), Some("2024-02-01"));
        assert_eq!(
            iso_date("2022-02-22 15:10:24").as_deref(),
            Some("2022-02-22")
        );
        assert_eq!(iso_date("2024/2/1").as_deref(), Some("2024-02-01"));
        assert_eq!(iso_date("2024.02.29").as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date("2024年2月1日").as_deref(), Some("2024-02-01"));
        assert_eq!(iso_date("20240201").as_deref(), Some("2024-02-01"));
    }

    #[test]
    fn what_is_not_a_date_is_none() {
        assert_eq!(iso_date("2024-13-01"), None);
        assert_eq!(iso_date("昨天"), None);
        assert_eq!(iso_date("24-2-1"), None);
        assert_eq!(iso_date("-"), None);
        assert_eq!(iso_date(""), None);
        assert_eq!(iso_date("1024-02-01"), None, "not a year a report is about");
    }
}
