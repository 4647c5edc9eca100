//! Faithful reading of real corpora, through the binary: damaged encodings, page chrome of
//! several sites' shapes, text after attachment lists, places of functional areas and partner
//! places, manifest edits, and the sections of government work reports.

mod common;

use std::path::Path;

use common::{dev_corpus, index_command, json_at, sample_corpus, write};
use serde_json::Value;

/// `fazhi index --json` of `corpus` into `index`: the summary.
fn index(corpus: &Path, index: &Path) -> Value {
    let output = index_command(corpus, index)
        .arg("--json")
        .output()
        .expect("fazhi runs");
    assert!(
        output.status.success(),
        "index failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the summary is JSON")
}

/// The warnings of `path` in an index summary.
fn warnings(summary: &Value, path: &str) -> Vec<String> {
    summary["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["path"] == path)
        .map(|w| w["reason"].as_str().unwrap().to_string())
        .collect()
}

/// The record of `path` in `reports --json`.
fn report(index: &Path, path: &str) -> Value {
    let reports = json_at(index, &["reports"]);
    reports["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == path)
        .unwrap_or_else(|| panic!("{path} is not indexed: {reports}"))
        .clone()
}

/// The texts of the paragraphs `mentions PHRASE --json` finds, with their files.
fn mentions(index: &Path, phrase: &str) -> Vec<(String, String, String)> {
    json_at(index, &["mentions", phrase])["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["text"].as_str().unwrap().to_string(),
                p["section_kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(sample_corpus().join(name)).unwrap()
}

// ---------------------------------------------------------------------------------------
// 1. One bad byte does not turn a report into mojibake.

#[test]
fn damaged_utf8_stays_utf8_and_is_warned_about() {
    let corpus = tempfile::tempdir().unwrap();
    let mut with_ff = sample("000_17297affa439b9c0.txt");
    let middle = with_ff.len() / 2;
    // On a character boundary: before the first line end after the middle.
    let at = middle + with_ff[middle..].iter().position(|&b| b == b'\n').unwrap();
    with_ff.insert(at, 0xFF);
    write(corpus.path(), "ff.txt", &with_ff);
    let mut truncated = sample("004_1ac7896f71e6ea67.txt");
    truncated.extend_from_slice(&"调".as_bytes()[..2]);
    write(corpus.path(), "truncated.txt", &truncated);
    // A short file whose last character is cut short.
    let short = "浦江县人民调解委员会调解纠纷三百件。";
    write(
        corpus.path(),
        "short.txt",
        &short.as_bytes()[..short.len() - 1],
    );
    let idx = tempfile::tempdir().unwrap();
    let summary = index(corpus.path(), idx.path());
    assert_eq!(summary["skipped"].as_array().unwrap().len(), 0, "{summary}");

    let ff = report(idx.path(), "ff.txt");
    assert_eq!(ff["county"], "五华县");
    assert_eq!(ff["year"], 2023);
    assert_eq!(
        warnings(&summary, "ff.txt"),
        ["1 byte invalid in UTF-8, read as \u{FFFD}; the file is damaged or mixes encodings"]
    );
    let truncated = report(idx.path(), "truncated.txt");
    assert_eq!(
        (&truncated["county"], &truncated["year"]),
        (&"浦江县".into(), &2023.into())
    );
    assert!(warnings(&summary, "truncated.txt")[0].starts_with("2 bytes invalid in UTF-8"));
    let short = warnings(&summary, "short.txt");
    assert!(
        short
            .iter()
            .any(|w| w.starts_with("2 bytes invalid in UTF-8")),
        "{short:?}"
    );

    let found: Vec<String> = mentions(idx.path(), "调解")
        .into_iter()
        .map(|m| m.0)
        .collect();
    for file in ["ff.txt", "truncated.txt", "short.txt"] {
        assert!(found.iter().any(|f| f == file), "调解 not found in {file}");
    }
    // No mojibake anywhere: the GBK reading of UTF-8 starts 2023骞.
    assert!(mentions(idx.path(), "骞").is_empty());
}

// ---------------------------------------------------------------------------------------
// 2. Page chrome of several sites' shapes goes; headings and short body sentences stay.

/// The body every chrome fixture wraps: headings, a short sentence, words to search. `SITE`
/// stands for the publisher, so that each fixture's text is its own (not a duplicate).
const BODY: &str =
    "2023年,SITE坚持以习近平法治思想为指导,扎实推进法治政府建设,人民调解工作取得新成效。
一、工作开展情况及成效
(一)深化行政复议体制改革
全年办结行政复议案件一百二十件,纠错率稳步提升。
全年无败诉。
(三)规范政府采购行为
严格执行政府采购法,公开采购信息一百余条。
二、存在问题
基层执法力量仍然薄弱。
三、下一步工作计划
持续深化法治政府建设。";

/// The body as `site` publishes it.
fn body(site: &str) -> String {
    BODY.replace("SITE", site)
}

/// A site that splits its font-size widget one word per line and lists related reports.
fn widget_site() -> String {
    format!(
        "首页 > 政务公开 > 法治政府建设
深圳市南山区2023年法治政府建设年度报告
发布时间：2024-02-01 来源：区司法局
下载
打印
全屏
收藏
【字号：
加大
还原
减小
】
{}
深圳市南山区司法局
2024年2月1日
相关报道：
南山区召开法治政府建设推进会
南山区2022年法治政府建设年度报告
分享到：微信 微博 QQ空间
我要纠错 关闭窗口
",
        body("南山区司法局")
    )
}

/// A site with a column menu above the article, accessibility and language switches,
/// search-form leftovers, and a list of other documents with their dates below.
fn menu_site() -> String {
    format!(
        "无障碍 长者模式 | 简体 繁體 English
高级搜索
按相关度
按时间
首页
政务公开
政府信息公开
政策文件
政府采购
人事信息
互动交流
办事服务
浦江县司法局2023年法治政府建设年度报告
{}
浦江县司法局
2024年2月29日
相关链接>>
浦江县2023年政府工作报告 2024-01-10
关于印发浦江县法治政府建设实施方案的通知 2023-06-02
浦江县人民政府关于2022年法治政府建设情况的报告 2023-02-20
版权所有：浦江县人民政府 浙ICP备12345678号
",
        body("浦江县司法局")
    )
}

/// A web page whose menus are plain `div`s without telling classes, so that only the
/// line shapes tell them.
fn html_site() -> String {
    let body: String = body("武江区人民政府")
        .lines()
        .map(|line| format!("<p>{line}</p>\n"))
        .collect();
    format!(
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>韶关市武江区2023年法治政府建设年度报告</title></head>
<body>
<div><div>首页</div><div>走进武江</div><div>政务公开</div><div>政务服务</div><div>政府采购</div><div>互动交流</div><div>专题专栏</div></div>
<div>韶关市武江区2023年法治政府建设年度报告</div>
<div>【字体：<a>大</a> <a>中</a> <a>小</a>】 <a>打印</a></div>
{body}
<div>韶关市武江区人民政府</div><div>2024年1月27日</div>
<div>相关文档：</div>
<div><a>武江区2022年法治政府建设年度报告</a></div>
<div><a>武江区2021年法治政府建设年度报告</a></div>
<div>网站地图 | 联系我们</div>
</body></html>"#
    )
}

#[test]
fn page_chrome_of_several_sites_is_not_searchable() {
    let corpus = tempfile::tempdir().unwrap();
    write(corpus.path(), "nanshan.txt", widget_site());
    write(corpus.path(), "pujiang.txt", menu_site());
    write(corpus.path(), "wujiang.html", html_site());
    let idx = tempfile::tempdir().unwrap();
    index(corpus.path(), idx.path());

    let body_lines = BODY.lines().count() as u64;
    for path in ["nanshan.txt", "pujiang.txt", "wujiang.html"] {
        let record = report(idx.path(), path);
        // The body's lines, headings and the short sentence included; nothing else.
        assert_eq!(record["paragraphs"], body_lines, "{path}: {record}");
        assert_eq!(record["year"], 2023, "{path}");
    }
    assert_eq!(report(idx.path(), "nanshan.txt")["county"], "南山区");
    assert_eq!(report(idx.path(), "wujiang.html")["county"], "武江区");

    // 政府采购 is a menu line on two sites: only the body's heading and sentence match.
    let found = mentions(idx.path(), "政府采购");
    assert_eq!(found.len(), 6, "{found:?}");
    assert!(found
        .iter()
        .all(|(_, text, _)| text.starts_with("(三)规范政府采购") || text.starts_with("严格执行")));
    for chrome in [
        "加大",
        "还原",
        "字号",
        "全屏",
        "相关报道",
        "分享到",
        "我要纠错",
        "无障碍",
        "繁體",
        "高级搜索",
        "按相关度",
        "人事信息",
        "相关链接",
        "法治政府建设推进会",
        "实施方案的通知",
        "走进武江",
        "相关文档",
        "2022年法治政府建设年度报告",
        "网站地图",
    ] {
        assert!(mentions(idx.path(), chrome).is_empty(), "{chrome} survived");
    }
    let short: Vec<String> = mentions(idx.path(), "全年无败诉")
        .into_iter()
        .map(|m| m.1)
        .collect();
    assert_eq!(short, ["全年无败诉。"; 3]);
}

// ---------------------------------------------------------------------------------------
// 3. Text after an attachment list stays.

#[test]
fn text_after_an_attachment_list_stays() {
    let corpus = tempfile::tempdir().unwrap();
    let report_text = format!(
        "{}\n附件：\n1．附件1：南山区2013年主要经济指标完成情况.doc\n\
         2．附件2：南山区2013年民生实事落实情况汇总表.xls\n\
         以上附件请到区政府网站下载。\n",
        body("南山区人民政府")
    );
    write(
        corpus.path(),
        "2014年南山区政府工作报告_2014.txt",
        report_text,
    );
    let idx = tempfile::tempdir().unwrap();
    index(corpus.path(), idx.path());
    let after = mentions(idx.path(), "以上附件请到区政府网站下载");
    assert_eq!(after.len(), 1);
    assert!(mentions(idx.path(), "主要经济指标完成情况").is_empty());
    assert!(mentions(idx.path(), ".doc").is_empty());
    let record = report(idx.path(), "2014年南山区政府工作报告_2014.txt");
    assert_eq!(record["paragraphs"], BODY.lines().count() as u64 + 1);
}

// ---------------------------------------------------------------------------------------
// 4. Places: functional areas, partners in the body, place_source, doubts.

/// A 管委会 report whose body names its 对口帮扶 partner more often than itself.
const DAPENG_BODY: &str = "各位代表：
现在，我代表大鹏新区管理委员会，向大会作工作报告。
一、2020年工作回顾
深化对口帮扶，推动河源市源城区、河源市源城区产业协作，赴福田区考察学习。
二、2021年主要工作
持续巩固与河源市源城区结对帮扶成果。";

#[test]
fn functional_areas_and_partner_places() {
    let corpus = tempfile::tempdir().unwrap();
    write(
        corpus.path(),
        "大鹏新区2021年管委会工作报告_2021.txt",
        DAPENG_BODY,
    );
    write(
        corpus.path(),
        "a.txt",
        format!("{DAPENG_BODY}\n新区司法局扎实推进依法行政。"),
    );
    write(
        corpus.path(),
        "liangjiang.txt",
        format!(
            "重庆两江新区管委会2023年法治政府建设年度报告\n{}",
            body("两江新区管委会")
        ),
    );
    write(
        corpus.path(),
        "南山区2023年法治政府建设年度报告.txt",
        format!(
            "福田区司法局2023年法治政府建设年度报告\n{}",
            body("福田区司法局")
        ),
    );
    let idx = tempfile::tempdir().unwrap();
    let summary = index(corpus.path(), idx.path());

    let named = report(idx.path(), "大鹏新区2021年管委会工作报告_2021.txt");
    assert_eq!(
        (&named["county"], &named["city"], &named["province"]),
        (&"大鹏新区".into(), &"深圳市".into(), &"广东省".into())
    );
    assert_eq!(named["place_source"], "file_name");
    assert!(warnings(&summary, "大鹏新区2021年管委会工作报告_2021.txt").is_empty());
    // From the body alone: the report's name for itself, never its partner.
    let body_only = report(idx.path(), "a.txt");
    assert_eq!(body_only["county"], "大鹏新区");
    assert_eq!(body_only["place_source"], "body");

    let liangjiang = report(idx.path(), "liangjiang.txt");
    assert_eq!(
        (
            &liangjiang["county"],
            &liangjiang["city"],
            &liangjiang["place_source"]
        ),
        (&"两江新区".into(), &"重庆市".into(), &"title".into())
    );
    // Title and file name disagree: the title wins, and index says so.
    let conflict = "南山区2023年法治政府建设年度报告.txt";
    assert_eq!(report(idx.path(), conflict)["county"], "福田区");
    let doubt = warnings(&summary, conflict);
    assert!(
        doubt
            .iter()
            .any(|w| w.contains("福田区") && w.contains("南山区")),
        "{doubt:?}"
    );
}

// ---------------------------------------------------------------------------------------
// 5. A manifest edit re-reads its report on a plain index.

#[test]
fn manifest_edits_reread_their_report() {
    let corpus = tempfile::tempdir().unwrap();
    write(corpus.path(), "a.txt", DAPENG_BODY);
    write(
        corpus.path(),
        "b.txt",
        format!(
            "浦江县司法局2023年法治政府建设年度报告\n{}",
            body("浦江县司法局")
        ),
    );
    let idx = tempfile::tempdir().unwrap();
    index(corpus.path(), idx.path());
    assert_eq!(report(idx.path(), "a.txt")["county"], "大鹏新区");

    write(corpus.path(), "fazhi.csv", "file,county\na.txt,坪山新区\n");
    let summary = index(corpus.path(), idx.path());
    assert_eq!(
        (&summary["indexed"], &summary["unchanged"]),
        (&1.into(), &1.into())
    );
    let a = report(idx.path(), "a.txt");
    assert_eq!(
        (&a["county"], &a["city"], &a["place_source"]),
        (&"坪山新区".into(), &"深圳市".into(), &"manifest".into())
    );

    write(corpus.path(), "fazhi.csv", "file,county\na.txt,光明新区\n");
    index(corpus.path(), idx.path());
    assert_eq!(report(idx.path(), "a.txt")["county"], "光明新区");

    std::fs::remove_file(corpus.path().join("fazhi.csv")).unwrap();
    let summary = index(corpus.path(), idx.path());
    assert_eq!(summary["indexed"], 1);
    assert_eq!(report(idx.path(), "a.txt")["county"], "大鹏新区");

    let unchanged = index(corpus.path(), idx.path());
    assert_eq!(
        (&unchanged["indexed"], &unchanged["unchanged"]),
        (&0.into(), &2.into())
    );
}

// ---------------------------------------------------------------------------------------
// 9. Sections of government work reports.

#[test]
fn work_report_sections_follow_the_genre() {
    let corpus = tempfile::tempdir().unwrap();
    write(
        corpus.path(),
        "2018年坪山区政府工作报告_2018.txt",
        "各位代表：
一、2017年工作回顾
全年办结行政复议案件一百件。
二、2018年主要工作
(一)深化行政复议体制改革
年内办结行政复议案件二百件。
附件
名词解释
1.行政复议：公民认为行政行为侵犯其合法权益，依法向复议机关提出申请。",
    );
    write(
        corpus.path(),
        "rule_of_law.txt",
        "五华县司法局2023年法治政府建设年度报告
一、2023年主要工作
全县办结行政复议案件五十件。
二、2024年主要工作
力争办结行政复议案件全部按期。",
    );
    let idx = tempfile::tempdir().unwrap();
    index(corpus.path(), idx.path());
    let kind_of = |opening: &str| {
        mentions(idx.path(), "行政复议")
            .into_iter()
            .find(|(_, text, _)| text.starts_with(opening))
            .unwrap_or_else(|| panic!("no paragraph opens with {opening}"))
            .2
    };
    assert_eq!(kind_of("全年办结"), "achievements");
    assert_eq!(kind_of("年内办结"), "plans");
    assert_eq!(kind_of("(一)深化"), "plans");
    assert_eq!(kind_of("1.行政复议"), "other");
    assert_eq!(kind_of("全县办结"), "achievements");
    assert_eq!(kind_of("力争办结"), "plans");
}

// ---------------------------------------------------------------------------------------
// On the dev corpus: the functional areas' reports get their own place.

#[test]
fn dapeng_reports_of_the_dev_corpus_are_placed_in_dapeng() {
    let Some(dev) = dev_corpus() else {
        eprintln!("skipped: ../shared/dev-corpus is absent");
        return;
    };
    let corpus = tempfile::tempdir().unwrap();
    let docs = dev.join("shenzhen/docs");
    let mut copied = 0;
    for entry in std::fs::read_dir(&docs).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.contains("新区") || name.starts_with("2021年坪山区") {
            std::fs::copy(entry.path(), corpus.path().join(&name)).unwrap();
            copied += 1;
        }
    }
    assert!(copied >= 12, "the dev corpus has its 新区 reports");
    let idx = tempfile::tempdir().unwrap();
    let summary = index(corpus.path(), idx.path());
    let reports = json_at(idx.path(), &["reports"]);
    let reports = reports["reports"].as_array().unwrap();
    let mut dapeng = 0;
    for record in reports {
        let path = record["path"].as_str().unwrap();
        for area in ["大鹏新区", "坪山新区", "光明新区"] {
            if path.starts_with(area) || path.contains(&format!("年{area}")) {
                assert_eq!(record["county"], area, "{path}");
                assert_eq!(record["city"], "深圳市", "{path}");
                dapeng += usize::from(area == "大鹏新区");
            }
        }
    }
    assert!(dapeng >= 9, "{dapeng} 大鹏新区 reports");
    // The 坪山 page saved without its text is menus only: nothing of it is indexed as text.
    let pingshan = reports
        .iter()
        .find(|r| r["path"] == "2021年坪山区政府工作报告_2021.txt");
    let skipped = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["path"] == "2021年坪山区政府工作报告_2021.txt");
    assert!(
        skipped || pingshan.is_some_and(|r| r["paragraphs"].as_u64().unwrap() <= 2),
        "{pingshan:?}"
    );
}
