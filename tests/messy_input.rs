//! Real messy input through the real binary: encodings, web pages, non-text files, a huge
//! line, duplicates, reports without a title, a manifest, and malformed commands.

mod common;

use std::path::Path;

use common::{fazhi, index_command, json_at, sample_corpus, write};
use serde_json::Value;

/// One report body with a word found nowhere else, so a search tells which file it came from.
fn body(marker: &str) -> String {
    format!(
        "一、工作开展情况\n\
         全面推进依法行政,{marker}工作取得新成效,行政复议案件依法办结。\n\
         二、存在的问题\n\
         基层执法力量仍然薄弱。\n\
         三、下一步工作安排\n\
         持续深化法治政府建设,巩固{marker}成果。\n"
    )
}

const NAV_AND_FOOTER_PAGE: &str = r#"<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
  <title>南山区2020年法治政府建设年度报告_深圳市南山区人民政府门户网站</title>
  <meta name="ArticleTitle" content="深圳市南山区2020年法治政府建设年度报告">
  <meta name="PubDate" content="2021-03-05 10:00">
  <script>var tracker = "脚本里的导航词";</script>
</head>
<body>
  <div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">网站导航栏目</a></li></ul></div>
  <nav>网站导航栏目</nav>
  <div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
  <div id="zoom">
    <p>2020年,南山区坚持以习近平法治思想为指导,网页正文词工作扎实推进。</p>
    <p>一、工作开展情况</p>
    <p>（一）深化网页正文词改革,完善行政执法三项制度。</p>
  </div>
  <div class="footer">版权所有：深圳市南山区人民政府 页脚联系词 粤ICP备12345号</div>
</body>
</html>"#;

/// Writes the messy corpus into `dir`: every kind of file a downloaded folder holds.
fn messy_corpus(dir: &Path) {
    let utf8 = |title: &str, marker: &str| format!("{title}\n{}", body(marker));
    write(
        dir,
        "bom.txt",
        [
            b"\xEF\xBB\xBF".as_slice(),
            utf8("五华县司法局2023年法治政府建设年度报告", "带签名词").as_bytes(),
        ]
        .concat(),
    );
    write(
        dir,
        "plain.txt",
        utf8("浦江县司法局2022年法治政府建设年度报告", "无签名词"),
    );
    let gbk = utf8("新县人民政府2021年法治政府建设年度报告", "国标编码词");
    write(dir, "gbk.txt", &encoding_rs::GBK.encode(&gbk).0);
    let gb18030 = utf8("南岸区司法局2020年法治政府建设年度报告", "四字节𠀀词");
    write(dir, "gb18030.txt", &encoding_rs::GB18030.encode(&gb18030).0);
    let utf16 = utf8("武江区司法局2019年法治政府建设年度报告", "双字节编码词");
    let mut le = b"\xFF\xFE".to_vec();
    le.extend(utf16.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir, "utf16le.txt", le);
    let utf16be = utf8("五华县司法局2018年法治政府建设年度报告", "大端编码词");
    let mut be = b"\xFE\xFF".to_vec();
    be.extend(utf16be.encode_utf16().flat_map(u16::to_be_bytes));
    write(dir, "utf16be.txt", be);
    write(dir, "nanshan/page.html", NAV_AND_FOOTER_PAGE);

    // Not text, or nothing in it.
    write(dir, "empty.txt", "");
    write(dir, "blank.txt", " \n\r\n\u{3000}\n");
    write(
        dir,
        "report.pdf",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".as_slice(),
    );
    write(
        dir,
        "attachments.zip",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00".as_slice(),
    );
    write(
        dir,
        "scan.png",
        b"\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR\x00\x00\x01\x00".as_slice(),
    );
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let binary: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    write(dir, "data.bin", binary);
    write(dir, "README.md", "# 下载说明\n");

    // The same text as plain.txt, saved again in GBK under another name.
    let plain = std::fs::read_to_string(dir.join("plain.txt")).unwrap();
    write(
        dir,
        "副本/plain_copy.txt",
        &encoding_rs::GBK.encode(&plain).0,
    );

    // No title line: metadata from the file name.
    write(
        dir,
        "深圳市南山区2019年法治政府建设年度报告.txt",
        body("文件名县区词"),
    );
    write(dir, "2025_江苏省_政府工作报告.txt", body("文件名省份词"));
    // A city's report: city and province, no county, and no warning.
    write(
        dir,
        "city.txt",
        utf8("深圳市2021年法治政府建设年度报告", "市级报告词"),
    );
    // Nothing tells the place or the year: indexed, with warnings.
    write(dir, "notes.txt", body("无处可寻词"));
    // The manifest wins over the title line.
    write(
        dir,
        "manifest_says.txt",
        utf8("五华县司法局2023年法治政府建设年度报告", "清单覆盖词"),
    );
    write(
        dir,
        "fazhi.toml",
        "[[report]]\nfile = \"manifest_says.txt\"\ncounty = \"浦江县\"\ncity = \"金华市\"\n\
         province = \"浙江省\"\nissuer = \"浦江县人民政府\"\nyear = 2019\npublished = \"2020-01-15\"\n\
         [[report]]\nfile = \"misspelt_name.txt\"\ncounty = \"新县\"\n",
    );
}

