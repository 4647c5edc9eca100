//! Finds who issued a report, where, about which year and when it was published.
//!
//! Evidence is weighed in a fixed order: the title (the text's or the page's), the signature,
//! the file name, then the body. The first of the first three that names a place says what
//! level the report is at: a title naming a city gets no county, however many districts the
//! body mentions; only a report that names no place outside its body takes it from the body.

use std::path::Path;

use crate::gazetteer::{short_name, County, Gazetteer, Mention, Place};
use crate::layout::{is_issuer_name, Signature};
use crate::report::{Paragraph, ReportMeta};

/// What a report says about itself, gathered by the reading stages.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The file's path (its name can carry place and year).
    pub path: &'a str,
    /// The title line(s) of the text.
    pub title: Option<&'a str>,
    /// The page's own title (HTML `<title>`).
    pub page_title: Option<&'a str>,
    /// The signature under the report.
    pub signature: Signature<'a>,
    /// The publication date as the page's publication line wrote it.
    pub published_line: Option<&'a str>,
    /// The publication date the page carried outside its text, ISO.
    pub published_hint: Option<&'a str>,
    /// The report's passages.
    pub paragraphs: &'a [Paragraph],
}

/// Years a report can be about or published in; other four-digit numbers are not years.
const YEARS: std::ops::RangeInclusive<u16> = 1949..=2100;

/// Body mentions in the first paragraph (`2024年,新县在市委...`) name the report's subject.
const FIRST_PARAGRAPH_WEIGHT: u32 = 3;

/// How much of the body is read for place names: a report names its own place early, and
/// scanning a whole 50 MB statute for names would cost more than indexing it.
const BODY_SCAN_BYTES: usize = 16 * 1024;

/// A name right after its own city or province (`信阳市新县`) is surely that place.
const QUALIFIED_WEIGHT: u32 = 2;

/// Finds the metadata of the report `evidence` describes.
pub fn find_metadata(evidence: &Evidence<'_>) -> ReportMeta {
    let gazetteer = Gazetteer::global();
    let file_stem = Path::new(evidence.path)
        .file_stem()
        .and_then(|stem| stem.to_str());
    let heads: Vec<&str> = [
        evidence.title,
        evidence.page_title,
        evidence.signature.issuer,
        file_stem,
    ]
    .into_iter()
    .flatten()
    .collect();
    let head_mentions: Vec<Vec<Mention<'_>>> =
        heads.iter().map(|head| gazetteer.mentions(head)).collect();
    let mut scanned = 0;
    let body_mentions: Vec<(u32, Mention<'_>)> = evidence
        .paragraphs
        .iter()
        .take_while(|p| {
            let within = scanned < BODY_SCAN_BYTES;
            scanned += p.text.len();
            within
        })
        .flat_map(|p| {
            let weight = if p.ordinal == 1 {
                FIRST_PARAGRAPH_WEIGHT
            } else {
                1
            };
            gazetteer
                .mentions(&p.text)
                .into_iter()
                .map(move |m| (weight, m))
        })
        .collect();
    let all_mentions: Vec<&Mention<'_>> = head_mentions
        .iter()
        .flatten()
        .chain(body_mentions.iter().map(|(_, m)| m))
        .collect();

    let deciding = head_mentions.iter().find(|mentions| !mentions.is_empty());
    let weighted: Vec<(u32, &Mention<'_>)> = match deciding {
        Some(mentions) => mentions.iter().map(|m| (1, m)).collect(),
        None => body_mentions.iter().map(|(w, m)| (*w, m)).collect(),
    };
    let sample = evidence
        .paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .scan(0, |scanned, text| {
            let within = *scanned < BODY_SCAN_BYTES;
            *scanned += text.len();
            within.then_some(text)
        });
    let sample: String = heads.iter().copied().chain(sample).collect();
    let places = PlaceFinding::from_mentions(&weighted, &all_mentions, &sample);

    let published = evidence
        .published_line
        .and_then(iso_date)
        .or_else(|| evidence.published_hint.and_then(iso_date))
        .or_else(|| evidence.signature.date.and_then(iso_date));
    let year = [evidence.title, evidence.page_title, file_stem]
        .into_iter()
        .flatten()
        .find_map(year_in)
        .or_else(|| {
            evidence
                .paragraphs
                .first()
                .and_then(|p| opening_year(&p.text))
        })
        .or_else(|| published_year(published.as_deref())?.checked_sub(1));
    let issuer = [evidence.title, evidence.page_title]
        .into_iter()
        .flatten()
        .map(issuer_in_title)
        .find(|issuer| is_issuer_name(issuer))
        .or(evidence.signature.issuer)
        .map(str::to_string)
        .or_else(|| places.most_specific_name());
    ReportMeta {
        county: places.county.map(|c| c.name.clone()),
        city: places.city,
        province: places.province,
        issuer,
        year,
        published,
    }
}

/// Where a report is from.
#[derive(Debug, Default)]
struct PlaceFinding<'g> {
    county: Option<&'g County>,
    city: Option<String>,
    province: Option<String>,
}

