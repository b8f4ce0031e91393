//! The built terminal (`dist/`) at `/`, with the caching a PWA needs.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// Serves `dist`; unknown paths get `index.html` so the app's routes reload.
pub fn service(dist: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(dist.join("index.html")))
}

/// Whether a file name carries Trunk's content hash (`name-<hex digits>[_bg].ext`;
/// Trunk prints a 64-bit hash without leading zeros, so it may be shorter than 16).
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default().trim_end_matches("_bg");
    stem.rsplit('-')
        .next()
        .is_some_and(|tail| tail.len() >= 12 && tail.chars().all(|c| c.is_ascii_hexdigit()))
}

/// What the terminal's pages may load: its own files, WebAssembly compiled
/// from them (`'wasm-unsafe-eval'`, never `'unsafe-eval'`), inline style
/// attributes (the virtualised list positions rows with them), and calls to
/// any back office (its address is a setting). `index.html` carries the same
/// policy, less `frame-ancestors`, in a meta tag for static hosts.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self' http: https:; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Hashed assets are immutable; everything else (index.html, the manifest,
/// the service worker) must be revalidated so an update is seen at once; API
/// answers are never stored.
/// Every page and file of the app carries the Content-Security-Policy.
pub async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let is_api = path.starts_with("/api/") || path.eq_ignore_ascii_case("/token");
    if is_api {
        // Customers, balances, tokens: no answer of the API is kept by a browser or a proxy.
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if response.status().is_success() {
        let value = if is_hashed(&path) { "public, max-age=31536000, immutable" } else { "no-cache" };
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn trunk_hashes_are_recognised() {
        assert!(super::is_hashed("/possum-terminal-4b1e2f9c0d3a7e65_bg.wasm"));
        assert!(super::is_hashed("/possum-terminal-4b1e2f9c0d3a7e65.js"));
        assert!(super::is_hashed("/main-0123456789abcdef.css"));
        assert!(super::is_hashed("/possum-terminal-c461de2a2a8395b_bg.wasm"));
        assert!(!super::is_hashed("/index.html"));
        assert!(!super::is_hashed("/sw.js"));
        assert!(!super::is_hashed("/manifest.webmanifest"));
        assert!(super::is_hashed("/boot-0123456789abcdef.js"));
    }

    #[test]
    fn index_html_carries_the_same_policy_as_the_header() {
        let html = include_str!("../../../../index.html");
        let meta = html
            .split("http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next());
        assert_eq!(
            meta.map(|m| format!("{m}; frame-ancestors 'none'")).as_deref(),
            Some(super::CONTENT_SECURITY_POLICY)
        );
    }
}
