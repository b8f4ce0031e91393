//! Keeps a fault loop from flooding the outbox with device logs: the same
//! message at most once per quiet period, and a cap per hour overall.

use std::collections::HashMap;

pub struct RateLimit {
    quiet_ms: f64,
    per_hour: usize,
    last_by_key: HashMap<String, f64>,
    recent: Vec<f64>,
    /// Logs held back since the last one let through (reported with the next).
    pub suppressed: u32,
}

impl RateLimit {
    pub fn new(quiet_ms: f64, per_hour: usize) -> Self {
        Self { quiet_ms, per_hour, last_by_key: HashMap::new(), recent: Vec::new(), suppressed: 0 }
    }

    /// Whether a log with `key` may be written at `now_ms`.
    pub fn allow(&mut self, key: &str, now_ms: f64) -> bool {
        const HOUR_MS: f64 = 3_600_000.0;
        self.recent.retain(|t| now_ms - t < HOUR_MS);
        let repeated = self.last_by_key.get(key).is_some_and(|t| now_ms - t < self.quiet_ms);
        if repeated || self.recent.len() >= self.per_hour {
            self.suppressed += 1;
            return false;
        }
        self.last_by_key.insert(key.to_string(), now_ms);
        self.recent.push(now_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_message_waits_for_the_quiet_period() {
        let mut r = RateLimit::new(60_000.0, 100);
        assert!(r.allow("sync: 500", 0.0));
        assert!(!r.allow("sync: 500", 30_000.0));
        assert!(r.allow("sync: 404", 30_000.0));
        assert!(r.allow("sync: 500", 61_000.0));
        assert_eq!(r.suppressed, 1);
    }

    #[test]
    fn a_loop_of_different_messages_hits_the_hourly_cap() {
        let mut r = RateLimit::new(60_000.0, 20);
        let allowed = (0..1000).filter(|i| r.allow(&format!("fault {i}"), f64::from(*i))).count();
        assert_eq!(allowed, 20);
        assert!(r.allow("later", 3_600_001.0));
    }
}