impl<'g> PlaceFinding<'g> {
    /// The most specific place the `weighted` mentions name, a county named in several
    /// provinces being resolved by the cities and provinces named anywhere (`context`).
    fn from_mentions(
        weighted: &[(u32, &Mention<'g>)],
        context: &[&Mention<'g>],
        sample: &str,
    ) -> Self {
        if let Some(county) = best_county(weighted, context, sample) {
            return PlaceFinding {
                county: Some(county),
                city: county.city.clone(),
                province: Some(county.province.clone()),
            };
        }
        let places = || weighted.iter().flat_map(|(_, m)| m.places.iter());
        let city = places().find_map(|p| match p {
            Place::City(city) => Some(*city),
            _ => None,
        });
        let province = city.map(|c| c.province.clone()).or_else(|| {
            places().find_map(|p| match p {
                Place::Province(province) => Some(province.name.clone()),
                _ => None,
            })
        });
        PlaceFinding {
            county: None,
            city: city.map(|c| c.name.clone()),
            province,
        }
    }

    fn most_specific_name(&self) -> Option<String> {
        self.county
            .map(|c| c.name.clone())
            .or_else(|| self.city.clone())
            .or_else(|| self.province.clone())
    }
}

/// The county the mentions name most (by weight), ties going to the one whose city and
/// province are named most often in `context` (full names) or in `sample` (short names:
/// a 南山区 report says 深圳 far more often than 深圳市), then to the first named.
fn best_county<'g>(
    weighted: &[(u32, &Mention<'g>)],
    context: &[&Mention<'g>],
    sample: &str,
) -> Option<&'g County> {
    let mut scores: Vec<(&'g County, u32)> = Vec::new();
    for &(weight, mention) in weighted {
        let weight = if mention.qualified {
            weight * QUALIFIED_WEIGHT
        } else {
            weight
        };
        for place in &mention.places {
            if let Place::County(county) = place {
                match scores.iter_mut().find(|(c, _)| c.code == county.code) {
                    Some((_, score)) => *score += weight,
                    None => scores.push((county, weight)),
                }
            }
        }
    }
    let support = |county: &County| {
        context
            .iter()
            .filter(|m| {
                m.places
                    .iter()
                    .any(|outer| Place::County(county).lies_in(outer))
            })
            .count()
            + [county.city.as_deref(), Some(county.province.as_str())]
                .into_iter()
                .flatten()
                .filter_map(short_name)
                .map(|short| sample.matches(short).count())
                .sum::<usize>()
    };
    let mut best: Option<(&'g County, u32, usize)> = None;
    for (county, score) in scores {
        let support = support(county);
        if best.is_none_or(|(_, s, c)| (score, support) > (s, c)) {
            best = Some((county, score, support));
        }
    }
    best.map(|(county, _, _)| county)
}

/// The issuer a title opens with: what comes before `关于`, the year or `法治`
/// (`五华县司法局2023年法治政府建设年度报告` -> `五华县司法局`).
fn issuer_in_title(title: &str) -> &str {
    let end = ["关于", "法治"]
        .iter()
        .filter_map(|word| title.find(word))
        .chain(title.find(|c: char| c.is_ascii_digit()))
        .min()
        .unwrap_or(title.len());
    &title[..end]
}

/// The first year in `text` written as four digits on their own (`2023年`, `2025_江苏省`), not
/// part of a longer number or of a code such as a hash.
fn year_in(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if run == 4 && bytes[i..i + 4].iter().all(u8::is_ascii_digit) {
            let year: u16 = text[i..i + 4].parse().ok()?;
            if YEARS.contains(&year) {
                return Some(year);
            }
        }
        i += run.max(1);
    }
    None
}

/// The year a paragraph opens with (`2024年,新县...`).
fn opening_year(text: &str) -> Option<u16> {
    let year: u16 = text.get(..4)?.parse().ok()?;
    (text[4..].starts_with('年') && YEARS.contains(&year)).then_some(year)
}

fn published_year(published: Option<&str>) -> Option<u16> {
    published?.get(..4)?.parse().ok()
}

/// Reads the date `text` opens with as ISO `YYYY-MM-DD`: `2024-02-01`, `2022/2/22 15:10`,
/// `2024.02.29`, `2023年2月22日`.
fn iso_date(text: &str) -> Option<String> {
    let mut numbers = text.split(['-', '/', '.', '年', '月', '日', ' ']);
    let mut next = |max_len: usize| -> Option<u16> {
        let part = numbers.next()?.trim();
        let valid = (1..=max_len).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
        valid.then(|| part.parse().ok()).flatten()
    };
    let (year, month, day) = (next(4)?, next(2)?, next(2)?);
    (YEARS.contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(texts: &[&str]) -> Vec<Paragraph> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| Paragraph {
                ordinal: i as u32 + 1,
                text: text.to_string(),
                section: String::new(),
                section_kind: crate::section::SectionKind::Preamble,
                line_offset: 0,
            })
            .collect()
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2024-02-01").as_deref(), Some("2024-02-01"));
        assert_eq!(
            iso_date("2022-02-22 15:10:24").as_deref(),
            Some("2022-02-22")
        );
        assert_eq!(iso_date("2023年2月22日").as_deref(), Some("2023-02-22"));
        assert_eq!(iso_date("2024/2/9").as_deref(), Some("2024-02-09"));
        assert_eq!(iso_date("2024-13-01"), None);
        assert_eq!(iso_date("-"), None);
        assert_eq!(iso_date(""), None);
    }

    #[test]
    fn years() {
        assert_eq!(
            year_in("五华县司法局2023年法治政府建设年度报告"),
            Some(2023)
        );
        assert_eq!(year_in("关于2022年度法治政府建设情况的报告"), Some(2022));
        assert_eq!(year_in("2025_江苏省_政府工作报告"), Some(2025));
        assert_eq!(year_in("002_f4d1361488eadf97"), None);
        assert_eq!(year_in("a2020b 12345 2020"), Some(2020));
        assert_eq!(opening_year("2024年,新县在市委"), Some(2024));
        assert_eq!(opening_year("2024"), None);
        assert_eq!(opening_year("区司"), None);
    }

    #[test]
    fn file_name_is_the_fallback() {
        let meta = find_metadata(&Evidence {
            path: "reports/深圳市南山区2020年法治政府建设年度报告.txt",
            ..Evidence::default()
        });
        assert_eq!(meta.county.as_deref(), Some("南山区"));
        assert_eq!(meta.city.as_deref(), Some("深圳市"));
        assert_eq!(meta.province.as_deref(), Some("广东省"));
        assert_eq!(meta.year, Some(2020));

        let meta = find_metadata(&Evidence {
            path: "2025_江苏省_政府工作报告.txt",
            ..Evidence::default()
        });
        assert_eq!(
            (meta.county, meta.city, meta.province.as_deref(), meta.year),
            (None, None, Some("江苏省"), Some(2025))
        );
        assert_eq!(meta.issuer.as_deref(), Some("江苏省"));
    }

    #[test]
    fn a_city_report_gets_no_county_from_its_body() {
        let paragraphs =
            body(&["2023年,全市各区县扎实推进依法行政,武江区、浈江区、曲江区成效明显。"]);
        let meta = find_metadata(&Evidence {
            path: "x.txt",
            title: Some("韶关市人民政府2023年法治政府建设年度报告"),
            paragraphs: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(meta.county, None);
        assert_eq!(meta.city.as_deref(), Some("韶关市"));
        assert_eq!(meta.province.as_deref(), Some("广东省"));
        assert_eq!(meta.issuer.as_deref(), Some("韶关市人民政府"));
    }

    #[test]
    fn a_shared_county_name_is_resolved_by_the_city_named_elsewhere() {
        let paragraphs =
            body(&["2023年,在长春市委、市政府的坚强领导下,区司法局扎实推进依法行政。"]);
        let meta = find_metadata(&Evidence {
            path: "x.txt",
            title: Some("朝阳区司法局2023年法治政府建设年度报告"),
            paragraphs: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(meta.county.as_deref(), Some("朝阳区"));
        assert_eq!(meta.city.as_deref(), Some("长春市"));
        assert_eq!(meta.province.as_deref(), Some("吉林省"));

        let paragraphs = body(&["北京市朝阳区坚持以习近平法治思想为指导。"]);
        let meta = find_metadata(&Evidence {
            path: "x.txt",
            paragraphs: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(meta.city.as_deref(), Some("北京市"));
    }

    #[test]
    fn xin_county_is_not_found_inside_other_names() {
        let paragraphs = body(&["2023年,安新县坚持依法行政,与阳新县交流学习。"]);
        let meta = find_metadata(&Evidence {
            path: "x.txt",
            paragraphs: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(meta.county.as_deref(), Some("安新县"));
        assert_eq!(meta.province.as_deref(), Some("河北省"));
    }

    #[test]
    fn publication_line_beats_hint_beats_signature() {
        let signature = Signature {
            issuer: None,
            date: Some("2022年1月27日"),
        };
        let meta = |line, hint| {
            find_metadata(&Evidence {
                path: "x.txt",
                signature,
                published_line: line,
                published_hint: hint,
                ..Evidence::default()
            })
        };
        assert_eq!(
            meta(Some("2022-02-22"), Some("2022-02-23"))
                .published
                .as_deref(),
            Some("2022-02-22")
        );
        assert_eq!(
            meta(None, Some("2022-02-23")).published.as_deref(),
            Some("2022-02-23")
        );
        let signed = meta(None, None);
        assert_eq!(signed.published.as_deref(), Some("2022-01-27"));
        assert_eq!(signed.year, Some(2021));
    }

    #[test]
    fn nothing_known_gives_nothing() {
        assert_eq!(find_metadata(&Evidence::default()), ReportMeta::default());
    }
}
