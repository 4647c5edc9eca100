//! A user-written manifest (`fazhi.toml` or `fazhi.csv` in the corpus folder) whose metadata
//! wins over everything found in the reports.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{PlaceSource, ReadWarning, Report, REPORT_YEARS};
use crate::read::dates::iso_date;
use crate::read::decode::{decode_source, SkipReason};
use crate::read::gazetteer::Gazetteer;

/// Names of the manifest files in the corpus folder root; the corpus walker skips them.
pub const MANIFEST_FILES: [&str; 2] = ["fazhi.toml", "fazhi.csv"];

/// Metadata the user wrote down for some of the corpus files.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The corpus folder, to match reports indexed under an absolute path.
    corpus_dir: PathBuf,
    entries: Vec<Entry>,
    /// Entry index by the `/`-separated path relative to the corpus folder.
    by_path: HashMap<String, usize>,
    /// Entry index by file name; `None` when several entries share the name.
    by_name: HashMap<String, Option<usize>>,
}

/// What the manifest says about one file: every field but `file` is optional, and blank
/// values count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    county: Option<String>,
    city: Option<String>,
    province: Option<String>,
    issuer: Option<String>,
    title: Option<String>,
    year: Option<u16>,
    published: Option<String>,
}

/// The TOML form: `[[report]]` tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlManifest {
    #[serde(default)]
    report: Vec<Entry>,
}

impl Manifest {
    /// Loads the manifest of `corpus_dir`, or an empty one when there is none.
    pub fn load(corpus_dir: &Path) -> Result<Manifest> {
        let mut found = Vec::new();
        for name in MANIFEST_FILES {
            let path = corpus_dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => found.push((path, bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Io { path, source }),
            }
        }
        let (path, bytes) = match found.len() {
            0 => return Ok(Manifest::default()),
            1 => found.remove(0),
            _ => {
                return Err(Error::Manifest {
                    path: corpus_dir.to_path_buf(),
                    reason: "both fazhi.toml and fazhi.csv are present: keep one manifest".into(),
                })
            }
        };
        let malformed = |reason: String| Error::Manifest {
            path: path.clone(),
            reason,
        };
        // Decoded like a corpus file because spreadsheets on Chinese Windows save CSV as GBK.
        let text = match decode_source(&path, &bytes) {
            Ok(source) => source.text,
            Err(SkipReason::Empty) => String::new(),
            Err(reason) => return Err(malformed(format!("not a text file ({reason})"))),
        };
        let entries = if path.extension().is_some_and(|e| e == "csv") {
            csv_entries(&text)
        } else {
            toml_entries(&text)
        }
        .map_err(malformed)?;
        Manifest::new(corpus_dir, entries).map_err(malformed)
    }

    /// Indexes checked `entries`, each with where the manifest has it.
    fn new(corpus_dir: &Path, entries: Vec<(String, Entry)>) -> Result<Manifest, String> {
        let mut manifest = Manifest {
            corpus_dir: corpus_dir.to_path_buf(),
            ..Manifest::default()
        };
        for (index, (place, entry)) in entries.into_iter().enumerate() {
            let path = relative_path(&entry.file);
            if manifest.by_path.insert(path.clone(), index).is_some() {
                return Err(format!(
                    "{place}: file {path:?} is listed twice; keep one entry"
                ));
            }
            manifest
                .by_name
                .entry(file_name(&path).to_string())
                .and_modify(|unique| *unique = None)
                .or_insert(Some(index));
            manifest.entries.push(entry);
        }
        Ok(manifest)
    }

