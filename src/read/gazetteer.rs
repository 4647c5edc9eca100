//! China's administrative divisions (provinces, prefecture-level cities, county-level
//! divisions) and finding their names in text.
//!
//! The data is the National Bureau of Statistics table of 2023-06-30 as shipped by the npm
//! package china-division 2.7.0 (WTFPL), vendored in `src/read/gazetteer/` and parsed once, with a
//! supplement of functional areas the table lacks (国家级新区 such as 两江新区, city-created new
//! districts such as 深圳's 大鹏新区 and the former 坪山新区, development zones), which publish
//! their own reports: they are county-level units under their city, matched by their names
//! and aliases like any division (`src/read/gazetteer/SOURCE.md` says where they come from).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::chars::is_ideograph;
use crate::read::name_matcher::NameMatcher;
use serde::Deserialize;

/// A province-level division (`广东省`, `重庆市`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// The two-digit division code.
    pub code: String,
    /// The full name.
    pub name: String,
}

/// A place name without its administrative suffix, as texts often write it (深圳市 ->
/// 深圳, 广西壮族自治区 -> 广西); `None` when too little is left to be telling.
pub fn short_name(name: &str) -> Option<&str> {
    const SUFFIXES: [&str; 9] = [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "自治州",
        "地区",
        "省",
        "市",
        "盟",
    ];
    let short = SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name);
    (short.chars().count() >= 2 && short != name).then_some(short)
}

/// A prefecture-level city; a municipality (`重庆市`) is its own city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct City {
    /// The four-digit division code (the first one, for municipalities that have two).
    pub code: String,
    /// The full name.
    pub name: String,
    /// The province it belongs to.
    pub province: String,
}

/// A county-level division: county (县), district (区) or county-level city (县级市).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct County {
    /// The six-digit division code.
    pub code: String,
    /// The full name.
    pub name: String,
    /// The city it belongs to; `None` for those a province governs directly (`济源市`).
    pub city: Option<String>,
    /// The province it belongs to.
    pub province: String,
}

/// One of the divisions a name can stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'g> {
    /// A province-level division.
    Province(&'g Province),
    /// A prefecture-level city.
    City(&'g City),
    /// A county-level division.
    County(&'g County),
}

impl Place<'_> {
    /// True when `self` lies inside `outer` (a county in its city or province, a city in its
    /// province).
    pub fn lies_in(&self, outer: &Place<'_>) -> bool {
        match (self, outer) {
            (Place::County(county), Place::City(city)) => county.city.as_ref() == Some(&city.name),
            (Place::County(county), Place::Province(province)) => county.province == province.name,
            (Place::City(city), Place::Province(province)) => city.province == province.name,
            _ => false,
        }
    }
}

/// A whole place name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<'g> {
    /// The name as found.
    pub name: &'g str,
    /// Byte offset of the name in the text.
    pub start: usize,
    /// The divisions the name can stand for here: when the name directly follows the name of
    /// its city or province (`北京市朝阳区`), only those inside it.
    pub places: Vec<Place<'g>>,
    /// Whether the name directly follows the name of a division containing it, the strongest
    /// sign that it names a place and which one.
    pub qualified: bool,
}

/// Names of counties that are also common nouns (`城区` in `老城区改造`, `郊区`, `市中区`): taken
/// only right after the name of their city or province.
const COMMON_NOUN_NAMES: &[&str] = &[
    "城区",
    "郊区",
    "矿区",
    "东区",
    "西区",
    "新城区",
    "老城区",
    "市中区",
    "城关区",
    "城中区",
    "城东区",
    "城西区",
    "城北区",
    "新市区",
    "市北区",
    "市南区",
];

/// Organs a place's name stands before when a text speaks of that place's own government
/// (`大鹏新区管委会`, `中共新县县委`).
pub const OWN_ORGANS: &[&str] = &[
    "管委会",
    "管理委员会",
    "党工委",
    "人民政府",
    "政府",
    "区委",
    "县委",
    "市委",
    "旗委",
    "人大",
    "政协",
    "司法局",
];

