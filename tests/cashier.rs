//! Cashier PINs and the lock, in headless Chromium (argon2 compiled to wasm).

use chrono::{Duration, Utc};
use possum_terminal::cashier::{verify_pin, PinLock, ATTEMPTS_BEFORE_LOCK};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// argon2id of "1234" with the back office's parameters, made by another implementation (argon2-cffi).
const HASH_OF_1234: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$vdfgGdWKUQc/TqViHr3SVQ$xpENLJdPeJmqNf9uK9Bb4ZIehORgJbuOw4+h2P4sh5Y";

#[wasm_bindgen_test]
fn a_pin_is_checked_against_its_salted_slow_hash() {
    assert!(verify_pin("1234", HASH_OF_1234));
    assert!(!verify_pin("1235", HASH_OF_1234));
    assert!(!verify_pin("1234", "not a hash"));
}

#[wasm_bindgen_test]
fn wrong_attempts_lock_and_the_lock_grows() {
    let now = Utc::now();
    let mut lock = PinLock::default();
    for _ in 1..ATTEMPTS_BEFORE_LOCK {
        lock = lock.failed(now);
        assert_eq!(lock.remaining(now), None);
    }
    lock = lock.failed(now);
    assert_eq!(lock.remaining(now), Some(30));
    assert_eq!(lock.failed(now).remaining(now), Some(60));
    assert_eq!(lock.remaining(now + Duration::seconds(31)), None, "the lock ends");
}
