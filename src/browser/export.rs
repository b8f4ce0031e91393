//! Saving what the terminal has not sent to a file (staff with the right
//! role), through the browser's download: nothing leaves the tablet otherwise.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use possum_register::outbox::Entry;
use uuid::Uuid;
use wasm_bindgen::JsCast;

pub struct ExportFile {
    pub name: String,
    pub json: String,
}

/// The unsent and refused records (`entries`, and the rows that no longer
/// parse) as a JSON file.
pub fn unsent_records(
    terminal_id: Uuid,
    entries: &[(u64, Entry)],
    unreadable: &[(u64, String)],
    now: DateTime<Utc>,
) -> ExportFile {
    let value = possum_register::outbox::export(terminal_id, entries, unreadable, now);
    let json = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    ExportFile {
        name: format!("possum-unsent-{}-{}.json", terminal_id.simple(), now.format("%Y%m%d-%H%M%S")),
        json,
    }
}

/// Offers `json` as a download named `name`.
pub fn download(name: &str, json: &str) -> Result<(), AppError> {
    let failed =
        |e: wasm_bindgen::JsValue| AppError::Browser(format!("The export could not be saved: {e:?}"));
    let parts = js_sys::Array::of1(&json.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or_else(|| failed("no document".into()))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(failed)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url).map_err(failed)
}
