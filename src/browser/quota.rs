//! The browser's storage for this origin: asking that it is kept
//! (`navigator.storage.persist()`), and how much is used of what is allowed.

use crate::i18n::*;
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
    /// How much is used of what is allowed, and whether it is kept, in English.
    pub fn text(&self) -> String {
        self.text_in(Locale::en)
    }

    /// [`StorageHealth::text`] in `locale` (Swedish writes "1,5 MB").
    pub fn text_in(&self, locale: Locale) -> String {
        let mb = |b: f64, decimals: usize| {
            let text = format!("{:.*}", decimals, b / 1_048_576.0);
            match locale {
                Locale::sv => text.replace('.', ","),
                Locale::en => text,
            }
        };
        let (used, quota) = (mb(self.used_bytes, 1), mb(self.quota_bytes, 0));
        if self.persisted {
            td_string!(locale, sync.terminal.storage_kept, used = used, quota = quota)
        } else {
            td_string!(locale, sync.terminal.storage_may_clear, used = used, quota = quota)
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn storage_in_english_as_always_and_in_swedish_with_a_decimal_comma() {
        let h = StorageHealth { used_bytes: 1_572_864.0, quota_bytes: 2_147_483_648.0, persisted: true };
        assert_eq!(h.text(), "1.5 MB used of 2048 MB; kept by the browser");
        assert_eq!(h.text_in(Locale::sv), "1,5 MB använt av 2048 MB; webbläsaren behåller det");
        let h = StorageHealth { persisted: false, ..h };
        assert_eq!(h.text(), "1.5 MB used of 2048 MB; the browser may clear it under pressure");
    }
}
