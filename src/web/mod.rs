//! `fazhi serve`: the search page and its JSON API over HTTP, read-only.
//!
//! The page (HTML, CSS, JavaScript) is compiled into the binary and loads nothing from
//! elsewhere; the only files the server reads are the index's. Requests name reports by
//! the index's paths, which are looked up as terms, never opened.

mod api;
mod download;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use fazhi::Index;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const STYLE_CSS: &str = include_str!("page/style.css");

/// Nothing but the server's own files may load, and no page elsewhere may frame it.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Serves `index` on `addr` until interrupted. The first line printed is the page's
/// address (with the port chosen when `addr` asks for port 0).
///
/// The index follows commits by itself, so a `fazhi index` run meanwhile is served at the
/// next request.
pub fn serve(index: Index, addr: SocketAddr) -> anyhow::Result<()> {
    let index = Arc::new(index);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|err| anyhow::anyhow!("cannot listen on {addr}: {err}"))?;
        let bound = listener.local_addr()?;
        println!(
            "fazhi: serving http://{bound}/ (index {}); Ctrl-C stops",
            index.dir().display()
        );
        if !bound.ip().is_loopback() {
            eprintln!(
                "fazhi: warning: listening on {bound}, not only this machine: the page has no login, anyone who can reach this address can read the whole index"
            );
        }
        axum::serve(listener, router(index, bound))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

fn router(index: Arc<Index>, bound: SocketAddr) -> Router {
    let api = Router::new()
        .route("/api/search", get(api::search))
        .route("/api/mentions", get(api::mentions))
        .route("/api/mentions.csv", get(api::mentions_csv))
        .route("/api/reports", get(api::reports))
        .route("/api/show", get(api::show))
        .with_state(index);
    let mut router = Router::new()
        .route("/", get(|| page("text/html; charset=utf-8", INDEX_HTML)))
        .route(
            "/app.js",
            get(|| page("text/javascript; charset=utf-8", APP_JS)),
        )
        .route(
            "/style.css",
            get(|| page("text/css; charset=utf-8", STYLE_CSS)),
        )
        .merge(api)
        .fallback(|| async { api::ApiError::not_found("no such page or endpoint") })
        .layer(middleware::from_fn(security_headers));
    if bound.ip().is_loopback() {
        router = router.layer(middleware::from_fn(loopback_host_only));
    }
    router
}

async fn page(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// On loopback, answers only requests addressed to this machine by name: a web page
/// elsewhere that points its own host name at 127.0.0.1 (DNS rebinding) gets nothing.
async fn loopback_host_only(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    if matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
        next.run(request).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "this server answers requests to 127.0.0.1 or localhost only",
        )
            .into_response()
    }
}
