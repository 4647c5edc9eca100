//! Finds who issued a report, where, about which year and when it was published.
//!
//! Evidence is weighed in a fixed order: the title (the text's or the page's), the signature,
//! the file name, then the body. The first of the first three that names a place says what
//! level the report is at: a title naming a city gets no county, however many districts the
//! body mentions; only a report that names no place outside its body takes it from the body.
//! There, places named as partners or destinations (对口帮扶, 结对, 协作, 赴…考察, 学习…经验)
//! do not count, and the report's references to itself (`大鹏新区管委会`, `中共新县县委`)
//! count most. Where the evidence is weak or the heads disagree, the best guess is kept and
//! a doubt is returned for `index` to print.

use std::path::Path;

use crate::model::{PlaceSource, ReportMeta, REPORT_YEARS};
use crate::read::dates::iso_date;
use crate::read::gazetteer::{short_name, County, Gazetteer, Mention, Place, OWN_ORGANS};
use crate::read::issuers::is_issuer_name;
use crate::read::layout::Signature;

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
    /// The lines of the report's body, in order.
    pub body: &'a [&'a str],
}

/// The metadata found, with what is doubtful about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// The report's metadata.
    pub meta: ReportMeta,
    /// Why the place is uncertain (weak or conflicting evidence), when it is.
    pub place_doubt: Option<String>,
}

/// Body mentions in the first paragraph (`2024年,新县在市委...`) name the report's subject.
const FIRST_PARAGRAPH_WEIGHT: u32 = 3;

/// How much of the body is read for place names: a report names its own place early, and
/// scanning a whole 50 MB statute for names would cost more than indexing it.
const BODY_SCAN_BYTES: usize = 16 * 1024;

/// A name right after its own city or province (`信阳市新县`) is surely that place.
const QUALIFIED_WEIGHT: u32 = 2;

/// A name right before its own organs (`大鹏新区管委会`) is the report's reference to itself.
const SELF_REFERENCE_WEIGHT: u32 = 4;

/// Names of national bodies: a report or statute whose title or file name is theirs
/// (`中华人民共和国国务院政府工作报告`, `中华人民共和国刑法`) has no place, whatever places its
/// body names.
const NATIONAL_NAMES: &[&str] = &[
    "中华人民共和国",
    "国务院",
    "全国人民代表大会",
    "全国人大",
    "全国代表大会",
    "中共中央",
    "最高人民法院",
    "最高人民检察院",
];

/// Words that make the places of their clause partners or destinations, not the report's
/// own place: 对口帮扶/支援/协作, 结对, 援建, 东西部协作, 赴…考察, 学习…经验, 兄弟/友好城市.
const PARTNER_WORDS: &[&str] = &[
    "对口", "帮扶", "结对", "协作", "援建", "援助", "支援", "扶贫", "赴", "考察", "调研", "借鉴",
    "经验", "交流", "兄弟", "友好", "合作", "共建", "飞地", "来访", "来我",
];

/// Where a clause ends: partner words reach no further.
const CLAUSE_ENDS: &[char] = &['，', ',', '。', '；', ';', '！', '!', '？', '?', '：', ':'];

/// A place name in the body and how telling it is.
struct BodyMention<'g> {
    mention: Mention<'g>,
    weight: u32,
    /// Named with its own organs or after its own city: the report speaks of itself.
    telling: bool,
}

