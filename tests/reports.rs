//! `fazhi reports --json` on the bundled corpus: every sample's metadata, found in its text.

mod common;

use common::{json, text};
use serde_json::Value;

fn report<'a>(reports: &'a [Value], file_prefix: &str) -> &'a Value {
    reports
        .iter()
        .find(|r| text(r, "path").starts_with(file_prefix))
        .unwrap_or_else(|| panic!("no report {file_prefix} in {reports:?}"))
}

#[test]
fn every_sample_report_has_its_metadata() {
    let listing = json(&["reports"]);
    let reports = listing["reports"].as_array().expect("a list of reports");
    assert_eq!(reports.len(), 5, "{listing}");
    // (file, county, city, province, issuer, year, published), from corpus/SOURCE.md.
    let expected = [
        (
            "000_",
            "五华县",
            "梅州市",
            "广东省",
            "五华县司法局",
            2023,
            "2024-02-01",
        ),
        (
            "001_",
            "南岸区",
            "重庆市",
            "重庆市",
            "南岸区司法局",
            2022,
            "2023-02-22",
        ),
        (
            "002_",
            "新县",
            "信阳市",
            "河南省",
            "新县",
            2024,
            "2025-02-28",
        ),
        (
            "003_",
            "武江区",
            "韶关市",
            "广东省",
            "韶关市武江区人民政府",
            2021,
            "2022-02-22",
        ),
        (
            "004_",
            "浦江县",
            "金华市",
            "浙江省",
            "浦江县司法局",
            2023,
            "2024-02-29",
        ),
    ];
    for (file, county, city, province, issuer, year, published) in expected {
        let r = report(reports, file);
        assert_eq!(text(r, "county"), county, "{r}");
        assert_eq!(text(r, "city"), city, "{r}");
        assert_eq!(text(r, "province"), province, "{r}");
        assert_eq!(text(r, "issuer"), issuer, "{r}");
        assert_eq!(r["year"].as_u64(), Some(year), "{r}");
        assert_eq!(text(r, "published"), published, "{r}");
        assert!(r["paragraphs"].as_u64().unwrap() > 5, "{r}");
        assert!(text(r, "path").ends_with(".txt"), "{r}");
    }
}

#[test]
fn titles_come_from_the_text_and_002_has_none() {
    let listing = json(&["reports"]);
    let reports = listing["reports"].as_array().unwrap();
    assert_eq!(
        text(report(reports, "000_"), "title"),
        "五华县司法局2023年法治政府建设年度报告"
    );
    assert_eq!(
        text(report(reports, "001_"), "title"),
        "南岸区司法局关于2022年度法治政府建设情况的报告"
    );
    assert!(report(reports, "002_")["title"].is_null());
}

#[test]
fn human_listing_names_every_report() {
    let output = common::fazhi()
        .arg("reports")
        .arg("--index")
        .arg(common::sample_index())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for county in ["五华县", "南岸区", "新县", "武江区", "浦江县"] {
        assert!(stdout.contains(county), "{stdout}");
    }
}
