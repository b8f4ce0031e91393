//! The browser's storage for this origin: asking that it is kept
//! (`navigator.storage.persist()`), and how much is used of what is allowed.

use wasm_bindgen_futures::JsFuture;

/// What the status shows about the tablet's storage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageHealth {
    pub used_bytes: f64,
    pub quota_bytes: f64,
    /// The browser promised not to evict the data under storage pressure.
    pub persisted: bool,
}

impl StorageHealth {
    pub fn text(&self) -> String {
        let mb = |b: f64| b / 1_048_576.0;
        format!(
            "{:.1} MB used of {:.0} MB{}",
            mb(self.used_bytes),
            mb(self.quota_bytes),
            if self.persisted {
                "; kept by the browser"
            } else {
                "; the browser may clear it under pressure"
            }
        )
    }
}

/// Asks the browser to keep this origin's data, then measures it. `None` when
/// the browser has no storage manager (the terminal still works).
pub async fn persist_and_measure() -> Option<StorageHealth> {
    let manager = web_sys::window()?.navigator().storage();
    let persisted = match manager.persist() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
        Err(_) => false,
    };
    let estimate: web_sys::StorageEstimate = JsFuture::from(manager.estimate().ok()?).await.ok()?.into();
    Some(StorageHealth {
        used_bytes: estimate.get_usage().unwrap_or(0.0),
        quota_bytes: estimate.get_quota().unwrap_or(0.0),
        persisted,
    })
}
