//! The JSON API: the CLI's commands over HTTP, answering with the fields of their
//! `--json` output (plus paging and filter counts where a page needs them).
//!
//! Parameters are checked here and refused with 400 and `{"error": "..."}`; index work
//! runs on tokio's blocking threads so that a long `mentions` never stalls the others.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use fazhi::{
    Error, Extent, Facets, Filters, GroupBy, GroupCount, Index, Marking, Matching, MentionCounts,
    MentioningParagraph, Query, SearchResults, SectionKind, YearRange, DEFAULT_CONTEXT,
};

use crate::export::{mention_rows, start_mentions_csv};
use crate::web::download::streamed;

/// Hits per page of search when the request does not say.
const DEFAULT_LIMIT: usize = 10;
/// The most hits or mentioning paragraphs one request may ask for.
const MAX_LIMIT: usize = 1000;
/// The deepest page: ranking more than this many hits to skip them is not worth it.
const MAX_OFFSET: usize = 100_000;
/// The most paragraphs shown around one.
const MAX_CONTEXT: usize = 1000;

/// A refusal or failure, sent as `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404 for anything the server does not have.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        let status = match err {
            Error::UnknownReport { .. } | Error::UnknownParagraph { .. } => StatusCode::NOT_FOUND,
            ref usage if usage.is_usage() => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: describe(&err),
        }
    }
}

/// A library error in one line, in the API's terms (parameters, not flags).
fn describe(error: &Error) -> String {
    match error {
        Error::UnknownPlace {
            tag,
            value,
            closest,
            ..
        } if !closest.is_empty() => format!(
            "{tag} {value}: no report in the index is from there; closest known: {}",
            closest.join(", ")
        ),
        Error::UnknownReport { .. } => format!("{error}: /api/reports lists the paths"),
        other => other.to_string(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: String,
        }
        (
            self.status,
            Json(Body {
                error: self.message,
            }),
        )
            .into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// The parameters of a request, each given at most once; empty values count as absent,
/// as an HTML form sends them.
struct Params(HashMap<String, String>);

const FILTER_PARAMS: [&str; 5] = ["province", "city", "county", "year", "section"];

impl Params {
    /// Parses the query string, refusing parameters not in `known` and repeated ones.
    fn parse(raw: Option<&str>, known: &[&str]) -> ApiResult<Params> {
        let mut params = HashMap::new();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            if !known.contains(&key.as_ref()) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {key:?}; this endpoint takes: {}",
                    known.join(", ")
                )));
            }
            if params
                .insert(key.to_string(), value.trim().to_string())
                .is_some()
            {
                return Err(ApiError::bad_request(format!(
                    "parameter {key:?} is given twice; give it once"
                )));
            }
        }
        params.retain(|_, value| !value.is_empty());
        Ok(Params(params))
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    fn required(&self, key: &str, what: &str) -> ApiResult<&str> {
        self.text(key)
            .ok_or_else(|| ApiError::bad_request(format!("parameter {key:?} is missing: {what}")))
    }

    /// A count in `0..=max`, or `default` when absent.
    fn count(&self, key: &str, default: usize, max: usize) -> ApiResult<usize> {
        let Some(text) = self.text(key) else {
            return Ok(default);
        };
        match text.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(ApiError::bad_request(format!(
                "parameter {key:?} is {text:?}: give a whole number from 0 to {max}"
            ))),
        }
    }

    /// A yes/no switch: `1`/`true` or `0`/`false`.
    fn switch(&self, key: &str) -> ApiResult<bool> {
        match self.text(key) {
            None | Some("0" | "false") => Ok(false),
            Some("1" | "true") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "parameter {key:?} is {other:?}: give 1 or 0"
            ))),
        }
    }

    fn filters(&self) -> ApiResult<Filters> {
        let year = self
            .text("year")
            .map(|text| {
                text.parse::<YearRange>().map_err(|_| {
                    ApiError::bad_request(format!(
                        "parameter \"year\" is {text:?}: give a year such as 2023 or a range such as 2021..2023"
                    ))
                })
            })
            .transpose()?;
        let section = self
            .text("section")
            .map(|name| {
                SectionKind::from_name(name).ok_or_else(|| {
                    let kinds: Vec<&str> = SectionKind::ALL.iter().map(|k| k.as_str()).collect();
                    ApiError::bad_request(format!(
                        "parameter \"section\" is {name:?}: give one of {}",
                        kinds.join(", ")
                    ))
                })
            })
            .transpose()?;
        Ok(Filters {
            county: self.text("county").map(str::to_string),
            city: self.text("city").map(str::to_string),
            province: self.text("province").map(str::to_string),
            year,
            section,
        })
    }

    fn matching(&self) -> ApiResult<Matching> {
        Ok(if self.switch("loose")? {
            Matching::Loose
        } else {
            Matching::Exact
        })
    }
}

