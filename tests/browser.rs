//! The search page in a real browser (headless Chromium over the DevTools protocol): type a
//! query, see the marks, filter by province, open a hit in its report, go back, and
//! download the mentions CSV. Skipped, saying so, where no Chromium is installed
//! (`apt-get install chromium`; `CHROME=/path/to/chrome` picks another).

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::server::Server;
use common::{fazhi, json, sample_index};
use headless_chrome::browser::default_executable;
use headless_chrome::protocol::cdp::Browser::{
    SetDownloadBehavior, SetDownloadBehaviorBehaviorOption,
};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

/// Evaluates `expression` in the page and returns its value as JSON.
fn eval(tab: &Tab, expression: &str) -> Value {
    let wrapped = format!("JSON.stringify((() => {{ {expression} }})())");
    let result = tab.evaluate(&wrapped, false).expect("the page evaluates");
    let text = result
        .value
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "null".into());
    serde_json::from_str(&text).expect("JSON from the page")
}

/// Polls `expression` until it is true.
fn wait_until(tab: &Tab, expression: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while eval(tab, expression) != Value::Bool(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn marks(tab: &Tab, selector: &str) -> Vec<String> {
    let found = eval(
        tab,
        &format!("return [...document.querySelectorAll({selector:?})].map((m) => m.textContent);"),
    );
    serde_json::from_value(found).expect("a list of strings")
}

#[test]
fn search_filter_report_and_download_in_a_browser() {
    let chrome = match default_executable() {
        Ok(path) => path,
        Err(_) => {
            println!("skipped: no Chromium found (install the chromium package, or set CHROME)");
            return;
        }
    };
    let server = Server::start(sample_index());
    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chrome))
            .sandbox(false)
            .window_size(Some((1280, 900)))
            .build()
            .expect("launch options"),
    )
    .expect("Chromium starts");
    let tab = browser.new_tab().expect("a tab");
    tab.set_default_timeout(Duration::from_secs(20));
    tab.navigate_to(&format!("{}/", server.base))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    tab.wait_for_element(".intro").expect("the home page");

    // Type a query: ranked hits, the matched text marked exactly.
    tab.wait_for_element("#q").unwrap().click().unwrap();
    tab.type_str("枫桥经验")
        .unwrap()
        .press_key("Enter")
        .unwrap();
    tab.wait_for_element("li.hit mark").expect("marked hits");
    // Exactly the API's byte ranges, as the substrings they cover, in order.
    let api = json(&["search", "枫桥经验"]);
    let expected: Vec<String> = api["hits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|hit| {
            let snippet = hit["snippet"].as_str().unwrap().to_string();
            hit["snippet_highlights"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |r| {
                    let (start, end) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
                    snippet[start as usize..end as usize].to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(expected.len() > 3, "{api}");
    let shown = marks(&tab, "li.hit .snippet mark");
    assert_eq!(shown, expected);
    let url = eval(&tab, "return location.search;");
    assert!(url.as_str().unwrap().contains("q="), "{url}");

    // Filter by province: only its hits remain, as many as the CLI finds.
    wait_until(
        &tab,
        "return [...document.getElementById('province').options].some((o) => o.value === '广东省');",
        "the province choices",
    );
    eval(
        &tab,
        "const s = document.getElementById('province'); s.value = '广东省'; s.dispatchEvent(new Event('change')); return true;",
    );
    wait_until(
        &tab,
        "return location.search.includes('province=') && document.querySelectorAll('li.hit').length > 0 && [...document.querySelectorAll('li.hit .place')].every((p) => p.textContent.startsWith('广东省'));",
        "the filtered hits",
    );
    let filtered = json(&["search", "枫桥经验", "--province", "广东省"]);
    let hits = eval(&tab, "return document.querySelectorAll('li.hit').length;");
    assert_eq!(hits, filtered["hits"].as_array().unwrap().len());
    let first = &filtered["hits"][0];

    // Open the first hit: its paragraph is marked, in view, in the whole report.
    tab.wait_for_element("li.hit a.open")
        .unwrap()
        .click()
        .unwrap();
    tab.wait_for_element(".report .focus")
        .expect("the report view");
    let focus = eval(
        &tab,
        "const f = document.querySelector('.report .focus'); const r = f.getBoundingClientRect(); return { paragraph: Number(f.dataset.paragraph), visible: r.top >= 0 && r.bottom <= innerHeight + r.height, marks: [...f.querySelectorAll('mark')].map((m) => m.textContent), paragraphs: document.querySelectorAll('.report [data-paragraph]').length };",
    );
    assert_eq!(focus["paragraph"], first["paragraph"], "{focus}");
    assert_eq!(focus["visible"], true, "{focus}");
    assert!(
        !focus["marks"].as_array().unwrap().is_empty()
            && focus["marks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m == "枫桥经验"),
        "{focus}"
    );
    let report = json(&["show", first["path"].as_str().unwrap()]);
    assert_eq!(
        focus["paragraphs"],
        report["paragraphs"].as_array().unwrap().len()
    );

    // The back button returns to the filtered hits.
    eval(&tab, "history.back(); return true;");
    wait_until(
        &tab,
        "return !document.querySelector('.report') && document.querySelectorAll('li.hit').length > 0 && document.getElementById('province').value === '广东省';",
        "the hits again after going back",
    );

    // Mentions: charts, the table, and the CSV download.
    tab.navigate_to(&format!(
        "{}/?view=mentions&q=%E6%9E%AB%E6%A1%A5%E7%BB%8F%E9%AA%8C",
        server.base
    ))
    .unwrap()
    .wait_until_navigated()
    .unwrap();
    tab.wait_for_element("svg.chart rect").expect("a chart");
    let mentions = json(&["mentions", "枫桥经验", "--by", "county"]);
    let rows = eval(
        &tab,
        "return document.querySelectorAll('.count-table tbody tr').length;",
    );
    assert_eq!(rows, mentions["groups"].as_array().unwrap().len());
    let listed = marks(&tab, "ol.mentions mark");
    assert_eq!(listed.len() as u64, mentions["total"].as_u64().unwrap());

    let downloads = tempfile::tempdir().unwrap();
    tab.call_method(SetDownloadBehavior {
        behavior: SetDownloadBehaviorBehaviorOption::Allow,
        browser_context_id: None,
        download_path: Some(downloads.path().to_string_lossy().into_owned()),
        events_enabled: None,
    })
    .expect("downloads allowed");
    tab.wait_for_element("a.download").unwrap().click().unwrap();
    let csv = wait_for_download(downloads.path());
    let cli = fazhi()
        .args(["mentions", "枫桥经验", "--csv", "--index"])
        .arg(sample_index())
        .output()
        .unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "the download opens with a byte-order mark"
    );
    assert_eq!(csv, String::from_utf8(cli.stdout).unwrap());
}

/// The text of the first finished `.csv` download in `dir`.
fn wait_for_download(dir: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let finished = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|e| e == "csv"));
        if let Some(path) = finished {
            return std::fs::read_to_string(path).expect("a UTF-8 CSV");
        }
        assert!(Instant::now() < deadline, "no CSV was downloaded");
        std::thread::sleep(Duration::from_millis(100));
    }
}
