//! Parsing what a user types in the search box into [`Clause`]s.
//!
//! The language is the one users expect from a search box: bare terms (any that are
//! present rank a paragraph higher, all of them highest), `"quoted phrase"` (exact,
//! adjacent, in order; Chinese quotes “…” work too), `+term` (required), `-term`
//! (excluded). Segmenting bare terms into words is the search stage's job, not this one's.
//!
//! A query longer than [`PASSAGE_CHARS`] is a passage pasted from a report, not typed:
//! its quote marks and signs are the report's own, so it is one [`Clause::Passage`] whose
//! quotes make nothing required.

use crate::chars::is_punctuation_or_space;
use crate::error::{Error, QueryProblem, Result};

/// One part of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A term typed without marks: contributes to ranking, not required.
    Term(String),
    /// A quoted phrase: required, matched exactly as a substring.
    Phrase(String),
    /// A `+term`: required, matched as a substring.
    Required(String),
    /// A `-term`: paragraphs containing it are excluded.
    Excluded(String),
    /// A long text pasted from a report: find the paragraphs most like it.
    Passage(String),
}

/// Above this many characters (spaces aside) a query is a pasted passage: people type a
/// few words or a question, and copy longer text.
pub const PASSAGE_CHARS: usize = 40;

impl Clause {
    /// The text of the clause, without its marks.
    pub fn text(&self) -> &str {
        match self {
            Clause::Term(t)
            | Clause::Phrase(t)
            | Clause::Required(t)
            | Clause::Excluded(t)
            | Clause::Passage(t) => t,
        }
    }

    /// The same kind of clause with another text.
    pub fn with_text(&self, text: String) -> Clause {
        match self {
            Clause::Term(_) => Clause::Term(text),
            Clause::Phrase(_) => Clause::Phrase(text),
            Clause::Required(_) => Clause::Required(text),
            Clause::Excluded(_) => Clause::Excluded(text),
            Clause::Passage(_) => Clause::Passage(text),
        }
    }
}

/// A parsed query: its clauses in the order typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// What the user typed.
    pub raw: String,
    /// The clauses, in order.
    pub clauses: Vec<Clause>,
}

fn opening_quote(ch: char) -> Option<char> {
    match ch {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        _ => None,
    }
}

impl Query {
    /// Parses a search query, or says in one line what is wrong with it.
    pub fn parse(raw: &str) -> Result<Query> {
        let error = |problem: QueryProblem| Error::Query {
            query: raw.to_string(),
            problem,
        };
        let typed = raw.chars().filter(|c| !c.is_whitespace()).count();
        if typed > PASSAGE_CHARS && !raw.chars().all(is_punctuation_or_space) {
            return Ok(Query {
                raw: raw.to_string(),
                clauses: vec![Clause::Passage(raw.trim().to_string())],
            });
        }
        let mut clauses = Vec::new();
        let mut chars = raw.chars().peekable();
        while let Some(&ch) = chars.peek() {
            if ch.is_whitespace() {
                chars.next();
                continue;
            }
            if let Some(close) = opening_quote(ch) {
                chars.next();
                let mut phrase = String::new();
                let mut closed = false;
                for next in chars.by_ref() {
                    if next == close || (close == '”' && next == '"') {
                        closed = true;
                        break;
                    }
                    phrase.push(next);
                }
                if !closed {
                    return Err(error(QueryProblem::UnbalancedQuote));
                }
                let phrase = phrase.trim();
                if phrase.chars().all(is_punctuation_or_space) {
                    return Err(error(QueryProblem::EmptyPhrase));
                }
                clauses.push(Clause::Phrase(phrase.to_string()));
                continue;
            }
            let mut word = String::new();
            while let Some(&next) = chars.peek() {
                if next.is_whitespace() || opening_quote(next).is_some() {
                    break;
                }
                word.push(next);
                chars.next();
            }
            let (mark, body) = match word.chars().next() {
                Some(m @ ('+' | '-' | '＋' | '－')) => (Some(m), &word[m.len_utf8()..]),
                _ => (None, word.as_str()),
            };
            if body.chars().all(is_punctuation_or_space) {
                continue;
            }
            clauses.push(match mark {
                Some('+' | '＋') => Clause::Required(body.to_string()),
                Some(_) => Clause::Excluded(body.to_string()),
                None => Clause::Term(body.to_string()),
            });
        }
        if clauses.is_empty() {
            return Err(error(if raw.trim().is_empty() {
                QueryProblem::Empty
            } else {
                QueryProblem::OnlyPunctuation
            }));
        }
        if clauses.iter().all(|c| matches!(c, Clause::Excluded(_))) {
            return Err(error(QueryProblem::OnlyExcludes));
        }
        Ok(Query {
            raw: raw.to_string(),
            clauses,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms_phrases_and_marks() {
        let parsed = Query::parse(r#"行政复议 "枫桥经验" +调解 -疫情"#).unwrap();
        assert_eq!(
            parsed.clauses,
            vec![
                Clause::Term("行政复议".into()),
                Clause::Phrase("枫桥经验".into()),
                Clause::Required("调解".into()),
                Clause::Excluded("疫情".into()),
            ]
        );
    }

    #[test]
    fn chinese_quotes_make_phrases() {
        let parsed = Query::parse("“八五”普法").unwrap();
        assert_eq!(
            parsed.clauses,
            vec![Clause::Phrase("八五".into()), Clause::Term("普法".into())]
        );
    }

    #[test]
    fn malformed_queries_are_errors_with_a_hint() {
        for bad in ["", "   ", "\"枫桥经验", "，。！", "-疫情", "\"  \""] {
            let err = Query::parse(bad).unwrap_err();
            assert!(matches!(err, Error::Query { .. }), "{bad:?}");
            assert!(err.is_usage());
        }
    }

    #[test]
    fn a_long_query_is_a_passage_whose_quotes_require_nothing() {
        let pasted = "医疗卫生体制改革持续深化，“三医联动”改革、药品和医用耗材集中采购改革等一批示范经验在全国全省推广";
        let parsed = Query::parse(pasted).unwrap();
        assert_eq!(parsed.clauses, vec![Clause::Passage(pasted.into())]);
        let short = Query::parse("“三医联动” 改革").unwrap();
        assert_eq!(short.clauses[0], Clause::Phrase("三医联动".into()));
    }

    #[test]
    fn punctuation_inside_a_term_is_kept() {
        let parsed = Query::parse("一村(社区)一法律顾问").unwrap();
        assert_eq!(
            parsed.clauses,
            vec![Clause::Term("一村(社区)一法律顾问".into())]
        );
    }
}