fn known<'a>(own: &[&'a str]) -> Vec<&'a str> {
    own.iter().copied().chain(FILTER_PARAMS).collect()
}

/// Runs index work on a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        Err(ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "the request failed inside the server".into(),
        })
    })
}

/// `/api/search`: `search --json`'s fields, plus `offset`, `limit` and `facets` (hits per
/// filter choice).
pub async fn search(
    State(index): State<Arc<Index>>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let params = Params::parse(raw.as_deref(), &known(&["q", "limit", "offset"]))?;
    let parsed = Query::parse(params.required("q", "give the words to search for")?)?;
    let filters = params.filters()?;
    let limit = params.count("limit", DEFAULT_LIMIT, MAX_LIMIT)?;
    let offset = params.count("offset", 0, MAX_OFFSET)?;
    #[derive(Serialize)]
    struct Page {
        #[serde(flatten)]
        results: SearchResults,
        offset: usize,
        limit: usize,
        facets: Facets,
    }
    blocking(move || {
        let results = index.search_page(&parsed, &filters, offset, limit)?;
        let facets = index.facets(&parsed, &filters)?;
        Ok(Json(Page {
            results,
            offset,
            limit,
            facets,
        })
        .into_response())
    })
    .await
}

const MENTIONS_PARAMS: [&str; 5] = ["q", "by", "loose", "limit", "offset"];

fn group_by(name: &str) -> ApiResult<GroupBy> {
    Ok(match name {
        "county" => GroupBy::County,
        "city" => GroupBy::City,
        "province" => GroupBy::Province,
        "year" => GroupBy::Year,
        "section" => GroupBy::Section,
        other => {
            return Err(ApiError::bad_request(format!(
                "parameter \"by\" is {other:?}: give county, city, province, year or section"
            )))
        }
    })
}

/// The mentions of the request's phrase per value of each tag the page charts and
/// filters by, as `mentions --by TAG` counts them (rates and, for years, zeros included).
#[derive(Serialize)]
struct MentionFacets {
    province: Vec<GroupCount>,
    city: Vec<GroupCount>,
    county: Vec<GroupCount>,
    year: Vec<GroupCount>,
    section: Vec<GroupCount>,
}

/// What the page shows of the request's phrase (`q`, `loose`, filters): the counts in all,
/// per value of each tag (and per `by` when asked), all from one pass over the mentions,
/// and the page of mentioning paragraphs `offset..offset + limit`, read no further.
async fn mention_page(
    index: Arc<Index>,
    params: &Params,
    by: Option<GroupBy>,
    offset: usize,
    limit: usize,
) -> ApiResult<(
    MentionCounts,
    MentionFacets,
    Option<Vec<GroupCount>>,
    Vec<MentioningParagraph>,
)> {
    let phrase = params.required("q", "give the phrase to find")?.to_string();
    let filters = params.filters()?;
    let matching = params.matching()?;
    blocking(move || {
        let tags = [
            GroupBy::Province,
            GroupBy::City,
            GroupBy::County,
            GroupBy::Year,
            GroupBy::Section,
        ];
        let bys: Vec<Option<GroupBy>> = std::iter::once(None)
            .chain(tags.map(Some))
            .chain(by.map(Some))
            .collect();
        let mut counts = index
            .count_mentions_by(&phrase, &filters, matching, &bys)?
            .into_iter();
        let mut next = || counts.next().expect("one count per grouping asked for");
        let all = next();
        let facets = MentionFacets {
            province: next().groups,
            city: next().groups,
            county: next().groups,
            year: next().groups,
            section: next().groups,
        };
        let groups = by.map(|_| next().groups);
        let page = index.mention_page(&phrase, &filters, matching, offset, limit)?;
        Ok((all, facets, groups, page))
    })
    .await
}

