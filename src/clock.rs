//! Times as staff read them: in the tablet's own time zone. Everything is
//! stored and sent in UTC; only what a person reads (receipts, the history,
//! reports, the status line) is turned into local time, at the last moment.

use chrono::{DateTime, Local, Utc};

fn local(t: DateTime<Utc>, format: &str) -> String {
    t.with_timezone(&Local).format(format).to_string()
}

/// `14:03:27`
pub fn time(t: DateTime<Utc>) -> String {
    local(t, "%H:%M:%S")
}

/// `14:03`
pub fn hour_minute(t: DateTime<Utc>) -> String {
    local(t, "%H:%M")
}

/// `2026-12-01 14:03`
pub fn date_time(t: DateTime<Utc>) -> String {
    local(t, "%Y-%m-%d %H:%M")
}
