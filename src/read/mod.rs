//! Reading: from a file of the corpus folder to a [`Report`].
//!
//! In: a corpus folder. Out: one [`Report`] per file (paragraphs, sections, metadata), or
//! the reason a file is not a report. The stages run in this order:
//! [`walk`] lists the files (and [`manifest`] reads the user's own metadata), [`decode`]
//! turns bytes into text (encodings, HTML pages), [`clean`] drops web-page boilerplate,
//! [`layout`] finds the report's frame (title, body, signature), [`metadata`] finds place,
//! year and issuer with the [`gazetteer`] of place names, and [`layout`] then splits the
//! body into passages, whose section kinds ([`headings`]) need the report's genre and year.
//! Nothing here knows about the index.

pub(crate) mod clean;
pub(crate) mod dates;
pub(crate) mod decode;
pub(crate) mod gazetteer;
pub(crate) mod headings;
pub(crate) mod issuers;
pub(crate) mod layout;
pub(crate) mod length;
pub(crate) mod manifest;
pub(crate) mod metadata;
pub(crate) mod name_matcher;
pub(crate) mod walk;

use std::path::Path;

use crate::model::{ReadWarning, Report};
use crate::read::clean::clean;
use crate::read::decode::SourceText;
use crate::read::headings::ReportYears;
use crate::read::layout::{frame, paragraphs};
use crate::read::metadata::{find_metadata, Evidence};

/// Reads `source` (the file at corpus path `path`) into a report with its paragraphs and metadata.
pub fn read_report(path: &str, source: &SourceText) -> Report {
    read_report_in_steps(path, source, &mut || {})
}