/// Rows of the city table that stand for a municipality's own districts and counties.
const MUNICIPALITY_ROWS: &[&str] = &["市辖区", "县"];

/// Rows of the city table that group counties governed directly by their province.
const DIRECT_ROWS: &[&str] = &["省直辖县级行政区划", "自治区直辖县级行政区划"];

/// The table of divisions with a matcher for all their names.
#[derive(Debug)]
pub struct Gazetteer {
    provinces: Vec<Province>,
    cities: Vec<City>,
    counties: Vec<County>,
    /// Distinct names; the matcher's name indices index this.
    names: Vec<String>,
    /// For each name, the divisions it stands for, as (table, index).
    places: Vec<Vec<PlaceIndex>>,
    matcher: NameMatcher,
}

#[derive(Debug, Clone, Copy)]
enum PlaceIndex {
    Province(usize),
    City(usize),
    County(usize),
}

#[derive(Deserialize)]
struct ProvinceRow {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct CityRow {
    code: String,
    name: String,
    #[serde(rename = "provinceCode")]
    province_code: String,
}

/// A row of the functional-area supplement: a county-level unit that is no administrative
/// division, with the other names it is known by (`|`-separated) and its city (empty for one
/// its province governs directly, as 雄安新区).
#[derive(Deserialize)]
struct FunctionalAreaRow {
    code: String,
    name: String,
    aliases: String,
    #[serde(rename = "cityCode")]
    city_code: String,
    #[serde(rename = "provinceCode")]
    province_code: String,
}

#[derive(Deserialize)]
struct CountyRow {
    code: String,
    name: String,
    #[serde(rename = "cityCode")]
    city_code: String,
    #[serde(rename = "provinceCode")]
    province_code: String,
}

static GLOBAL: LazyLock<Gazetteer> = LazyLock::new(|| {
    Gazetteer::from_csv(
        include_str!("gazetteer/provinces.csv"),
        include_str!("gazetteer/cities.csv"),
        include_str!("gazetteer/areas.csv"),
        include_str!("gazetteer/functional_areas.csv"),
    )
});

impl Gazetteer {
    /// The divisions of the vendored table, parsed on first use.
    pub fn global() -> &'static Gazetteer {
        &GLOBAL
    }

    /// Builds the gazetteer from the three tables. Panics on malformed data: the tables are
    /// compiled in, so that is a build defect, caught by the tests.
    fn from_csv(
        provinces_csv: &str,
        cities_csv: &str,
        counties_csv: &str,
        functional_areas_csv: &str,
    ) -> Gazetteer {
        let provinces: Vec<Province> = read_rows::<ProvinceRow>(provinces_csv)
            .map(|row| Province {
                code: row.code,
                name: row.name,
            })
            .collect();
        let province_names: HashMap<String, String> = provinces
            .iter()
            .map(|p| (p.code.clone(), p.name.clone()))
            .collect();
        let province_of = |code: &str| province_names[code].clone();

        let mut cities: Vec<City> = Vec::new();
        // City code -> city name, for the counties; municipalities' rows map to the province.
        let mut city_names: HashMap<String, Option<String>> = HashMap::new();
        for row in read_rows::<CityRow>(cities_csv) {
            let province = province_of(&row.province_code);
            let name = if DIRECT_ROWS.contains(&row.name.as_str()) {
                None
            } else if MUNICIPALITY_ROWS.contains(&row.name.as_str()) {
                Some(province.clone())
            } else {
                Some(row.name)
            };
            if let Some(name) = &name {
                if !cities.iter().any(|c| &c.name == name) {
                    cities.push(City {
                        code: row.code.clone(),
                        name: name.clone(),
                        province,
                    });
                }
            }
            city_names.insert(row.code, name);
        }
        let mut counties: Vec<County> = read_rows::<CountyRow>(counties_csv)
            .map(|row| County {
                city: city_names.get(&row.city_code).cloned().flatten(),
                province: province_of(&row.province_code),
                code: row.code,
                name: row.name,
            })
            .collect();
        // Other names of a county, as (name, county index): aliases of functional areas.
        let mut aliases: Vec<(String, usize)> = Vec::new();
        for row in read_rows::<FunctionalAreaRow>(functional_areas_csv) {
            aliases.extend(
                row.aliases
                    .split('|')
                    .map(str::trim)
                    .filter(|alias| !alias.is_empty())
                    .map(|alias| (alias.to_string(), counties.len())),
            );
            counties.push(County {
                city: city_names.get(&row.city_code).cloned().flatten(),
                province: province_of(&row.province_code),
                code: row.code,
                name: row.name,
            });
        }

        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut names = Vec::new();
        let mut places: Vec<Vec<PlaceIndex>> = Vec::new();
        let all = (provinces.iter().enumerate()).map(|(i, p)| (&p.name, PlaceIndex::Province(i)));
        let all = all.chain(
            cities
                .iter()
                .enumerate()
                .map(|(i, c)| (&c.name, PlaceIndex::City(i))),
        );
        let all = all.chain(
            counties
                .iter()
                .enumerate()
                .map(|(i, c)| (&c.name, PlaceIndex::County(i))),
        );
        let all = all.chain(
            aliases
                .iter()
                .map(|(alias, i)| (alias, PlaceIndex::County(*i))),
        );
        for (name, place) in all {
            let id = *ids.entry(name.clone()).or_insert_with(|| {
                names.push(name.clone());
                places.push(Vec::new());
                names.len() - 1
            });
            places[id].push(place);
        }
        let matcher = NameMatcher::new(&names);
        Gazetteer {
            provinces,
            cities,
            counties,
            names,
            places,
            matcher,
        }
    }

