//! `fazhi serve` over real HTTP: the API answers as the CLI's `--json` does, refuses bad
//! parameters with 400, serves nothing from outside the index, listens on loopback by
//! default and picks up a new commit without a restart.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use common::server::Server;
use common::{fazhi, index_command, json, json_at, sample_corpus, sample_index, text, write};
use serde_json::Value;

/// Query parameters of a request, before encoding.
type Params<'a> = &'a [(&'a str, &'a str)];

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// GETs `path` with `params` (encoded here), returning the status and the body as JSON.
fn get(server: &Server, path: &str, params: &[(&str, &str)]) -> (u16, Value) {
    let mut response = agent()
        .get(format!("{}{path}", server.base))
        .query_pairs(params.iter().copied())
        .call()
        .expect("the server answers");
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().expect("a body");
    let value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    (status, value)
}

fn ok(server: &Server, path: &str, params: &[(&str, &str)]) -> Value {
    let (status, body) = get(server, path, params);
    assert_eq!(status, 200, "{path} {params:?}: {body}");
    body
}

fn server() -> Server {
    Server::start(sample_index())
}

#[test]
fn search_answers_as_the_cli_does() {
    let server = server();
    let cases: [(Params, &[&str]); 4] = [
        (&[("q", "枫桥经验")], &["search", "枫桥经验"]),
        (&[("q", "行政复议 办结")], &["search", "行政复议 办结"]),
        (
            &[("q", "法治"), ("province", "广东省"), ("limit", "3")],
            &["search", "法治", "--province", "广东省", "--limit", "3"],
        ),
        (
            &[
                ("q", "\"八五\"普法"),
                ("year", "2022..2024"),
                ("section", "achievements"),
            ],
            &[
                "search",
                "\"八五\"普法",
                "--year",
                "2022..2024",
                "--section",
                "achievements",
            ],
        ),
    ];
    for (params, args) in cases {
        let api = ok(&server, "/api/search", params);
        let cli = json(args);
        assert!(cli["total"].as_u64().unwrap() > 0, "{args:?}: {cli}");
        for field in ["query", "total", "hits"] {
            assert_eq!(api[field], cli[field], "{args:?} {field}");
        }
        assert_eq!(api["offset"], 0);
    }
}