/// `/api/mentions`: `mentions --json`'s fields (`groups` with `by`), plus `facets`
/// (mentions per tag value); `limit` and `offset` page `paragraphs`, all of them by
/// default.
pub async fn mentions(
    State(index): State<Arc<Index>>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let params = Params::parse(raw.as_deref(), &known(&MENTIONS_PARAMS))?;
    let by = params.text("by").map(group_by).transpose()?;
    let limit = match params.text("limit") {
        Some(_) => params.count("limit", 0, MAX_LIMIT)?,
        None => usize::MAX,
    };
    let offset = params.count("offset", 0, MAX_OFFSET)?;
    let (counts, facets, groups, paragraphs) =
        mention_page(index, &params, by, offset, limit).await?;
    #[derive(Serialize)]
    struct Page<'a> {
        phrase: &'a str,
        total: u64,
        reports: u64,
        paragraph_count: u64,
        paragraphs: &'a [MentioningParagraph],
        #[serde(skip_serializing_if = "Option::is_none")]
        groups: Option<Vec<GroupCount>>,
        offset: usize,
        facets: MentionFacets,
    }
    Ok(Json(Page {
        phrase: &counts.phrase,
        total: counts.total,
        reports: counts.reports,
        paragraph_count: counts.paragraphs,
        paragraphs: &paragraphs,
        groups,
        offset,
        facets,
    })
    .into_response())
}

/// `/api/mentions.csv`: `mentions --csv` as a download, with a byte-order mark so that
/// spreadsheet programs read it as UTF-8.
pub async fn mentions_csv(
    State(index): State<Arc<Index>>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let params = Params::parse(raw.as_deref(), &known(&["q", "loose"]))?;
    let phrase = params.required("q", "give the phrase to find")?.to_string();
    let filters = params.filters()?;
    let matching = params.matching()?;
    let disposition = format!(
        "attachment; filename=\"mentions.csv\"; filename*=UTF-8''{}.csv",
        rfc5987(&phrase)
    );
    let body = streamed(move |out| {
        start_mentions_csv(&mut *out)?;
        index.each_mention(&phrase, &filters, matching, mention_rows, |_, rows| {
            out.write_all(rows)
        })?;
        Ok(())
    })
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .map_err(|_| ApiError::bad_request("the phrase cannot name a file"))?,
            ),
        ],
        body,
    )
        .into_response())
}

/// Percent-encodes `text` for a `filename*` header parameter (RFC 5987): the phrase names
/// the downloaded file, in any script.
fn rfc5987(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// `/api/reports`: `reports --json`.
pub async fn reports(
    State(index): State<Arc<Index>>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    Params::parse(raw.as_deref(), &[])?;
    #[derive(Serialize)]
    struct Reports<'a> {
        reports: &'a [fazhi::ReportRecord],
    }
    blocking(move || {
        let reports = index.reports()?;
        Ok(Json(Reports { reports: &reports }).into_response())
    })
    .await
}

/// `/api/show`: `show --json` for `path` (and `paragraph`, `context`), marking what `q`
/// (a search query) or `phrase` (a mention, `loose` or not) finds.
pub async fn show(State(index): State<Arc<Index>>, RawQuery(raw): RawQuery) -> ApiResult<Response> {
    let params = Params::parse(
        raw.as_deref(),
        &["path", "paragraph", "context", "q", "phrase", "loose"],
    )?;
    let path = params
        .required("path", "give a report's path as /api/reports lists it")?
        .to_string();
    let extent = match params.text("paragraph") {
        None => Extent::Whole,
        Some(_) => Extent::Around {
            paragraph: params.count("paragraph", 0, u32::MAX as usize)? as u32,
            context: params.count("context", DEFAULT_CONTEXT as usize, MAX_CONTEXT)? as u32,
        },
    };
    let marking = match (params.text("q"), params.text("phrase")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "give either \"q\" (a search query) or \"phrase\" (a mention), not both",
            ))
        }
        (Some(q), None) => Marking::Query(Query::parse(q)?),
        (None, Some(phrase)) => Marking::Mentions {
            phrase: phrase.to_string(),
            matching: params.matching()?,
        },
        (None, None) => Marking::Nothing,
    };
    blocking(move || Ok(Json(index.show(&path, extent, &marking)?).into_response())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked() {
        let known = known(&["q", "limit"]);
        let params = Params::parse(Some("q=%E6%9E%AB&limit=5&province="), &known).unwrap();
        assert_eq!(params.text("q"), Some("枫"));
        assert_eq!(params.text("province"), None);
        assert_eq!(params.count("limit", 10, 100).ok(), Some(5));
        assert_eq!(params.count("offset", 7, 100).ok(), Some(7));
        assert!(Params::parse(Some("q=a&q=b"), &known).is_err());
        assert!(Params::parse(Some("path=../x"), &known).is_err());
        let params = Params::parse(Some("limit=-1&year=2023..2021&section=x"), &known).unwrap();
        assert!(params.count("limit", 10, 100).is_err());
        assert!(params.filters().is_err());
    }

    #[test]
    fn file_names_are_encoded_for_headers() {
        assert_eq!(rfc5987("枫桥 a"), "%E6%9E%AB%E6%A1%A5%20a");
    }
}
