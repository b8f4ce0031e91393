//! Device logs: failures worth a look on the back office, queued like any
//! other record (`PostDeviceLog`) and rate-limited so a fault loop cannot
//! flood the outbox.

use crate::error::AppError;
use crate::storage::Storage;
use chrono::Utc;
use possum_contract::activity::{DeviceLog, LogLevel};
use possum_contract::endpoints::PushKind;
use possum_register::outbox::Entry;
use possum_register::ratelimit::RateLimit;
use std::cell::RefCell;
use uuid::Uuid;

thread_local! {
    /// The same message once a minute at most; 30 logs an hour in all.
    static LIMIT: RefCell<RateLimit> = RefCell::new(RateLimit::new(60_000.0, 30));
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Where a panic leaves its message: the wasm instance cannot run async code
/// after a panic, so the hook writes synchronously and the next start queues it.
const PANIC_KEY: &str = "possum-panics";
/// Panics kept until the next start (a crash loop must not fill the disk).
const PANICS_KEPT: usize = 5;

/// Shows panics in the console and keeps them for [`report_panics`].
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
        let mut kept: Vec<serde_json::Value> = storage
            .get_item(PANIC_KEY)
            .ok()
            .flatten()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        kept.push(serde_json::json!({ "message": info.to_string(), "at": Utc::now() }));
        let start = kept.len().saturating_sub(PANICS_KEPT);
        let _ = storage.set_item(PANIC_KEY, &serde_json::Value::Array(kept.split_off(start)).to_string());
    }));
}

/// Queues the panics of earlier runs as device logs, then forgets them.
pub async fn report_panics(terminal_id: Uuid) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    let Some(text) = storage.get_item(PANIC_KEY).ok().flatten() else { return };
    let kept: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_default();
    let entries: Result<Vec<Entry>, AppError> = kept
        .into_iter()
        .map(|p| {
            let message = p.get("message").and_then(|m| m.as_str()).unwrap_or("a panic").to_string();
            entry(terminal_id, LogLevel::Error, "panic", &message, Some(p))
        })
        .collect();
    let queued = async { Storage::open_default().await?.enqueue(&entries?).await }.await;
    match queued {
        Ok(()) => {
            let _ = storage.remove_item(PANIC_KEY);
        }
        Err(e) => web_sys::console::error_1(&format!("panics not queued: {e}").into()),
    }
}

/// The outbox record of a log (not rate-limited: for what staff did on purpose).
pub fn entry(
    terminal_id: Uuid,
    level: LogLevel,
    category: &str,
    message: &str,
    context: Option<serde_json::Value>,
) -> Result<Entry, AppError> {
    let log = DeviceLog {
        id: Uuid::new_v4(),
        terminal_id,
        level,
        category: category.into(),
        message: message.into(),
        context,
        created_at: Utc::now(),
    };
    let body = serde_json::to_string(&log)?;
    Ok(Entry::new(log.id, PushKind::DeviceLog, body, None, log.created_at))
}

/// Queues a log unless the rate limit holds it back. Never fails: a log that
/// cannot be written goes to the console instead.
pub async fn write(
    terminal_id: Uuid,
    level: LogLevel,
    category: &str,
    message: &str,
    context: Option<serde_json::Value>,
) {
    let key = format!("{category}: {message}");
    let (allowed, suppressed) = LIMIT.with(|l| {
        let mut l = l.borrow_mut();
        let allowed = l.allow(&key, now_ms());
        let suppressed = if allowed { std::mem::take(&mut l.suppressed) } else { 0 };
        (allowed, suppressed)
    });
    if !allowed {
        return;
    }
    let mut context = context.unwrap_or(serde_json::Value::Null);
    if suppressed > 0 {
        context = serde_json::json!({ "context": context, "suppressed_before": suppressed });
    }
    let queued = async {
        let entry = entry(terminal_id, level, category, message, (!context.is_null()).then_some(context))?;
        Storage::open_default().await?.enqueue(&[entry]).await
    }
    .await;
    match queued {
        Ok(()) => {}
        Err(e) => web_sys::console::error_1(&format!("device log not stored ({e}): {key}").into()),
    }
}
