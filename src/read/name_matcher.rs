//! Finds the names of a fixed set in a text, leftmost-longest and without overlaps, exactly as
//! an Aho-Corasick automaton in that mode would, for a set whose names end in a handful of
//! characters, as place names end in 县, 区, 市, 省, 旗, 州 or 盟.
//!
//! A DFA over the 3,300 place names takes 12 MB, and reading a report's first 16 KB through it
//! was the largest part of the metadata stage: with indexing threads beside it, its steps
//! mostly missed the cache. Here one SIMD pass (the aho-corasick crate's packed searcher)
//! finds the few ending characters, and at each one the names that end there are looked up by
//! their last two characters; the tables take a few hundred kilobytes.

use std::cmp::Reverse;
use std::collections::HashMap;

use aho_corasick::{packed, AhoCorasick, MatchKind};

/// A name found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Byte offset where the name starts.
    pub start: usize,
    /// Byte offset just after it.
    pub end: usize,
    /// Its index in the set the matcher was built from.
    pub name: usize,
}

/// The names of a set, indexed by how they end.
#[derive(Debug)]
pub struct NameMatcher {
    names: Vec<String>,
    /// Finds the characters some name ends with.
    endings: Endings,
    /// One-character names, by their character.
    single: HashMap<char, usize>,
    /// Longer names by their last two characters.
    by_last_two: HashMap<(char, char), Vec<usize>>,
}

/// The search for ending characters: SIMD where the processor has it, else an automaton
/// (the characters are distinct and cannot overlap, so either finds every one).
#[derive(Debug)]
enum Endings {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl NameMatcher {
    /// A matcher for `names`, which must be distinct and non-empty (the caller's tables are
    /// compiled in, so anything else is a build defect, caught by the tests).
    pub fn new(names: &[String]) -> NameMatcher {
        NameMatcher::build(names, true)
    }

    /// [`NameMatcher::new`], with the SIMD search for endings only if `simd` (and the
    /// processor has it).
    fn build(names: &[String], simd: bool) -> NameMatcher {
        let mut endings: Vec<char> = Vec::new();
        let mut single = HashMap::new();
        let mut by_last_two: HashMap<(char, char), Vec<usize>> = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let mut backwards = name.chars().rev();
            let last = backwards.next().expect("names are not empty");
            if !endings.contains(&last) {
                endings.push(last);
            }
            match backwards.next() {
                None => {
                    single.insert(last, i);
                }
                Some(before) => by_last_two.entry((before, last)).or_default().push(i),
            }
        }
        let endings: Vec<String> = endings.iter().map(char::to_string).collect();
        let endings = match packed::Searcher::new(&endings).filter(|_| simd) {
            Some(searcher) => Endings::Packed(searcher),
            None => Endings::Automaton(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&endings)
                    .expect("ending characters build a matcher"),
            ),
        };
        NameMatcher {
            names: names.to_vec(),
            endings,
            single,
            by_last_two,
        }
    }

    /// The names in `text`, in order: at each position the longest name starting there, the
    /// search going on after its end; a name inside or overlapping one found is not found.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut all = Vec::new();
        let mut at_ending = |start: usize, end: usize| {
            let Some(last) = text[start..end].chars().next() else {
                return;
            };
            if let Some(&name) = self.single.get(&last) {
                all.push(Found { start, end, name });
            }
            let Some(before) = text[..start].chars().next_back() else {
                return;
            };
            for &name in self.by_last_two.get(&(before, last)).into_iter().flatten() {
                let pattern = &self.names[name];
                if text[..end].ends_with(pattern.as_str()) {
                    all.push(Found {
                        start: end - pattern.len(),
                        end,
                        name,
                    });
                }
            }
        };
        match &self.endings {
            Endings::Packed(searcher) => searcher
                .find_iter(text)
                .for_each(|m| at_ending(m.start(), m.end())),
            Endings::Automaton(automaton) => automaton
                .find_iter(text)
                .for_each(|m| at_ending(m.start(), m.end())),
        }
        // Leftmost first, the longest of those starting together (two names of one span
        // would be one name), then on from its end.
        all.sort_unstable_by_key(|found| (found.start, Reverse(found.end)));
        let mut searched_to = 0;
        all.retain(|found| {
            let kept = found.start >= searched_to;
            if kept {
                searched_to = found.end;
            }
            kept
        });
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    /// What an Aho-Corasick automaton finds, leftmost-longest.
    fn automaton_finds(names: &[String], text: &str) -> Vec<Found> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(names)
            .unwrap()
            .find_iter(text)
            .map(|m| Found {
                start: m.start(),
                end: m.end(),
                name: m.pattern().as_usize(),
            })
            .collect()
    }

    /// The names found in `text`, checked against the automaton with and without SIMD.
    fn found_names<'n>(names: &'n [String], text: &str) -> Vec<&'n str> {
        let found = NameMatcher::new(names).find(text);
        assert_eq!(found, automaton_finds(names, text), "{text}");
        assert_eq!(NameMatcher::build(names, false).find(text), found, "{text}");
        found.iter().map(|f| names[f.name].as_str()).collect()
    }

    #[test]
    fn overlapping_and_nested_names_go_to_the_leftmost_longest() {
        let set = names(&[
            "新县",
            "安新县",
            "阳新县",
            "河北省",
            "北京市",
            "朝阳区",
            "京市",
            "市",
        ]);
        // A name inside a longer one is not found: 新县 in 安新县.
        assert_eq!(
            found_names(&set, "河北省安新县和阳新县"),
            ["河北省", "安新县", "阳新县"]
        );
        // Found here; whether 新县城 names a place is for the gazetteer to judge.
        assert_eq!(found_names(&set, "建设新县城"), ["新县"]);
        // 北京市 starts first; 京市 and 市 inside it are not found.
        assert_eq!(found_names(&set, "北京市朝阳区"), ["北京市", "朝阳区"]);
        // Overlapping, neither inside the other: the first to start wins.
        assert_eq!(found_names(&set, "北京市县"), ["北京市"]);
        assert_eq!(found_names(&set, "京市新县市"), ["京市", "新县", "市"]);
        assert_eq!(found_names(&set, ""), Vec::<&str>::new());
        assert_eq!(found_names(&set, "市"), ["市"]);
        assert_eq!(found_names(&set, "é😀新县\u{3000}市a"), ["新县", "市"]);
    }

    #[test]
    fn agrees_with_an_automaton_on_texts_made_of_name_pieces() {
        let set = names(&[
            "新县",
            "安新县",
            "新县城区",
            "城区",
            "区",
            "县城",
            "鼓楼区",
            "楼区",
            "ab",
            "abc",
            "bc",
            "c",
            "中山市",
            "山市",
            "中山",
            "市中区",
        ]);
        let pieces = [
            "新", "县", "安", "城", "区", "鼓", "楼", "a", "b", "c", "中", "山", "市", "，", " ",
            "😀",
        ];
        // A fixed pseudo-random sequence: every run tests the same texts.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let matcher = NameMatcher::new(&set);
        let without_simd = NameMatcher::build(&set, false);
        let mut checked = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 12) {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let found = matcher.find(&text);
            assert_eq!(found, automaton_finds(&set, &text), "{text}");
            assert_eq!(without_simd.find(&text), found, "{text}");
            checked += usize::from(!found.is_empty());
        }
        assert!(checked > 1000, "only {checked} texts held a name");
    }
}