/// Indexes the messy corpus once per test binary; returns the corpus and index folders and
/// `fazhi index --json`'s summary.
fn messy() -> &'static (tempfile::TempDir, tempfile::TempDir, Value) {
    static MESSY: std::sync::OnceLock<(tempfile::TempDir, tempfile::TempDir, Value)> =
        std::sync::OnceLock::new();
    MESSY.get_or_init(|| {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        messy_corpus(corpus.path());
        let output = index_command(corpus.path(), index.path())
            .arg("--json")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let summary = serde_json::from_slice(&output.stdout).unwrap();
        (corpus, index, summary)
    })
}

fn messy_json(args: &[&str]) -> Value {
    json_at(messy().1.path(), args)
}

/// The reason `path` was skipped, per the index summary.
fn skip_reason(path: &str) -> Option<String> {
    messy().2["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .map(|s| s["reason"].as_str().unwrap().to_string())
}

fn warnings_of(path: &str) -> Vec<String> {
    messy().2["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["path"] == path)
        .map(|s| s["reason"].as_str().unwrap().to_string())
        .collect()
}

fn report(path: &str) -> Value {
    let reports = messy_json(&["reports"]);
    reports["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == path)
        .unwrap_or_else(|| panic!("{path} is not indexed: {reports}"))
        .clone()
}

/// The paths of the paragraphs where `phrase` occurs.
fn found_in(phrase: &str) -> Vec<String> {
    let mentions = messy_json(&["mentions", phrase]);
    let mut paths: Vec<String> = mentions["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect();
    paths.dedup();
    paths
}

#[test]
fn every_encoding_is_read() {
    for (path, marker) in [
        ("bom.txt", "带签名词"),
        ("plain.txt", "无签名词"),
        ("gbk.txt", "国标编码词"),
        ("gb18030.txt", "四字节𠀀词"),
        ("utf16le.txt", "双字节编码词"),
        ("utf16be.txt", "大端编码词"),
    ] {
        assert_eq!(found_in(marker), [path], "{marker}");
        assert_eq!(report(path)["paragraphs"], 6, "{path}");
    }
    let gbk = report("gbk.txt");
    assert_eq!(gbk["county"], "新县");
    assert_eq!(gbk["year"], 2021);
    assert_eq!(gbk["title"], "新县人民政府2021年法治政府建设年度报告");
    assert_eq!(report("utf16le.txt")["county"], "武江区");
    assert_eq!(
        report("bom.txt")["title"],
        "五华县司法局2023年法治政府建设年度报告"
    );
}

#[test]
fn a_web_page_is_read_as_its_visible_text_with_its_title_and_date() {
    let page = report("nanshan/page.html");
    assert_eq!(page["title"], "深圳市南山区2020年法治政府建设年度报告");
    assert_eq!(page["county"], "南山区");
    assert_eq!(page["city"], "深圳市");
    assert_eq!(page["year"], 2020);
    assert_eq!(page["published"], "2021-03-05");
    assert_eq!(found_in("网页正文词"), ["nanshan/page.html"]);
    for boilerplate in [
        "网站导航栏目",
        "脚本里的导航词",
        "页脚联系词",
        "版权所有",
        "当前位置",
    ] {
        assert_eq!(found_in(boilerplate), Vec::<String>::new(), "{boilerplate}");
    }
}

#[test]
fn files_that_are_not_text_are_skipped_with_the_reason() {
    for (path, reason) in [
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("report.pdf", "PDF"),
        ("attachments.zip", "ZIP"),
        ("scan.png", "PNG"),
        ("data.bin", "not text"),
        ("README.md", "not a report"),
    ] {
        let skipped = skip_reason(path).unwrap_or_else(|| panic!("{path} was not skipped"));
        assert!(skipped.contains(reason), "{path}: {skipped}");
    }
    // The manifest is read, not reported as skipped.
    assert_eq!(skip_reason("fazhi.toml"), None);
}

#[test]
fn the_human_summary_names_each_skipped_file_and_why() {
    let (corpus, _, _) = messy();
    let index = tempfile::tempdir().unwrap();
    let output = index_command(corpus.path(), index.path()).output().unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(
        printed.contains("skipped report.pdf: binary file (PDF)"),
        "{printed}"
    );
    assert!(
        printed.contains("skipped empty.txt: empty file"),
        "{printed}"
    );
    assert!(
        printed.contains("skipped 副本/plain_copy.txt: duplicate of plain.txt"),
        "{printed}"
    );
    assert!(
        printed.contains("warning notes.txt: no report year found"),
        "{printed}"
    );
}

#[test]
fn a_duplicate_is_indexed_once_and_reported() {
    let reason = skip_reason("副本/plain_copy.txt").expect("the copy is skipped");
    assert!(reason.contains("duplicate of plain.txt"), "{reason}");
    assert_eq!(found_in("无签名词"), ["plain.txt"]);
}

#[test]
fn metadata_falls_back_to_the_file_name() {
    let county = report("深圳市南山区2019年法治政府建设年度报告.txt");
    assert_eq!(county["county"], "南山区");
    assert_eq!(county["city"], "深圳市");
    assert_eq!(county["province"], "广东省");
    assert_eq!(county["year"], 2019);
    let province = report("2025_江苏省_政府工作报告.txt");
    assert_eq!(province["province"], "江苏省");
    assert_eq!(province["county"], Value::Null);
    assert_eq!(province["city"], Value::Null);
    assert_eq!(province["year"], 2025);
    assert!(warnings_of("2025_江苏省_政府工作报告.txt").is_empty());
}

#[test]
fn a_city_report_gets_the_city_only() {
    let city = report("city.txt");
    assert_eq!(city["county"], Value::Null);
    assert_eq!(city["city"], "深圳市");
    assert_eq!(city["province"], "广东省");
    assert_eq!(city["year"], 2021);
    assert!(warnings_of("city.txt").is_empty());
}

#[test]
fn a_manifest_entry_naming_no_file_is_warned_about() {
    let warnings = warnings_of("misspelt_name.txt");
    assert!(
        warnings.iter().any(|w| w.contains("no such file")),
        "{warnings:?}"
    );
}

#[test]
fn a_report_without_place_or_year_is_indexed_with_warnings() {
    let notes = report("notes.txt");
    assert_eq!(notes["county"], Value::Null);
    assert_eq!(notes["year"], Value::Null);
    assert_eq!(notes["paragraphs"], 6);
    let warnings = warnings_of("notes.txt");
    assert!(
        warnings.iter().any(|w| w.contains("no place")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("no report year")),
        "{warnings:?}"
    );
    assert_eq!(found_in("无处可寻词"), ["notes.txt"]);
    // Reports that have both get no warning.
    assert!(warnings_of("gbk.txt").is_empty());
}

#[test]
fn the_manifest_wins_over_the_title_line() {
    let entry = report("manifest_says.txt");
    assert_eq!(entry["county"], "浦江县");
    assert_eq!(entry["city"], "金华市");
    assert_eq!(entry["province"], "浙江省");
    assert_eq!(entry["issuer"], "浦江县人民政府");
    assert_eq!(entry["year"], 2019);
    assert_eq!(entry["published"], "2020-01-15");
    // The title itself is kept: the manifest did not give one.
    assert_eq!(entry["title"], "五华县司法局2023年法治政府建设年度报告");
    let filtered = json_at(
        messy().1.path(),
        &[
            "search",
            "清单覆盖词",
            "--county",
            "浦江县",
            "--year",
            "2019",
        ],
    );
    assert_eq!(filtered["hits"][0]["path"], "manifest_says.txt");
}

#[test]
fn the_summary_counts_what_was_indexed() {
    let summary = &messy().2;
    let reports = messy_json(&["reports"]);
    let listed = reports["reports"].as_array().unwrap();
    assert_eq!(summary["reports"].as_u64().unwrap() as usize, listed.len());
    // 6 encodings + page + 2 named by file + city + notes + manifest.
    assert_eq!(listed.len(), 12, "{reports}");
    let paragraphs: u64 = listed
        .iter()
        .map(|r| r["paragraphs"].as_u64().unwrap())
        .sum();
    assert_eq!(summary["paragraphs"].as_u64().unwrap(), paragraphs);
    // Skipped: 7 non-text or not reports + the duplicate.
    assert_eq!(summary["skipped"].as_array().unwrap().len(), 8, "{summary}");
}

/// Sentences of the generated line: 17 million characters, 50 MB, on one line.
const BIG_LINE_SENTENCES: usize = 680_000;

#[test]
fn a_huge_single_line_is_split_into_paragraphs_and_indexed() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    // About 50 MB on one line, no line break anywhere; two sentences are unique.
    let sentence = "全面推进严格规范公正文明执法,行政执法质量持续提升。";
    let mut line = String::with_capacity(sentence.len() * BIG_LINE_SENTENCES + 64);
    line.push_str("浦江县司法局2023年法治政府建设年度报告 ");
    for i in 0..BIG_LINE_SENTENCES {
        line.push_str(sentence);
        if i == BIG_LINE_SENTENCES / 2 {
            line.push_str("中间标记词出现一次。");
        }
    }
    line.push_str("末尾标记词出现一次。");
    assert!(line.len() > 50_000_000);
    write(corpus.path(), "one_line.txt", &line);
    let started = std::time::Instant::now();
    let summary = json_at(
        index.path(),
        &["index", "--corpus", corpus.path().to_str().unwrap()],
    );
    eprintln!(
        "indexed a {} byte line in {:?}",
        line.len(),
        started.elapsed()
    );
    assert_eq!(summary["reports"], 1, "{summary}");
    let chars = line.chars().count();
    let paragraphs = summary["paragraphs"].as_u64().unwrap() as usize;
    assert!(
        paragraphs >= chars / 2000,
        "{paragraphs} paragraphs for {chars} chars"
    );
    for marker in ["中间标记词", "末尾标记词"] {
        let found = json_at(index.path(), &["mentions", marker]);
        assert_eq!(found["total"], 1, "{marker}");
        let text = found["paragraphs"][0]["text"].as_str().unwrap();
        assert!(
            text.chars().count() <= 2000,
            "a paragraph of {}",
            text.len()
        );
        assert!(text.ends_with('。'), "split at a sentence end: {text}");
    }
}

/// Runs fazhi with `args` on the sample index, checks it refused with status 2 and printed
/// nothing on stdout, and returns its stderr.
fn refused(args: &[&str]) -> String {
    let output = fazhi()
        .arg("--index")
        .arg(common::sample_index())
        .arg("--corpus")
        .arg(sample_corpus())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} printed results");
    stderr
}

#[test]
fn malformed_queries_are_refused_in_one_line_with_status_2() {
    for (query, says) in [
        ("", "empty query"),
        ("   ", "empty query"),
        ("，。！？", "only punctuation"),
        ("\"枫桥经验", "unbalanced quote"),
        ("“枫桥经验", "unbalanced quote"),
        ("\"\"", "empty phrase"),
        ("-疫情", "only excludes"),
    ] {
        // `--` so that clap passes on a query that starts with `-`.
        let stderr = refused(&["search", "--", query]);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{query:?}: {stderr}");
        assert!(stderr.contains(says), "{query:?}: {stderr}");
    }
}

#[test]
fn bad_filters_are_refused_in_one_line_with_status_2() {
    for (args, says) in [
        (
            ["search", "法治", "--year", "2023..2021"],
            "runs backwards; write 2021..2023",
        ),
        (
            ["search", "法治", "--year", "去年"],
            "give a year such as 2023",
        ),
        (
            ["mentions", "法治", "--year", "2021..2023..2025"],
            "give a year such as 2023",
        ),
        (
            ["search", "法治", "--section", "summary"],
            "is not a section kind; use one of: preamble, duties",
        ),
        (
            ["mentions", "法治", "--section", "计划"],
            "is not a section kind",
        ),
        // 五华 alone now finds 五华县, the one county it starts; 华县 starts none.
        (["search", "法治", "--county", "华县"], "五华县"),
        (["mentions", "法治", "--county", "南岸县"], "南岸区"),
        (["search", "法治", "--city", "梅洲市"], "梅州市"),
    ] {
        let stderr = refused(&args);
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with("For more information"))
            .collect();
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn no_index_and_no_corpus_says_how_to_build_one() {
    let nowhere = tempfile::tempdir().unwrap();
    let output = fazhi()
        .current_dir(nowhere.path())
        .args(["search", "枫桥经验"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no index at index"), "{stderr}");
    assert!(stderr.contains("fazhi index --corpus DIR"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

#[test]
fn a_csv_manifest_saved_by_a_spreadsheet_in_gbk_wins_too() {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    write(corpus.path(), "a/report.txt", body("表格清单词"));
    write(
        corpus.path(),
        "b.txt",
        format!(
            "五华县司法局2023年法治政府建设年度报告\n{}",
            body("未列入清单词")
        ),
    );
    let csv = "file,county,city,province,year,published\r\n\
               a/report.txt,浦江县,金华市,浙江省,2022,2023年3月1日\r\n";
    write(corpus.path(), "fazhi.csv", &encoding_rs::GBK.encode(csv).0);
    let summary = json_at(
        index.path(),
        &["index", "--corpus", corpus.path().to_str().unwrap()],
    );
    assert_eq!(summary["reports"], 2, "{summary}");
    assert_eq!(summary["skipped"], Value::Array(vec![]), "{summary}");
    let reports = json_at(index.path(), &["reports"]);
    let listed = reports["reports"].as_array().unwrap();
    assert_eq!(listed[0]["path"], "a/report.txt");
    assert_eq!(listed[0]["county"], "浦江县");
    assert_eq!(listed[0]["year"], 2022);
    assert_eq!(listed[0]["published"], "2023-03-01");
    assert_eq!(listed[1]["county"], "五华县");
    assert_eq!(listed[1]["year"], 2023);
}
