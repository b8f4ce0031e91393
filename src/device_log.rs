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

/// The outbox record of a log (not rate-limited: for what staff did on purpose).
pub fn entry(terminal_id: Uuid, level: LogLevel, category: &str, message: &str, context: Option<serde_json::Value>) -> Result<Entry, AppError> {
    let log = DeviceLog { id: Uuid::new_v4(), terminal_id, level, category: category.into(), message: message.into(), context, created_at: Utc::now() };
    let body = serde_json::to_string(&log).map_err(|e| AppError::Storage(e.to_string()))?;
    Ok(Entry::new(log.id, PushKind::DeviceLog, body, None, log.created_at))
}

/// Queues a log unless the rate limit holds it back. Never fails: a log that
/// cannot be written goes to the console instead.
pub async fn write(terminal_id: Uuid, level: LogLevel, category: &str, message: &str, context: Option<serde_json::Value>) {
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
        Ok(()) => crate::tabs::announce(),
        Err(e) => web_sys::console::error_1(&format!("device log not stored ({e}): {key}").into()),
    }
}