#[test]
fn search_pages_by_offset() {
    let server = server();
    let cli = json(&["search", "法治", "--limit", "6"]);
    let hits = cli["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 6);
    let page = ok(
        &server,
        "/api/search",
        &[("q", "法治"), ("limit", "3"), ("offset", "3")],
    );
    assert_eq!(page["hits"].as_array().unwrap(), &hits[3..6]);
    assert_eq!(page["total"], cli["total"]);
    let past = ok(
        &server,
        "/api/search",
        &[("q", "法治"), ("offset", "100000")],
    );
    assert!(past["hits"].as_array().unwrap().is_empty());
}

fn facet(facets: &Value, dimension: &str, key: &str) -> u64 {
    facets[dimension]
        .as_array()
        .expect("a facet list")
        .iter()
        .find(|g| g["key"] == key)
        .map_or(0, |g| g["count"].as_u64().unwrap())
}

fn facet_sum(facets: &Value, dimension: &str) -> u64 {
    facets[dimension]
        .as_array()
        .expect("a facet list")
        .iter()
        .map(|g| g["count"].as_u64().unwrap())
        .sum()
}

#[test]
fn facets_count_the_hits_each_choice_would_give() {
    let server = server();
    let all = ok(&server, "/api/search", &[("q", "法治")]);
    let total = all["total"].as_u64().unwrap();
    let facets = &all["facets"];
    // Every paragraph has one section kind and one year; the samples all have a province.
    for dimension in ["section", "year", "province"] {
        assert_eq!(facet_sum(facets, dimension), total, "{dimension}: {facets}");
    }
    for (dimension, option, key) in [
        ("province", "--province", "广东省"),
        ("county", "--county", "新县"),
        ("year", "--year", "2023"),
        ("section", "--section", "plans"),
    ] {
        let count = facet(facets, dimension, key);
        let cli = json(&["search", "法治", option, key]);
        assert_eq!(count, cli["total"].as_u64().unwrap(), "{dimension} {key}");
    }
    // With a province chosen, the province counts still offer the others, and the city
    // counts split the chosen province's hits.
    let chosen = ok(
        &server,
        "/api/search",
        &[("q", "法治"), ("province", "广东省")],
    );
    let facets = &chosen["facets"];
    assert_eq!(facets["province"], all["facets"]["province"]);
    assert!(facets["province"].as_array().unwrap().len() > 1);
    assert_eq!(facet_sum(facets, "city"), chosen["total"].as_u64().unwrap());
    assert_eq!(
        facet_sum(facets, "section"),
        chosen["total"].as_u64().unwrap()
    );
}

#[test]
fn mentions_answer_as_the_cli_does_with_counts_and_pages() {
    let server = server();
    let api = ok(
        &server,
        "/api/mentions",
        &[("q", "枫桥经验"), ("by", "province")],
    );
    let cli = json(&["mentions", "枫桥经验", "--by", "province"]);
    assert!(cli["total"].as_u64().unwrap() > 0);
    for field in ["phrase", "total", "reports", "paragraphs", "groups"] {
        assert_eq!(api[field], cli[field], "{field}");
    }
    assert_eq!(api["facets"]["province"], cli["groups"]);
    let by_year = json(&["mentions", "枫桥经验", "--by", "year"]);
    assert_eq!(api["facets"]["year"], by_year["groups"]);

    let loose = ok(
        &server,
        "/api/mentions",
        &[("q", "八五普法"), ("loose", "1"), ("province", "广东省")],
    );
    let cli = json(&["mentions", "八五普法", "--loose", "--province", "广东省"]);
    assert_eq!(loose["paragraphs"], cli["paragraphs"]);
    assert_eq!(loose["total"], cli["total"]);

    let all = cli["paragraphs"].as_array().unwrap();
    assert!(all.len() > 1, "{cli}");
    let page = ok(
        &server,
        "/api/mentions",
        &[
            ("q", "八五普法"),
            ("loose", "1"),
            ("province", "广东省"),
            ("limit", "1"),
            ("offset", "1"),
        ],
    );
    assert_eq!(page["paragraphs"].as_array().unwrap(), &all[1..2]);
    assert_eq!(
        page["paragraph_count"].as_u64().unwrap() as usize,
        all.len()
    );
    assert_eq!(page["total"], cli["total"]);

    // Pages read only up to their end; put together, they are the whole listing.
    let cli = json(&["mentions", "法治"]);
    let all = cli["paragraphs"].as_array().unwrap();
    assert!(
        all.len() > 20,
        "法治 is common in the samples: {}",
        all.len()
    );
    let mut paged = Vec::new();
    for offset in (0..all.len() + 7).step_by(7) {
        let offset = offset.to_string();
        let page = ok(
            &server,
            "/api/mentions",
            &[("q", "法治"), ("limit", "7"), ("offset", offset.as_str())],
        );
        assert_eq!(page["paragraph_count"].as_u64(), Some(all.len() as u64));
        assert_eq!(page["total"], cli["total"]);
        assert_eq!(page["reports"], cli["reports"]);
        paged.extend(page["paragraphs"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(&paged, all);
}

#[test]
fn the_csv_download_is_the_cli_csv() {
    let server = server();
    let mut response = agent()
        .get(format!("{}/api/mentions.csv", server.base))
        .query("q", "枫桥经验")
        .call()
        .expect("answer");
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert!(header("content-type").starts_with("text/csv"));
    let disposition = header("content-disposition");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("%E6%9E%AB%E6%A1%A5"), "{disposition}");
    let body = response.body_mut().read_to_string().unwrap();
    let cli = fazhi()
        .args(["mentions", "枫桥经验", "--csv", "--index"])
        .arg(sample_index())
        .output()
        .unwrap();
    let cli = String::from_utf8(cli.stdout).unwrap();
    assert!(cli.lines().count() > 2, "{cli}");
    // Both open with a byte-order mark, for spreadsheet programs.
    assert!(cli.starts_with('\u{feff}'), "{cli}");
    assert_eq!(body, cli);
}

#[test]
fn reports_and_show_answer_as_the_cli_does() {
    let server = server();
    let reports = ok(&server, "/api/reports", &[]);
    assert_eq!(reports, json(&["reports"]));
    let hit = &json(&["search", "枫桥经验"])["hits"][0];
    let path = text(hit, "path");
    let number = hit["paragraph"].to_string();
    let api = ok(
        &server,
        "/api/show",
        &[
            ("path", path),
            ("paragraph", &number),
            ("context", "1"),
            ("q", "枫桥经验"),
        ],
    );
    let cli = json(&[
        "show",
        &format!("{path}#{number}"),
        "--context",
        "1",
        "--query",
        "枫桥经验",
    ]);
    assert_eq!(api, cli);
    assert_eq!(api["paragraphs"].as_array().unwrap().len(), 3);
    let whole = ok(&server, "/api/show", &[("path", path)]);
    assert_eq!(whole, json(&["show", path]));
    let marked = ok(
        &server,
        "/api/show",
        &[("path", path), ("phrase", "枫桥经验")],
    );
    let marks: usize = marked["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["highlights"].as_array().unwrap().len())
        .sum();
    let in_report: usize = json(&["mentions", "枫桥经验"])["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"] == path)
        .map(|p| p["highlights"].as_array().unwrap().len())
        .sum();
    assert!(in_report > 0);
    assert_eq!(marks, in_report);

    // Loose mentions are marked where `mentions --loose` finds them, across quote marks.
    let loose = json(&["mentions", "八五普法", "--loose"]);
    let first = &loose["paragraphs"][0];
    let path = text(first, "path");
    let shown = ok(
        &server,
        "/api/show",
        &[("path", path), ("phrase", "八五普法"), ("loose", "1")],
    );
    for paragraph in loose["paragraphs"].as_array().unwrap() {
        if paragraph["path"] != path {
            continue;
        }
        let number = paragraph["paragraph"].as_u64().unwrap() as usize;
        let shown = &shown["paragraphs"][number - 1];
        assert_eq!(shown["paragraph"], paragraph["paragraph"]);
        assert_eq!(shown["highlights"], paragraph["highlights"]);
    }
}

#[test]
fn bad_parameters_are_400_with_an_error() {
    let server = server();
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("/api/search", &[]),
        ("/api/search", &[("q", "")]),
        ("/api/search", &[("q", "\"枫桥")]),
        ("/api/search", &[("q", "，。")]),
        ("/api/search", &[("q", "-疫情")]),
        ("/api/search", &[("q", "法治"), ("limit", "ten")]),
        ("/api/search", &[("q", "法治"), ("limit", "1000001")]),
        ("/api/search", &[("q", "法治"), ("offset", "-1")]),
        ("/api/search", &[("q", "法治"), ("year", "2023..2021")]),
        ("/api/search", &[("q", "法治"), ("year", "去年")]),
        ("/api/search", &[("q", "法治"), ("section", "problem")]),
        ("/api/search", &[("q", "法治"), ("province", "火星省")]),
        ("/api/search", &[("q", "法治"), ("page", "2")]),
        ("/api/search", &[("q", "法治"), ("q", "调解")]),
        ("/api/mentions", &[]),
        ("/api/mentions", &[("q", "法治"), ("by", "town")]),
        ("/api/mentions", &[("q", "法治"), ("loose", "maybe")]),
        ("/api/mentions", &[("q", "“”"), ("loose", "1")]),
        ("/api/mentions.csv", &[("q", "法治"), ("limit", "3")]),
        // Refused by the listing itself, before the streamed body starts.
        ("/api/mentions.csv", &[("q", "“”"), ("loose", "1")]),
        ("/api/show", &[]),
        ("/api/show", &[("path", "a.txt"), ("paragraph", "x")]),
        (
            "/api/show",
            &[("path", "a.txt"), ("q", "a"), ("phrase", "b")],
        ),
        ("/api/reports", &[("all", "1")]),
    ];
    for (path, params) in cases {
        let (status, body) = get(&server, path, params);
        assert_eq!(status, 400, "{path} {params:?}: {body}");
        let error = body["error"].as_str().unwrap_or("");
        assert!(
            !error.is_empty() && !error.contains('\n'),
            "{path} {params:?}: {body}"
        );
    }
}

#[test]
fn nothing_outside_the_index_is_served() {
    let server = server();
    let secrets = ["[package]", "root:x:", "fazhi_index_format", "segments"];
    let check = |status: u16, body: &str, what: &str| {
        assert!(status == 404 || status == 400, "{what}: {status} {body}");
        for secret in secrets {
            assert!(!body.contains(secret), "{what}: {body}");
        }
    };
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let meta = sample_index().join("meta.json");
    for path in [
        "../../etc/passwd",
        "../Cargo.toml",
        "/etc/passwd",
        manifest,
        meta.to_str().unwrap(),
        "meta.json",
        "..%2F..%2Fetc%2Fpasswd",
        "corpus/../Cargo.toml",
    ] {
        let (status, body) = get(&server, "/api/show", &[("path", path)]);
        check(status, &body.to_string(), path);
        assert!(
            body["error"].as_str().unwrap().contains("no report"),
            "{body}"
        );
    }
    for target in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..%2fCargo.toml",
        "/app.js/../../Cargo.toml",
        "/index/meta.json",
        "/meta.json",
        "//etc/passwd",
        "/api/show?path=..%2f..%2fetc%2fpasswd",
        "/api/show?path=%2Fetc%2Fpasswd",
        "/Cargo.toml",
        "/src/main.rs",
    ] {
        let (status, body) = server.raw(target);
        check(status, &body, target);
    }
}

#[test]
fn the_page_and_its_files_come_from_the_binary() {
    let server = server();
    for (target, kind) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
    ] {
        let response = agent()
            .get(format!("{}{target}", server.base))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{target}");
        let headers = response.headers();
        let content_type = headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with(kind), "{target}: {content_type}");
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("default-src 'self'"), "{policy}");
    }
    let (status, page) = server.raw("/");
    assert_eq!(status, 200);
    assert!(page.contains("lang=\"zh-CN\""));
    // Nothing is loaded from another host.
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("//cdn"));
}