    /// Overrides `report`'s metadata with what the manifest says of its path. A place in the
    /// manifest replaces the place read from the report as a whole (the levels it leaves out
    /// are completed from the gazetteer where the name is unambiguous), and ends any doubt
    /// about it.
    pub fn apply(&self, report: &mut Report) {
        let Some(entry) = self.entry(&report.path) else {
            return;
        };
        let meta = &mut report.meta;
        for (value, target) in [
            (&entry.title, &mut report.title),
            (&entry.issuer, &mut meta.issuer),
            (&entry.published, &mut meta.published),
        ] {
            if value.is_some() {
                target.clone_from(value);
            }
        }
        if entry.year.is_some() {
            meta.year = entry.year;
        }
        if entry.county.is_some() || entry.city.is_some() || entry.province.is_some() {
            (meta.county, meta.city, meta.province) = completed_place(entry);
            meta.place_source = Some(PlaceSource::Manifest);
            report
                .warnings
                .retain(|warning| !matches!(warning, ReadWarning::UncertainPlace(_)));
        }
    }

    /// What the manifest says of the report at `report_path`, in a stable written form, for
    /// the report's content hash: editing, adding or removing its entry re-reads the report.
    pub fn fingerprint(&self, report_path: &str) -> Option<String> {
        self.entry(report_path)
            .map(|entry| serde_json::to_string(entry).expect("a manifest entry always serializes"))
    }

    fn entry(&self, report_path: &str) -> Option<&Entry> {
        self.entry_for(report_path)
            .map(|index| &self.entries[index])
    }

    /// The `file` of every entry that none of `report_paths` matches, for a warning: the
    /// user may have misspelt a name or moved a file.
    pub fn unmatched<'p>(&self, report_paths: impl IntoIterator<Item = &'p str>) -> Vec<&str> {
        let mut matched = vec![false; self.entries.len()];
        for index in report_paths
            .into_iter()
            .filter_map(|path| self.entry_for(path))
        {
            matched[index] = true;
        }
        self.entries
            .iter()
            .zip(matched)
            .filter(|(_, matched)| !matched)
            .map(|(entry, _)| entry.file.as_str())
            .collect()
    }

    /// The entry for a report path: its path relative to the corpus folder, else its file
    /// name when a single entry has that name.
    fn entry_for(&self, report_path: &str) -> Option<usize> {
        let path = Path::new(report_path);
        let path = path.strip_prefix(&self.corpus_dir).unwrap_or(path);
        let path = relative_path(&path.to_string_lossy());
        self.by_path
            .get(&path)
            .copied()
            .or_else(|| self.by_name.get(file_name(&path)).copied().flatten())
    }
}

impl Entry {
    /// Blank values dropped, the year checked and the date made ISO; an error starts with
    /// `place`, where the entry is in the manifest.
    fn checked(self, place: &str) -> Result<Entry, String> {
        self.normalized().map_err(|why| format!("{place}: {why}"))
    }

    fn normalized(self) -> Result<Entry, String> {
        let present = |value: Option<String>| {
            value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let Some(file) = present(Some(self.file)) else {
            return Err(
                "`file` is empty; give the report's path relative to the corpus folder".into(),
            );
        };
        if let Some(year) = self.year.filter(|y| !REPORT_YEARS.contains(y)) {
            return Err(format!(
                "year {year} is not a report year; write it like 2023"
            ));
        }
        let published = match present(self.published) {
            Some(date) => Some(iso_date(&date).ok_or_else(|| {
                format!("published {date:?} is not a date; write it like 2024-02-01")
            })?),
            None => None,
        };
        Ok(Entry {
            file,
            county: present(self.county),
            city: present(self.city),
            province: present(self.province),
            issuer: present(self.issuer),
            title: present(self.title),
            year: self.year,
            published,
        })
    }
}

/// Checked entries of the TOML form, each with where it is (`[[report]] entry 2`).
fn toml_entries(text: &str) -> Result<Vec<(String, Entry)>, String> {
    let manifest: TomlManifest = toml::from_str(text).map_err(|e| {
        format!("{e}\nexpected [[report]] tables with file = \"relative/path.txt\" and any of county, city, province, issuer, title, year, published")
    })?;
    manifest
        .report
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let place = format!("[[report]] entry {}", i + 1);
            Ok((place.clone(), entry.checked(&place)?))
        })
        .collect()
}