/// [`read_report`], calling `laid_out` once cleaning and the frame (title, body,
/// signature) are done and metadata is next, so that indexing can time the two steps; the
/// passages, laid out last because their section kinds need the metadata's year, count
/// with metadata.
pub fn read_report_in_steps(path: &str, source: &SourceText, laid_out: &mut dyn FnMut()) -> Report {
    let cleaned = clean(&source.text);
    let frame = frame(&cleaned.lines);
    laid_out();
    let title = frame.title();
    let findings = find_metadata(&Evidence {
        path,
        title: title.as_deref(),
        page_title: source.hints.title.as_deref(),
        signature: frame.signature,
        published_line: cleaned.published,
        published_hint: source.hints.published.as_deref(),
        body: frame.body,
    });
    // The genre, from the title or the file name, says which years the sections speak of.
    let file_name = Path::new(path).file_name().and_then(|name| name.to_str());
    let names = [title.as_deref(), source.hints.title.as_deref(), file_name];
    let years = ReportYears::of(names.into_iter().flatten(), findings.meta.year);
    let warnings = [
        (source.invalid_bytes > 0).then_some(ReadWarning::InvalidBytes {
            count: source.invalid_bytes,
            encoding: source.encoding,
        }),
        findings.place_doubt.map(ReadWarning::UncertainPlace),
    ];
    Report {
        path: path.to_string(),
        // A text without a title line still has the page's title to show.
        title: title.or_else(|| source.hints.title.clone()),
        meta: findings.meta,
        paragraphs: paragraphs(frame.body, years),
        warnings: warnings.into_iter().flatten().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PlaceSource, ReportMeta};
    use crate::read::decode::PageHints;

    fn read_sample(name: &str) -> Report {
        let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        read_report(
            &format!("corpus/{name}"),
            &SourceText {
                text,
                hints: PageHints::default(),
                ..SourceText::default()
            },
        )
    }

    fn meta(
        county: &str,
        city: &str,
        province: &str,
        issuer: &str,
        year: u16,
        published: &str,
    ) -> ReportMeta {
        ReportMeta {
            county: Some(county.to_string()),
            city: Some(city.to_string()),
            province: Some(province.to_string()),
            issuer: Some(issuer.to_string()),
            year: Some(year),
            published: Some(published.to_string()),
            place_source: Some(PlaceSource::Title),
        }
    }

    #[test]
    fn sample_metadata_is_exact() {
        let cases = [
            (
                "000_17297affa439b9c0.txt",
                meta(
                    "五华县",
                    "梅州市",
                    "广东省",
                    "五华县司法局",
                    2023,
                    "2024-02-01",
                ),
            ),
            (
                "001_2d60e079f71ee17a.txt",
                meta(
                    "南岸区",
                    "重庆市",
                    "重庆市",
                    "南岸区司法局",
                    2022,
                    "2023-02-22",
                ),
            ),
            (
                "002_f4d1361488eadf97.txt",
                ReportMeta {
                    place_source: Some(PlaceSource::Body),
                    ..meta("新县", "信阳市", "河南省", "新县", 2024, "2025-02-28")
                },
            ),
            (
                "003_e0872561a26c69b6.txt",
                meta(
                    "武江区",
                    "韶关市",
                    "广东省",
                    "韶关市武江区人民政府",
                    2021,
                    "2022-02-22",
                ),
            ),
            (
                "004_1ac7896f71e6ea67.txt",
                meta(
                    "浦江县",
                    "金华市",
                    "浙江省",
                    "浦江县司法局",
                    2023,
                    "2024-02-29",
                ),
            ),
        ];
        for (name, expected) in cases {
            let report = read_sample(name);
            assert_eq!(report.meta, expected, "{name}");
            // 新县 names itself (中共新县县委): no doubt about its place.
            assert_eq!(report.warnings, [], "{name}");
        }
    }

    #[test]
    fn samples_read_into_passages_without_title_or_signature() {
        let report = read_sample("001_2d60e079f71ee17a.txt");
        assert_eq!(
            report.title.as_deref(),
            Some("南岸区司法局关于2022年度法治政府建设情况的报告")
        );
        assert_eq!(report.path, "corpus/001_2d60e079f71ee17a.txt");
        let texts: Vec<&str> = report.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts.len(), 21);
        assert!(!texts
            .iter()
            .any(|t| t.contains("南岸区司法局关于") || *t == "2023年2月22日"));
        let report = read_sample("002_f4d1361488eadf97.txt");
        assert_eq!(report.title, None);
        assert!(!report.paragraphs.iter().any(|p| p.text == "特此报告。"));
    }

    #[test]
    fn page_hints_fill_in_what_the_text_lacks() {
        let report = read_report(
            "a.html",
            &SourceText {
                text: "2023年,全区扎实推进依法行政。".to_string(),
                hints: PageHints {
                    title: Some("北京市朝阳区2023年法治政府建设年度报告".to_string()),
                    published: Some("2024-03-01".to_string()),
                },
                ..SourceText::default()
            },
        );
        assert_eq!(
            report.title.as_deref(),
            Some("北京市朝阳区2023年法治政府建设年度报告")
        );
        assert_eq!(report.meta.county.as_deref(), Some("朝阳区"));
        assert_eq!(report.meta.city.as_deref(), Some("北京市"));
        assert_eq!(report.meta.published.as_deref(), Some("2024-03-01"));
        assert_eq!(report.meta.year, Some(2023));
    }

    #[test]
    fn odd_sources_do_not_panic() {
        for text in [
            String::new(),
            "当前位置:首页\n版权所有:某某县人民政府\nICP备12345号".to_string(),
            "一、\n(一)\n1.\n一是".to_string(),
            "新".repeat(100_000),
            "é\u{a0}新县\u{3000}城区😀".to_string(),
        ] {
            let report = read_report(
                "",
                &SourceText {
                    text,
                    hints: PageHints::default(),
                    ..SourceText::default()
                },
            );
            for (i, p) in report.paragraphs.iter().enumerate() {
                assert_eq!(p.ordinal as usize, i + 1);
            }
        }
        let only_boilerplate =
            "当前位置:首页 > 信息公开\n时间:2024-02-01 来源:本网\n版权所有:某某县人民政府";
        let report = read_report(
            "",
            &SourceText {
                text: only_boilerplate.to_string(),
                hints: PageHints::default(),
                ..SourceText::default()
            },
        );
        assert!(report.paragraphs.is_empty());
        assert_eq!(report.meta.published.as_deref(), Some("2024-02-01"));
    }
}