/// Finds the metadata of the report `evidence` describes.
pub fn find_metadata(evidence: &Evidence<'_>) -> Findings {
    let gazetteer = Gazetteer::global();
    let file_stem = Path::new(evidence.path)
        .file_stem()
        .and_then(|stem| stem.to_str());
    let heads: Vec<(PlaceSource, &str)> = [
        (PlaceSource::Title, evidence.title),
        (PlaceSource::Title, evidence.page_title),
        (PlaceSource::Issuer, evidence.signature.issuer),
        (PlaceSource::FileName, file_stem),
    ]
    .into_iter()
    .filter_map(|(source, head)| Some((source, head?)))
    .collect();
    let head_mentions: Vec<(PlaceSource, Vec<Mention<'_>>)> = heads
        .iter()
        .map(|&(source, head)| (source, gazetteer.mentions(head)))
        .collect();
    let body = body_sample(evidence.body);
    let body_mentions: Vec<BodyMention<'_>> = body
        .iter()
        .enumerate()
        .flat_map(|(i, text)| {
            let base = if i == 0 { FIRST_PARAGRAPH_WEIGHT } else { 1 };
            gazetteer
                .mentions(text)
                .into_iter()
                .filter(|m| !is_partner(text, m))
                .map(move |mention| {
                    let own = names_own_organs(text, &mention);
                    let weight = base * if own { SELF_REFERENCE_WEIGHT } else { 1 };
                    BodyMention {
                        telling: own || mention.qualified,
                        mention,
                        weight,
                    }
                })
        })
        .collect();
    let context: Vec<&Mention<'_>> = head_mentions
        .iter()
        .flat_map(|(_, mentions)| mentions)
        .chain(body_mentions.iter().map(|b| &b.mention))
        .collect();
    let sample: String = heads
        .iter()
        .map(|&(_, head)| head)
        .chain(body.iter().copied())
        .collect();

    // The first head naming a place or the nation decides; a national one has no place.
    let deciding = heads
        .iter()
        .zip(&head_mentions)
        .position(|(&(_, head), (_, mentions))| !mentions.is_empty() || is_national(head));
    let mut heads_naming = head_mentions[deciding.unwrap_or(heads.len())..]
        .iter()
        .filter(|(_, m)| !m.is_empty());
    let (places, place_source, place_doubt) = match heads_naming.next() {
        _ if deciding.is_some_and(|i| head_mentions[i].1.is_empty()) => {
            (PlaceFinding::default(), None, None)
        }
        Some((source, mentions)) => {
            let weighted: Vec<(u32, &Mention<'_>, bool)> =
                mentions.iter().map(|m| (1, m, true)).collect();
            let places = PlaceFinding::from_mentions(&weighted, &context, &sample);
            let doubt = heads_naming.find_map(|(other_source, other)| {
                let weighted: Vec<_> = other.iter().map(|m| (1, m, true)).collect();
                let other = PlaceFinding::from_mentions(&weighted, &context, &sample);
                (!places.agrees_with(&other)).then(|| {
                    format!(
                        "the {} names {}, the {} {}; {} is used",
                        source_name(*source),
                        places.describe(),
                        source_name(*other_source),
                        other.describe(),
                        places.describe()
                    )
                })
            });
            (places, Some(*source), doubt)
        }
        None => {
            let weighted: Vec<(u32, &Mention<'_>, bool)> = body_mentions
                .iter()
                .map(|b| (b.weight, &b.mention, b.telling))
                .collect();
            let places = PlaceFinding::from_mentions(&weighted, &context, &sample);
            let source = places.names_any().then_some(PlaceSource::Body);
            let doubt = (source.is_some() && places.weak).then(|| {
                format!(
                    "the place {} is guessed from the body text alone",
                    places.describe()
                )
            });
            (places, source, doubt)
        }
    };

    let published = evidence
        .published_line
        .and_then(iso_date)
        .or_else(|| evidence.published_hint.and_then(iso_date))
        .or_else(|| evidence.signature.date.and_then(iso_date));
    let year = [evidence.title, evidence.page_title, file_stem]
        .into_iter()
        .flatten()
        .find_map(year_in)
        .or_else(|| evidence.body.first().and_then(|line| opening_year(line)))
        .or_else(|| published_year(published.as_deref())?.checked_sub(1));
    let issuer = [evidence.title, evidence.page_title]
        .into_iter()
        .flatten()
        .map(issuer_in_title)
        .find(|issuer| is_issuer_name(issuer))
        .or(evidence.signature.issuer)
        .map(str::to_string)
        .or_else(|| places.most_specific_name());
    Findings {
        meta: ReportMeta {
            county: places.county.map(|c| c.name.clone()),
            city: places.city,
            province: places.province,
            issuer,
            year,
            published,
            place_source,
        },
        place_doubt,
    }
}

/// True when `head` names a national body and no narrower place precedes it.
fn is_national(head: &str) -> bool {
    NATIONAL_NAMES.iter().any(|name| head.contains(name))
}

/// The body lines read for place names: the first [`BODY_SCAN_BYTES`] or so, a huge line cut
/// (on a character boundary) to that size.
fn body_sample<'a>(body: &[&'a str]) -> Vec<&'a str> {
    let mut scanned = 0;
    body.iter()
        .map(|line| {
            let end = (0..=line.len().min(BODY_SCAN_BYTES))
                .rev()
                .find(|&i| line.is_char_boundary(i))
                .unwrap_or(0);
            &line[..end]
        })
        .take_while(|text| {
            let within = scanned < BODY_SCAN_BYTES;
            scanned += text.len();
            within
        })
        .collect()
}

/// The clause of `text` around `mention`.
fn clause_around<'t>(text: &'t str, mention: &Mention<'_>) -> &'t str {
    let start = text[..mention.start].rfind(CLAUSE_ENDS).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = mention.start
        + text[mention.start..]
            .find(CLAUSE_ENDS)
            .unwrap_or(text.len() - mention.start);
    &text[start..end]
}