/// Checked entries of the CSV form, each with where it is (`line 3`).
fn csv_entries(text: &str) -> Result<Vec<(String, Entry)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| format!("header row: {e}"))?;
    let columns = header
        .iter()
        .map(|name| {
            CSV_COLUMNS
                .iter()
                .find(|(column, _)| name.eq_ignore_ascii_case(column))
                .map(|&(_, column)| column)
                .ok_or_else(|| {
                    let known: Vec<&str> = CSV_COLUMNS.iter().map(|(column, _)| *column).collect();
                    format!(
                        "line 1: unknown column {name:?}; columns are {}",
                        known.join(", ")
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !header.iter().any(|name| name.eq_ignore_ascii_case("file")) {
        return Err("line 1: no `file` column; add one with each report's path relative to the corpus folder".into());
    }
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let place = format!("line {}", record.position().map_or(0, |p| p.line()));
        let mut entry = Entry::default();
        for (column, value) in columns.iter().zip(&record) {
            column
                .set(&mut entry, value)
                .map_err(|why| format!("{place}: {why}"))?;
        }
        let entry = entry.checked(&place)?;
        entries.push((place, entry));
    }
    Ok(entries)
}

/// Where a CSV column goes in an entry.
#[derive(Clone, Copy)]
enum Column {
    File,
    Text(fn(&mut Entry) -> &mut Option<String>),
    Year,
}

/// Columns the CSV form may have, spelt like the TOML keys.
const CSV_COLUMNS: [(&str, Column); 8] = [
    ("file", Column::File),
    ("county", Column::Text(|entry| &mut entry.county)),
    ("city", Column::Text(|entry| &mut entry.city)),
    ("province", Column::Text(|entry| &mut entry.province)),
    ("issuer", Column::Text(|entry| &mut entry.issuer)),
    ("title", Column::Text(|entry| &mut entry.title)),
    ("year", Column::Year),
    ("published", Column::Text(|entry| &mut entry.published)),
];

impl Column {
    fn set(self, entry: &mut Entry, value: &str) -> Result<(), String> {
        match self {
            Column::File => entry.file = value.to_string(),
            Column::Text(field) => *field(entry) = Some(value.to_string()),
            Column::Year if value.is_empty() => entry.year = None,
            Column::Year => {
                let year = value
                    .parse()
                    .map_err(|_| format!("year {value:?} is not a year; write it like 2023"))?;
                entry.year = Some(year);
            }
        }
        Ok(())
    }
}

/// The place an entry names, as (county, city, province), the levels it leaves out filled in
/// from the gazetteer when its names leave no doubt (`五华县` alone is in 梅州市, 广东省;
/// `朝阳区` alone could be in 北京 or 长春 and gets no city).
fn completed_place(entry: &Entry) -> (Option<String>, Option<String>, Option<String>) {
    let gazetteer = Gazetteer::global();
    let (county, mut city, mut province) = (
        entry.county.clone(),
        entry.city.clone(),
        entry.province.clone(),
    );
    if let Some(name) = &county {
        let matching: Vec<_> = gazetteer
            .counties_named(name)
            .into_iter()
            .filter(|c| city.is_none() || c.city == city)
            .filter(|c| province.as_ref().is_none_or(|p| &c.province == p))
            .collect();
        if let [only] = matching[..] {
            city = city.or_else(|| only.city.clone());
            province = province.or_else(|| Some(only.province.clone()));
        }
    }
    if let (Some(name), None) = (&city, &province) {
        province = gazetteer.city_named(name).map(|c| c.province.clone());
    }
    (county, city, province)
}

/// A manifest or report path in one spelling: `/`-separated, without a leading `./`.
fn relative_path(path: &str) -> String {
    let path = path.trim().replace('\\', "/");
    path.trim_start_matches("./").to_string()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ReportMeta;

    fn corpus_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        dir
    }

    fn report(path: &str) -> Report {
        Report {
            path: path.into(),
            title: Some("从正文读出的标题".into()),
            meta: ReportMeta {
                county: Some("从正文读出的县".into()),
                year: Some(2020),
                ..ReportMeta::default()
            },
            ..Report::default()
        }
    }

    /// The error message of loading a corpus whose manifest is `files`.
    fn load_error(files: &[(&str, &[u8])]) -> String {
        let corpus = corpus_with(files);
        Manifest::load(corpus.path()).unwrap_err().to_string()
    }

    const TOML: &str = r#"
[[report]]
file = "广东/五华县2023.txt"
county = "五华县"
city = "梅州市"
province = "广东省"
issuer = "五华县人民政府"
title = "五华县2023年法治政府建设年度报告"
year = 2023
published = "2024-2-1"

[[report]]
file = "nanshan.html"
county = ""
year = 2020
"#;

    #[test]
    fn toml_entries_override_the_report() {
        let corpus = corpus_with(&[("fazhi.toml", TOML.as_bytes())]);
        let manifest = Manifest::load(corpus.path()).unwrap();

        let mut wuhua = report("广东/五华县2023.txt");
        manifest.apply(&mut wuhua);
        assert_eq!(
            wuhua.title.as_deref(),
            Some("五华县2023年法治政府建设年度报告")
        );
        assert_eq!(
            wuhua.meta,
            ReportMeta {
                county: Some("五华县".into()),
                city: Some("梅州市".into()),
                province: Some("广东省".into()),
                issuer: Some("五华县人民政府".into()),
                year: Some(2023),
                published: Some("2024-02-01".into()),
                place_source: Some(PlaceSource::Manifest),
            }
        );

        // A blank value does not erase what the report said; an absolute path still matches.
        let absolute = corpus.path().join("nanshan.html");
        let mut nanshan = report(absolute.to_str().unwrap());
        manifest.apply(&mut nanshan);
        assert_eq!(nanshan.meta.county.as_deref(), Some("从正文读出的县"));
        assert_eq!(nanshan.meta.year, Some(2020));
        assert_eq!(nanshan.title.as_deref(), Some("从正文读出的标题"));

        let mut unlisted = report("其他.txt");
        manifest.apply(&mut unlisted);
        assert_eq!(unlisted, report("其他.txt"));
    }

    #[test]
    fn entries_match_by_file_name_when_unambiguous() {
        let toml = r#"
[[report]]
file = "old/五华县.txt"
year = 2023
[[report]]
file = "a/同名.txt"
year = 2021
[[report]]
file = "b/同名.txt"
year = 2022
"#;
        let corpus = corpus_with(&[("fazhi.toml", toml.as_bytes())]);
        let manifest = Manifest::load(corpus.path()).unwrap();
        let year_of = |path: &str| {
            let mut r = report(path);
            manifest.apply(&mut r);
            r.meta.year
        };
        assert_eq!(year_of("new/五华县.txt"), Some(2023));
        assert_eq!(year_of("b/同名.txt"), Some(2022));
        assert_eq!(
            year_of("c/同名.txt"),
            Some(2020),
            "two entries share the name"
        );
        assert_eq!(
            manifest.unmatched(["new/五华县.txt", "b/同名.txt"]),
            ["a/同名.txt"]
        );
    }

    #[test]
    fn csv_entries_override_the_report() {
        let csv = "File,county,year,published,title\n\
                   ./广东\\五华县2023.txt, 五华县 ,2023,2024年2月1日,\n\
                   nanshan.html,,,,南山区报告\n";
        let corpus = corpus_with(&[("fazhi.csv", csv.as_bytes())]);
        let manifest = Manifest::load(corpus.path()).unwrap();
        let mut wuhua = report("广东/五华县2023.txt");
        manifest.apply(&mut wuhua);
        assert_eq!(wuhua.meta.county.as_deref(), Some("五华县"));
        assert_eq!(wuhua.meta.year, Some(2023));
        assert_eq!(wuhua.meta.published.as_deref(), Some("2024-02-01"));
        assert_eq!(wuhua.title.as_deref(), Some("从正文读出的标题"));
        let mut nanshan = report("nanshan.html");
        manifest.apply(&mut nanshan);
        assert_eq!(nanshan.title.as_deref(), Some("南山区报告"));
        assert_eq!(nanshan.meta.year, Some(2020));
    }

    #[test]
    fn gbk_csv_from_a_spreadsheet_is_read() {
        let (csv, _, _) =
            encoding_rs::GBK.encode("file,county,issuer\n五华县.txt,五华县,五华县司法局\n");
        let corpus = corpus_with(&[("fazhi.csv", &csv)]);
        let mut wuhua = report("五华县.txt");
        Manifest::load(corpus.path()).unwrap().apply(&mut wuhua);
        assert_eq!(wuhua.meta.issuer.as_deref(), Some("五华县司法局"));
    }

    #[test]
    fn no_manifest_or_an_empty_one_changes_nothing() {
        for files in [&[][..], &[("fazhi.toml", b"".as_slice())][..]] {
            let corpus = corpus_with(files);
            let mut r = report("a.txt");
            Manifest::load(corpus.path()).unwrap().apply(&mut r);
            assert_eq!(r, report("a.txt"));
        }
    }

    #[test]
    fn malformed_manifests_name_the_file_the_place_and_the_fix() {
        let cases: [(&str, &str, &[&str]); 9] = [
            (
                "fazhi.toml",
                "[[report]\nfile = \"a.txt\"",
                &["fazhi.toml", "line 1"],
            ),
            (
                "fazhi.toml",
                "[[report]]\nfile = \"a.txt\"\nyear = \"2023\"",
                &["fazhi.toml", "line 3", "year"],
            ),
            (
                "fazhi.toml",
                "[[report]]\nfile = \"a.txt\"\nyear = 23",
                &["fazhi.toml", "entry 1", "write it like 2023"],
            ),
            (
                "fazhi.toml",
                "[[report]]\ncounty = \"五华县\"",
                &["fazhi.toml", "line 1", "file"],
            ),
            (
                "fazhi.toml",
                "[[report]]\nfile = \"a.txt\"\ncountry = \"中国\"",
                &["fazhi.toml", "line 3", "country"],
            ),
            (
                "fazhi.toml",
                "[[report]]\nfile = \"a.txt\"\n[[report]]\nfile = \"./a.txt\"",
                &["fazhi.toml", "entry 2", "listed twice"],
            ),
            (
                "fazhi.csv",
                "file,county,region\na.txt,五华县,华南\n",
                &["fazhi.csv", "line 1", "region", "columns are"],
            ),
            (
                "fazhi.csv",
                "county,year\n五华县,2023\n",
                &["fazhi.csv", "no `file` column"],
            ),
            (
                "fazhi.csv",
                "file,year,published\na.txt,2023,昨天\nb.txt,二〇二三,\n",
                &["fazhi.csv", "line 2", "published", "2024-02-01"],
            ),
        ];
        for (name, text, expected) in cases {
            let message = load_error(&[(name, text.as_bytes())]);
            for part in expected {
                assert!(message.contains(part), "{message:?} lacks {part:?}");
            }
        }
        let message = load_error(&[("fazhi.csv", b"file,year\nb.txt,\xE4\xBA\x8C\n")]);
        assert!(
            message.contains("line 2: year \"二\" is not a year"),
            "{message}"
        );
    }

    #[test]
    fn two_manifests_are_an_error() {
        let message = load_error(&[("fazhi.toml", b""), ("fazhi.csv", b"file\n")]);
        assert!(message.contains("keep one manifest"), "{message}");
    }

    #[test]
    fn a_binary_manifest_is_an_error() {
        let message = load_error(&[("fazhi.csv", b"PK\x03\x04excel")]);
        assert!(
            message.contains("fazhi.csv") && message.contains("not a text file"),
            "{message}"
        );
    }
}
