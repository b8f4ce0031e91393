//! When to try the back office again after failures in a row.
//!
//! A pure type so the flush's rules test natively: the sync controller in the
//! terminal owns one and asks it before every automatic flush.

/// Transient failures in a row and the earliest time the next automatic try may run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Backoff {
    failures: u32,
    not_before_ms: f64,
}

impl Backoff {
    /// The first wait after a failure is about two seconds; it doubles up to five minutes.
    pub const BASE_MS: u64 = 2_000;
    pub const CAP_MS: u64 = 300_000;

    pub fn new() -> Self {
        Self::default()
    }

    /// Records a transient failure at `now_ms`; answers the wait in milliseconds.
    /// `random` (0..1) spreads a shop's terminals so they do not all come back at once.
    pub fn failed(&mut self, now_ms: f64, random: f64) -> u64 {
        self.failures = self.failures.saturating_add(1);
        let wait = wait_ms(self.failures, random);
        self.not_before_ms = now_ms + wait as f64;
        wait
    }

    /// The back office answered: the next try may run at once.
    pub fn succeeded(&mut self) {
        *self = Self::default();
    }

    /// Whether an automatic try may run at `now_ms` (a try staff asked for always may).
    pub fn may_run(&self, now_ms: f64) -> bool {
        now_ms >= self.not_before_ms
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// When the next automatic try may run (milliseconds since the epoch; 0 when at once).
    pub fn not_before_ms(&self) -> f64 {
        self.not_before_ms
    }
}

/// The wait after `failures` transient failures in a row: exponential from
/// two seconds, capped at five minutes, with jitter (`random` in 0..1): half
/// the full wait plus up to the other half.
pub fn wait_ms(failures: u32, random: f64) -> u64 {
    if failures == 0 {
        return 0;
    }
    let full = Backoff::BASE_MS.saturating_mul(1 << (failures - 1).min(20)).min(Backoff::CAP_MS);
    full / 2 + (full as f64 / 2.0 * random.clamp(0.0, 1.0)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_exponentially_with_jitter_and_stop_at_five_minutes() {
        assert_eq!(wait_ms(0, 0.5), 0);
        assert_eq!((wait_ms(1, 0.0), wait_ms(1, 1.0)), (1_000, 2_000));
        assert_eq!((wait_ms(3, 0.0), wait_ms(3, 1.0)), (4_000, 8_000));
        assert_eq!(wait_ms(30, 1.0), 300_000);
        assert_eq!(wait_ms(30, 0.0), 150_000);
        assert_eq!(wait_ms(u32::MAX, 2.0), 300_000);
    }

    #[test]
    fn a_failure_holds_automatic_tries_back_until_its_wait_has_passed() {
        let mut backoff = Backoff::new();
        assert!(backoff.may_run(0.0));
        let wait = backoff.failed(10_000.0, 0.0);
        assert_eq!((wait, backoff.failures()), (1_000, 1));
        assert!(!backoff.may_run(10_999.0));
        assert!(backoff.may_run(11_000.0));
        assert_eq!(backoff.failed(11_000.0, 0.0), 2_000);
        backoff.succeeded();
        assert_eq!((backoff.failures(), backoff.may_run(0.0)), (0, true));
    }
}