/// True when the clause names `mention` as a partner or destination of the report's place.
fn is_partner(text: &str, mention: &Mention<'_>) -> bool {
    let clause = clause_around(text, mention);
    PARTNER_WORDS.iter().any(|word| clause.contains(word))
}

/// True when `mention` stands right before the name of its own organs (`大鹏新区管委会`).
fn names_own_organs(text: &str, mention: &Mention<'_>) -> bool {
    let after = &text[mention.start + mention.name.len()..];
    OWN_ORGANS.iter().any(|organ| after.starts_with(organ))
}

/// How a source of evidence is named in a warning.
fn source_name(source: PlaceSource) -> &'static str {
    match source {
        PlaceSource::Manifest => "manifest",
        PlaceSource::Title => "title",
        PlaceSource::Issuer => "issuer",
        PlaceSource::FileName => "file name",
        PlaceSource::Body => "body",
    }
}

/// Where a report is from.
#[derive(Debug, Default)]
struct PlaceFinding<'g> {
    county: Option<&'g County>,
    city: Option<String>,
    province: Option<String>,
    /// The evidence is thin: no telling mention, or a runner-up close behind.
    weak: bool,
}

impl<'g> PlaceFinding<'g> {
    /// The most specific place the `weighted` mentions (weight, mention, telling) name, a
    /// county named in several provinces being resolved by the cities and provinces named
    /// anywhere (`context`).
    fn from_mentions(
        weighted: &[(u32, &Mention<'g>, bool)],
        context: &[&Mention<'g>],
        sample: &str,
    ) -> Self {
        if let Some(ranked) = best_county(weighted, context, sample) {
            return PlaceFinding {
                county: Some(ranked.county),
                city: ranked.county.city.clone(),
                province: Some(ranked.county.province.clone()),
                weak: !ranked.telling || ranked.runner_up * 2 > ranked.score,
            };
        }
        let places = || weighted.iter().flat_map(|(_, m, _)| m.places.iter());
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
            weak: !weighted.iter().any(|&(_, _, telling)| telling),
        }
    }

    fn names_any(&self) -> bool {
        self.county.is_some() || self.city.is_some() || self.province.is_some()
    }

    /// True unless the two name different places at a level both name.
    fn agrees_with(&self, other: &PlaceFinding<'_>) -> bool {
        let same = |a: Option<&str>, b: Option<&str>| a.is_none() || b.is_none() || a == b;
        same(
            self.county.map(|c| c.code.as_str()),
            other.county.map(|c| c.code.as_str()),
        ) && same(self.city.as_deref(), other.city.as_deref())
            && same(self.province.as_deref(), other.province.as_deref())
    }

    /// `深圳市 大鹏新区`: the place for a message.
    fn describe(&self) -> String {
        let parts: Vec<&str> = [
            self.province.as_deref(),
            self.city
                .as_deref()
                .filter(|c| Some(*c) != self.province.as_deref()),
            self.county.map(|c| c.name.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        parts.join(" ")
    }

    fn most_specific_name(&self) -> Option<String> {
        self.county
            .map(|c| c.name.clone())
            .or_else(|| self.city.clone())
            .or_else(|| self.province.clone())
    }
}

/// The best county and how sure it is.
struct RankedCounty<'g> {
    county: &'g County,
    score: u32,
    /// The score of the next best county.
    runner_up: u32,
    /// Some mention of it is telling (with its own organs, or after its city).
    telling: bool,
}

/// The county the mentions name most (by weight), ties going to the one whose city and
/// province are named most often in `context` (full names) or in `sample` (short names:
/// a 南山区 report says 深圳 far more often than 深圳市), then to the first named.
fn best_county<'g>(
    weighted: &[(u32, &Mention<'g>, bool)],
    context: &[&Mention<'g>],
    sample: &str,
) -> Option<RankedCounty<'g>> {
    let mut scores: Vec<(&'g County, u32, bool)> = Vec::new();
    for &(weight, mention, telling) in weighted {
        let weight = if mention.qualified {
            weight * QUALIFIED_WEIGHT
        } else {
            weight
        };
        for place in &mention.places {
            if let Place::County(county) = place {
                match scores.iter_mut().find(|(c, _, _)| c.code == county.code) {
                    Some((_, score, told)) => {
                        *score += weight;
                        *told |= telling;
                    }
                    None => scores.push((county, weight, telling)),
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
    let mut ranked: Vec<(&'g County, u32, bool, usize)> = scores
        .into_iter()
        .map(|(county, score, telling)| (county, score, telling, support(county)))
        .collect();
    // Stable: among equals, the first named stays first.
    ranked.sort_by_key(|&(_, score, _, support)| std::cmp::Reverse((score, support)));
    let &(county, score, telling, _) = ranked.first()?;
    // A namesake elsewhere (朝阳区 of 长春) is the same name, not a rival.
    let runner_up = ranked
        .iter()
        .find(|(other, ..)| other.name != county.name)
        .map_or(0, |&(_, score, ..)| score);
    Some(RankedCounty {
        county,
        score,
        runner_up,
        telling,
    })
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
            if REPORT_YEARS.contains(&year) {
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
    (text[4..].starts_with('年') && REPORT_YEARS.contains(&year)).then_some(year)
}

fn published_year(published: Option<&str>) -> Option<u16> {
    published?.get(..4)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The metadata alone.
    fn find_metadata(evidence: &Evidence<'_>) -> ReportMeta {
        super::find_metadata(evidence).meta
    }

    fn body<'a>(lines: &[&'a str]) -> Vec<&'a str> {
        lines.to_vec()
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
            body: &paragraphs,
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
            body: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(meta.county.as_deref(), Some("朝阳区"));
        assert_eq!(meta.city.as_deref(), Some("长春市"));
        assert_eq!(meta.province.as_deref(), Some("吉林省"));

        let paragraphs = body(&["北京市朝阳区坚持以习近平法治思想为指导。"]);
        let meta = find_metadata(&Evidence {
            path: "x.txt",
            body: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(meta.city.as_deref(), Some("北京市"));
    }

    #[test]
    fn xin_county_is_not_found_inside_other_names() {
        let paragraphs = body(&["2023年,安新县坚持依法行政,与阳新县交流学习。"]);
        let meta = find_metadata(&Evidence {
            path: "x.txt",
            body: &paragraphs,
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
    fn partner_places_in_the_body_never_win() {
        let paragraphs = body(&[
            "2023年,我区深化对口帮扶,与河源市源城区、河源市源城区结对共建,赴福田区考察学习,\
             借鉴南山区经验。",
            "大鹏新区管委会坚持依法行政,福田区。",
        ]);
        let findings = super::find_metadata(&Evidence {
            path: "x.txt",
            body: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(findings.meta.county.as_deref(), Some("大鹏新区"));
        assert_eq!(findings.meta.city.as_deref(), Some("深圳市"));
        assert_eq!(findings.meta.place_source, Some(PlaceSource::Body));
        // The report names itself with its organs: the body is enough.
        assert_eq!(findings.place_doubt, None);

        // Only partners named: no place at all rather than a partner's.
        let paragraphs = body(&["我县与河源市源城区开展东西部协作,赴浦江县考察。"]);
        let meta = find_metadata(&Evidence {
            path: "x.txt",
            body: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(
            (meta.county, meta.city, meta.place_source),
            (None, None, None)
        );
    }

    #[test]
    fn a_head_beats_the_body_and_names_its_source() {
        let paragraphs = body(&["坪山新区管委会扎实推进依法行政,福田区、福田区、福田区。"]);
        let evidence = Evidence {
            path: "shenzhen/大鹏新区2021年管委会工作报告_2021.txt",
            body: &paragraphs,
            ..Evidence::default()
        };
        let findings = super::find_metadata(&evidence);
        assert_eq!(findings.meta.county.as_deref(), Some("大鹏新区"));
        assert_eq!(findings.meta.place_source, Some(PlaceSource::FileName));
        assert_eq!(findings.place_doubt, None);
        let titled = super::find_metadata(&Evidence {
            title: Some("坪山新区2015年管委会工作报告"),
            ..evidence
        });
        assert_eq!(titled.meta.county.as_deref(), Some("坪山新区"));
        assert_eq!(titled.meta.place_source, Some(PlaceSource::Title));
        // Title and file name disagree: the title wins, with a doubt naming both.
        let doubt = titled.place_doubt.expect("a doubt");
        assert!(
            doubt.contains("坪山新区") && doubt.contains("大鹏新区"),
            "{doubt}"
        );
        assert!(
            doubt.contains("title") && doubt.contains("file name"),
            "{doubt}"
        );
    }

    #[test]
    fn a_weak_body_guess_is_kept_with_a_doubt() {
        let paragraphs = body(&["全年共办理案件百件,南山区、福田区各五十件。"]);
        let findings = super::find_metadata(&Evidence {
            path: "x.txt",
            body: &paragraphs,
            ..Evidence::default()
        });
        assert_eq!(findings.meta.county.as_deref(), Some("南山区"));
        assert_eq!(findings.meta.place_source, Some(PlaceSource::Body));
        let doubt = findings.place_doubt.expect("a doubt");
        assert!(
            doubt.contains("南山区") && doubt.contains("body"),
            "{doubt}"
        );
    }

    #[test]
    fn nothing_known_gives_nothing() {
        assert_eq!(find_metadata(&Evidence::default()), ReportMeta::default());
    }
}