    /// Every county-level division called `name` (`朝阳区` is in Beijing and in Changchun).
    pub fn counties_named(&self, name: &str) -> Vec<&County> {
        self.counties.iter().filter(|c| c.name == name).collect()
    }

    /// The prefecture-level city called `name`, municipalities included.
    pub fn city_named(&self, name: &str) -> Option<&City> {
        self.cities.iter().find(|c| c.name == name)
    }

    /// True when `name` is the full name of a province, city or county-level division.
    #[cfg(test)]
    pub fn is_known_place(&self, name: &str) -> bool {
        self.names.iter().any(|known| known == name)
    }

    /// Every distinct place name, e.g. to suggest one for a misspelt filter.
    #[cfg(test)]
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// The whole place names in `text`, in order. Names inside longer names are not found
    /// (`新县` in `安新县`); a two-character county name is taken only where it does not run
    /// on from another word (`新县` in `法治新县` or `新县城` is not a place) or where its own
    /// organs follow (`中共新县县委`), and a name that is also a common noun only right after
    /// its city or province.
    pub fn mentions(&self, text: &str) -> Vec<Mention<'_>> {
        let mut mentions: Vec<Mention<'_>> = Vec::new();
        let mut previous_end = None;
        for found in self.matcher.find(text) {
            let name = self.names[found.name].as_str();
            let all: Vec<Place<'_>> = self.places[found.name]
                .iter()
                .map(|&index| self.place(index))
                .collect();
            // `韶关市武江区`: the name right before, if any, says which division this one is.
            let outer = mentions
                .last()
                .filter(|_| previous_end == Some(found.start))
                .map(|m| m.places.clone())
                .unwrap_or_default();
            let inside: Vec<Place<'_>> = all
                .iter()
                .copied()
                .filter(|place| outer.iter().any(|o| place.lies_in(o)))
                .collect();
            let qualified = !inside.is_empty();
            let standalone = || {
                let before = text[..found.start].chars().next_back();
                let after = text[found.end..].chars().next();
                let rest = &text[found.end..];
                !COMMON_NOUN_NAMES.contains(&name)
                    && (name.chars().count() > 2
                        || (!before.is_some_and(is_ideograph) && after != Some('城'))
                        || OWN_ORGANS.iter().any(|organ| rest.starts_with(organ)))
            };
            if qualified || standalone() {
                mentions.push(Mention {
                    name,
                    start: found.start,
                    places: if qualified { inside } else { all },
                    qualified,
                });
                previous_end = Some(found.end);
            }
        }
        mentions
    }

    fn place(&self, index: PlaceIndex) -> Place<'_> {
        match index {
            PlaceIndex::Province(i) => Place::Province(&self.provinces[i]),
            PlaceIndex::City(i) => Place::City(&self.cities[i]),
            PlaceIndex::County(i) => Place::County(&self.counties[i]),
        }
    }
}