#[test]
fn requests_for_another_host_name_are_refused_on_loopback() {
    let server = server();
    let response = agent()
        .get(format!("{}/api/reports", server.base))
        .header("Host", "attacker.example")
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 421);
    let response = agent()
        .get(format!("{}/api/reports", server.base))
        .header(
            "Host",
            format!("localhost:{}", server.addr.rsplit(':').next().unwrap()),
        )
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

#[test]
fn the_default_address_is_loopback_and_others_are_warned_about() {
    let help = fazhi().args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("[default: 127.0.0.1:8080]"), "{help}");

    // Started without --addr it listens on 127.0.0.1:8080, or says it cannot (the port
    // may be taken on a shared machine): either way, loopback.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(["serve", "--index"])
        .arg(sample_index())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        first.contains("http://127.0.0.1:8080/")
            || stderr.contains("cannot listen on 127.0.0.1:8080"),
        "{first} {stderr}"
    );
    assert!(!stderr.contains("no login"), "{stderr}");

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(["serve", "--addr", "0.0.0.0:0", "--index"])
        .arg(sample_index())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let mut warning = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stderr.take().unwrap()),
        &mut warning,
    )
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("http://0.0.0.0:"), "{first}");
    assert!(warning.contains("no login"), "{warning}");
}

#[test]
fn a_new_commit_is_served_without_a_restart() {
    let corpus = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(sample_corpus()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), corpus.path().join(entry.file_name())).unwrap();
    }
    let index = tempfile::tempdir().unwrap();
    index_command(corpus.path(), index.path())
        .assert()
        .success();
    let server = Server::start(index.path());
    let phrase = "星河湾调解驿站";
    let quoted = format!("\"{phrase}\"");
    assert_eq!(ok(&server, "/api/search", &[("q", &quoted)])["total"], 0);
    let reports = ok(&server, "/api/reports", &[])["reports"]
        .as_array()
        .unwrap()
        .len();

    write(
        corpus.path(),
        "南山区2024年法治政府建设年度报告.txt",
        format!("深圳市南山区2024年法治政府建设年度报告\n一、主要举措和成效\n建成{phrase}十二个,化解纠纷三百余件。\n"),
    );
    index_command(corpus.path(), index.path())
        .assert()
        .success();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = ok(&server, "/api/search", &[("q", &quoted)]);
        if found["total"] == 1 {
            let cli = json_at(index.path(), &["search", &quoted]);
            for field in ["query", "total", "hits"] {
                assert_eq!(found[field], cli[field], "{field}");
            }
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new commit was not picked up: {found}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let after = ok(&server, "/api/reports", &[])["reports"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(after, reports + 1);
}

/// The dev corpus's `docs/` folders linked into one corpus folder and indexed, or `None`
/// (saying so) where the dev corpus is absent.
fn dev_index() -> Option<tempfile::TempDir> {
    let Some(shared) = common::dev_corpus() else {
        eprintln!("skipped: no development corpus at ../shared/dev-corpus");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for name in ["shenzhen", "national", "laws"] {
        let docs = shared.join(name).join("docs").canonicalize().unwrap();
        std::os::unix::fs::symlink(docs, corpus.join(name)).unwrap();
    }
    index_command(&corpus, &dir.path().join("index"))
        .assert()
        .success();
    Some(dir)
}

#[test]
fn facets_equal_the_cli_totals_on_the_dev_corpus() {
    let Some(dir) = dev_index() else { return };
    let index = dir.path().join("index");
    let server = Server::start(&index);
    let total_of = |args: &[&str]| -> u64 {
        let mut all = vec!["search", "行政复议", "--limit", "1"];
        all.extend_from_slice(args);
        json_at(&index, &all)["total"].as_u64().unwrap()
    };
    let all = ok(&server, "/api/search", &[("q", "行政复议")]);
    let total = all["total"].as_u64().unwrap();
    assert!(total > 500, "{}", all["total"]);
    let facets = &all["facets"];
    assert_eq!(facet_sum(facets, "section"), total);
    // A choice's count is the total the CLI finds with that choice.
    let checks = [
        ("province", "--province"),
        ("year", "--year"),
        ("county", "--county"),
    ];
    for (dimension, option) in checks {
        let groups = facets[dimension].as_array().unwrap();
        assert!(groups.len() > 2, "{dimension}: {groups:?}");
        for group in groups.iter().take(3) {
            let key = group["key"].as_str().unwrap();
            assert_eq!(
                group["count"].as_u64().unwrap(),
                total_of(&[option, key]),
                "{dimension} {key}"
            );
        }
    }
    // Within a province and a year range, each city's count and each section's count.
    let province = facets["province"][0]["key"].as_str().unwrap();
    let chosen = ok(
        &server,
        "/api/search",
        &[
            ("q", "行政复议"),
            ("province", province),
            ("year", "2019..2022"),
        ],
    );
    let facets = &chosen["facets"];
    assert_eq!(
        chosen["total"].as_u64().unwrap(),
        total_of(&["--province", province, "--year", "2019..2022"])
    );
    let cities = facets["city"].as_array().unwrap();
    assert!(!cities.is_empty());
    for group in cities.iter().take(3) {
        let city = group["key"].as_str().unwrap();
        let expected = total_of(&[
            "--province",
            province,
            "--year",
            "2019..2022",
            "--city",
            city,
        ]);
        assert_eq!(group["count"].as_u64().unwrap(), expected, "{city}");
    }
    for group in facets["section"].as_array().unwrap() {
        let kind = group["key"].as_str().unwrap();
        let expected = total_of(&[
            "--province",
            province,
            "--year",
            "2019..2022",
            "--section",
            kind,
        ]);
        assert_eq!(group["count"].as_u64().unwrap(), expected, "{kind}");
    }
    // The province counts ignore the province chosen (not the years); the year counts
    // ignore the years (not the province).
    let years_only = ok(
        &server,
        "/api/search",
        &[("q", "行政复议"), ("year", "2019..2022")],
    );
    assert_eq!(facets["province"], years_only["facets"]["province"]);
    let province_only = ok(
        &server,
        "/api/search",
        &[("q", "行政复议"), ("province", province)],
    );
    assert_eq!(facets["year"], province_only["facets"]["year"]);
    let years = facets["year"].as_array().unwrap();
    assert!(years.iter().any(|g| g["key"] == "2023"), "{years:?}");
}

/// The counts of `groups` (a `--by` table or a facet list) by key.
fn counts_by_key(groups: &Value) -> BTreeMap<String, u64> {
    groups
        .as_array()
        .expect("a list of groups")
        .iter()
        .map(|g| (text(g, "key").to_string(), g["count"].as_u64().unwrap()))
        .collect()
}

/// The files of the hits of a search answer.
fn hit_files(answer: &Value) -> BTreeSet<String> {
    answer["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| text(hit, "path").to_string())
        .collect()
}

/// Paragraphs carry their report's path, not its place and year: filters, facets and
/// counts by place reach the tags through the report. When a manifest edit moves a report
/// to another county and year, all three follow it, in a server that was already running
/// (whose facet tables of older segments are kept) as on the command line.
#[test]
fn filters_facets_and_counts_follow_a_report_the_manifest_moves() {
    let corpus = tempfile::tempdir().unwrap();
    write(
        corpus.path(),
        "a.txt",
        "区司法局法治政府建设年度报告\n一、主要工作\n推进行政复议规范化建设，办结行政复议案件十件。\n\
         二、存在问题\n行政复议人员不足。\n三、下一步工作\n加强行政复议队伍建设。",
    );
    write(
        corpus.path(),
        "b.txt",
        "浦江县司法局2023年法治政府建设年度报告\n一、主要工作\n全县办结行政复议案件五十件。",
    );
    write(
        corpus.path(),
        "fazhi.csv",
        "file,county,year\na.txt,南山区,2020\n",
    );
    let index = tempfile::tempdir().unwrap();
    let build = || {
        let status = index_command(corpus.path(), index.path())
            .output()
            .expect("fazhi runs")
            .status;
        assert!(status.success(), "index failed");
    };
    build();
    let server = Server::start(index.path());
    let search = |filters: &[(&str, &str)]| {
        let mut params = vec![("q", "行政复议")];
        params.extend_from_slice(filters);
        ok(&server, "/api/search", &params)
    };
    let a_only: BTreeSet<String> = ["a.txt".to_string()].into();

    let before = search(&[]);
    let a_hits = counts_by_key(&before["facets"]["county"])["南山区"];
    assert!(a_hits >= 3, "{}", before["facets"]);
    assert_eq!(counts_by_key(&before["facets"]["county"])["浦江县"], 1);
    assert_eq!(hit_files(&search(&[("county", "南山区")])), a_only);
    assert_eq!(hit_files(&search(&[("year", "2020")])), a_only);

    write(
        corpus.path(),
        "fazhi.csv",
        "file,county,year\na.txt,福田区,2021\n",
    );
    build();
    let after = search(&[]);
    let counties = counts_by_key(&after["facets"]["county"]);
    assert_eq!(counties.get("福田区"), Some(&a_hits), "{}", after["facets"]);
    assert_eq!(counties.get("南山区"), None, "{}", after["facets"]);
    assert_eq!(
        counts_by_key(&after["facets"]["year"]).get("2021"),
        Some(&a_hits)
    );
    assert_eq!(hit_files(&search(&[("county", "福田区")])), a_only);
    assert_eq!(hit_files(&search(&[("year", "2021")])), a_only);
    assert!(hit_files(&search(&[("year", "2020")])).is_empty());

    let mentions = json_at(index.path(), &["mentions", "行政复议", "--by", "county"]);
    let total = mentions["total"].as_u64().unwrap();
    assert_eq!(
        counts_by_key(&mentions["groups"]),
        BTreeMap::from([("福田区".to_string(), total - 1), ("浦江县".to_string(), 1)])
    );
    let in_2021 = json_at(
        index.path(),
        &["mentions", "行政复议", "--year", "2021", "--by", "year"],
    );
    assert_eq!(in_2021["total"].as_u64(), Some(total - 1));
    assert_eq!(
        counts_by_key(&in_2021["groups"]),
        BTreeMap::from([("2021".to_string(), total - 1)])
    );
}