fn read_rows<'a, T: serde::de::DeserializeOwned + 'a>(
    csv_text: &'a str,
) -> impl Iterator<Item = T> + 'a {
    csv::Reader::from_reader(csv_text.as_bytes())
        .into_deserialize()
        .map(|row| row.expect("vendored division table rows are well-formed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn names(text: &str) -> Vec<&str> {
        Gazetteer::global()
            .mentions(text)
            .iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn tables_load_completely() {
        let g = Gazetteer::global();
        assert_eq!(g.provinces.len(), 31);
        assert_eq!(g.counties.len(), 2978 + 26);
        let county = &g.counties_named("南岸区")[0];
        assert_eq!(county.city.as_deref(), Some("重庆市"));
        assert_eq!(county.province, "重庆市");
        assert_eq!(g.city_named("重庆市").unwrap().province, "重庆市");
        assert_eq!(g.city_named("梅州市").unwrap().province, "广东省");
        assert!(g.city_named("市辖区").is_none());
        assert!(g.city_named("省直辖县级行政区划").is_none());
        assert_eq!(g.counties_named("济源市")[0].city, None);
        assert_eq!(g.counties_named("鼓楼区").len(), 4);
        assert!(g.is_known_place("新县"));
        assert!(g.is_known_place("江苏省"));
        assert!(!g.is_known_place("新"));
        assert!(g.names().any(|n| n == "浦江县"));
    }

    #[test]
    fn functional_areas_are_county_level_units_under_their_city() {
        let g = Gazetteer::global();
        let county = |name: &str| {
            let found = g.counties_named(name);
            assert_eq!(found.len(), 1, "{name}");
            (found[0].city.clone(), found[0].province.clone())
        };
        let shenzhen = (Some("深圳市".to_string()), "广东省".to_string());
        for name in ["大鹏新区", "坪山新区", "光明新区", "龙华新区"] {
            assert_eq!(county(name), shenzhen);
        }
        assert_eq!(county("两江新区"), (Some("重庆市".into()), "重庆市".into()));
        assert_eq!(county("雄安新区"), (None, "河北省".into()));
        // An alias names the same unit, under its canonical name.
        let mentions = g.mentions("武汉东湖高新区管委会");
        let found: Vec<_> = mentions.iter().map(|m| m.name).collect();
        assert_eq!(found, ["东湖高新区"]);
        assert!(
            matches!(mentions[0].places[..], [Place::County(c)] if c.name == "东湖新技术开发区")
        );
        // The district a new district became is another unit.
        assert_eq!(names("坪山新区成立,坪山区挂牌"), ["坪山新区", "坪山区"]);
        assert_eq!(names("重庆两江新区,大连金普新区"), ["两江新区", "金普新区"]);
    }

    #[test]
    fn supplement_rows_are_sound() {
        let g = Gazetteer::global();
        let supplement = &g.counties[2978..];
        let national = supplement
            .iter()
            .filter(|c| c.code.starts_with('X'))
            .count();
        assert_eq!(national, supplement.len());
        let mut codes: Vec<&str> = g.counties.iter().map(|c| c.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), g.counties.len(), "codes are unique");
        for county in supplement {
            // No supplement name repeats a division's name.
            assert_eq!(g.counties_named(&county.name).len(), 1, "{}", county.name);
        }
        let new_areas = include_str!("gazetteer/functional_areas.csv")
            .lines()
            .filter(|line| line.contains(",国家级新区,"))
            .count();
        // 19 national new areas: 浦东新区, 滨海新区 and 兰州新区 are in the main table.
        assert_eq!(new_areas + 3, 19);
        assert!(["浦东新区", "滨海新区", "兰州新区"]
            .iter()
            .all(|n| g.is_known_place(n)));
    }

    #[test]
    fn the_matcher_finds_what_an_automaton_over_all_names_finds() {
        use aho_corasick::{AhoCorasick, MatchKind};
        let g = Gazetteer::global();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&g.names)
            .unwrap();
        let mut texts: Vec<String> = [
            include_str!("../../corpus/000_17297affa439b9c0.txt"),
            include_str!("../../corpus/001_2d60e079f71ee17a.txt"),
            include_str!("../../corpus/002_f4d1361488eadf97.txt"),
            include_str!("../../corpus/003_e0872561a26c69b6.txt"),
            include_str!("../../corpus/004_1ac7896f71e6ea67.txt"),
            "河北省安新县和湖北省阳新县,北京市朝阳区、长春市朝阳区,中共新县县委,新县城",
        ]
        .map(str::to_string)
        .into();
        let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev-corpus/shenzhen/docs");
        match std::fs::read_dir(&dev) {
            Ok(entries) => texts.extend(
                entries.filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok()),
            ),
            Err(_) => println!("skipping the dev corpus: {} is absent", dev.display()),
        }
        let mut found = 0;
        for text in &texts {
            for line in text.lines() {
                let expected: Vec<(usize, usize, usize)> = automaton
                    .find_iter(line)
                    .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                    .collect();
                let actual: Vec<(usize, usize, usize)> = g
                    .matcher
                    .find(line)
                    .iter()
                    .map(|f| (f.start, f.end, f.name))
                    .collect();
                assert_eq!(actual, expected, "{line}");
                found += actual.len();
            }
        }
        assert!(found > 50, "only {found} names found");
    }

    #[test]
    fn a_name_inside_a_longer_name_is_not_found() {
        assert_eq!(
            names("河北省安新县和湖北省阳新县"),
            ["河北省", "安新县", "湖北省", "阳新县"]
        );
        assert_eq!(names("安新县白洋淀"), ["安新县"]);
    }

    #[test]
    fn two_character_names_must_stand_alone() {
        assert_eq!(names("2024年,新县在市委、市政府的坚强领导下"), ["新县"]);
        assert_eq!(names("《新县行政执法办法》"), ["新县"]);
        assert_eq!(
            names("推进法治新县建设,重新县域规划,建设新县城"),
            Vec::<&str>::new()
        );
        assert_eq!(names("河南省信阳市新县"), ["河南省", "信阳市", "新县"]);
        assert_eq!(names("印发《中共新县县委全面依法治县"), ["新县"]);
    }

    #[test]
    fn common_nouns_are_not_places() {
        assert_eq!(names("推进老城区改造,城区和郊区、矿区"), Vec::<&str>::new());
        let mentions = Gazetteer::global().mentions("山西省阳泉市郊区");
        let county = mentions.last().unwrap();
        assert_eq!(county.name, "郊区");
        assert!(county.qualified);
        assert!(
            matches!(county.places[..], [Place::County(c)] if c.city.as_deref() == Some("阳泉市"))
        );
    }

    #[test]
    fn the_name_before_resolves_a_shared_name() {
        let g = Gazetteer::global();
        let cities = |text: &str| -> Vec<Option<String>> {
            g.mentions(text)
                .last()
                .unwrap()
                .places
                .iter()
                .map(|p| match p {
                    Place::County(c) => c.city.clone(),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(cities("长春市朝阳区"), [Some("长春市".to_string())]);
        assert_eq!(cities("北京市朝阳区"), [Some("北京市".to_string())]);
        assert_eq!(cities("朝阳区").len(), 2);
    }

    #[test]
    fn short_names_drop_the_suffix_only_when_enough_is_left() {
        assert_eq!(short_name("深圳市"), Some("深圳"));
        assert_eq!(short_name("广西壮族自治区"), Some("广西"));
        assert_eq!(short_name("广东省"), Some("广东"));
        assert_eq!(short_name("沙市"), None);
        assert_eq!(short_name("市辖区"), None);
    }
}
