//! Cashier sign-in on the terminal, also offline: by cashier card or by PIN
//! against the synced users. A PIN is checked against its argon2 hash and is
//! never stored or sent; repeated wrong attempts lock the screen for a while.
//! Each sign-in and sign-out is staff time for the back office
//! (`sync::employee_log`): a switch of cashier is the one's sign-out, then
//! the other's sign-in.

use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::storage::Storage;
use crate::sync::employee_log;
use argon2::{PasswordHash, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use possum_contract::activity::EmployeeEvent;
use possum_contract::catalogue::{Permission, Role, User};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const CASHIER_KEY: &str = "cashier";
const LOCK_KEY: &str = "pin-lock";
/// Followed by `:` and the manager's id: a lock of offline approvals per manager.
const APPROVAL_LOCK_KEY: &str = "approval-lock";
/// Wrong attempts in a row before the screen locks.
pub const ATTEMPTS_BEFORE_LOCK: u32 = 3;
const FIRST_LOCK_SECONDS: i64 = 30;
const MAX_LOCK_SECONDS: i64 = 600;

/// The signed-in cashier, recorded on every sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cashier {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub card: Option<String>,
}

impl Cashier {
    pub fn may(&self, permission: Permission) -> bool {
        self.role.may(permission)
    }
}

impl From<&User> for Cashier {
    fn from(user: &User) -> Self {
        Self { id: user.id, name: user.name.clone(), role: user.role, card: user.cashier_card_number.clone() }
    }
}

/// Wrong attempts and the lock they caused; kept in IndexedDB so a reload does not lift it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinLock {
    pub failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

impl PinLock {
    /// Seconds left of the lock at `now`, if locked.
    pub fn remaining(&self, now: DateTime<Utc>) -> Option<i64> {
        self.locked_until.filter(|until| *until > now).map(|until| (until - now).num_seconds().max(1))
    }

    /// After a wrong attempt: from the third on, lock 30 s, doubling up to ten minutes.
    pub fn failed(&self, now: DateTime<Utc>) -> PinLock {
        let failures = self.failures + 1;
        let locked_until = (failures >= ATTEMPTS_BEFORE_LOCK).then(|| {
            let doublings = (failures - ATTEMPTS_BEFORE_LOCK).min(10);
            now + Duration::seconds((FIRST_LOCK_SECONDS << doublings).min(MAX_LOCK_SECONDS))
        });
        PinLock { failures, locked_until }
    }
}

pub fn verify_pin(pin: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .is_ok_and(|hash| argon2::Argon2::default().verify_password(pin.as_bytes(), &hash).is_ok())
}

/// The staff on the tablet who may approve `permission` (the managers among
/// the cached users), by name.
pub async fn approvers(storage: &Storage, permission: Permission) -> Result<Vec<User>, AppError> {
    let mut users: Vec<User> = storage.all().await?;
    users.retain(|u| u.active && u.role.may(permission));
    users.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(users)
}

/// Why a sign-in or a manager's PIN on the tablet was refused; `text` words
/// it in the screen's language (the logic knows no screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The sign-in is locked after too many wrong attempts.
    Locked { seconds: i64 },
    /// No staff list pulled yet: nobody can be recognised.
    NoStaffYet,
    /// No active cashier has that card or PIN; the attempt may have locked the screen.
    NotRecognised { locked_for: Option<i64> },
    /// `name`'s offline approvals are locked after too many wrong PINs.
    ApprovalLocked { name: String, seconds: i64 },
    /// Not `name`'s PIN; the attempt may have locked their approvals.
    WrongPin { name: String, locked_for: Option<i64> },
}

impl Refusal {
    pub fn text(&self, locale: Locale) -> String {
        match self {
            Refusal::Locked { seconds } => td_string!(locale, start.cashier.locked, seconds = seconds),
            Refusal::NoStaffYet => td_string!(locale, start.cashier.no_staff_yet).to_string(),
            Refusal::NotRecognised { locked_for: None } => {
                td_string!(locale, start.cashier.not_recognised).to_string()
            }
            Refusal::NotRecognised { locked_for: Some(seconds) } => {
                td_string!(locale, start.cashier.not_recognised_locked, seconds = seconds)
            }
            Refusal::ApprovalLocked { name, seconds } => {
                td_string!(locale, start.approval.locked, name = name, seconds = seconds)
            }
            Refusal::WrongPin { name, locked_for: None } => {
                td_string!(locale, start.approval.wrong_pin, name = name)
            }
            Refusal::WrongPin { name, locked_for: Some(seconds) } => {
                td_string!(locale, start.approval.wrong_pin_locked, name = name, seconds = seconds)
            }
        }
    }

    fn error(self, locale: Locale) -> AppError {
        AppError::Invalid(self.text(locale))
    }
}

/// [`verify_offline_in`] worded in English: what `sync::approval` calls
/// until it passes the screen's language.
pub async fn verify_offline(storage: &Storage, user: &User, pin: &str) -> Result<(), AppError> {
    verify_offline_in(storage, user, pin, Locale::en).await
}

/// Checks a manager's PIN on the tablet alone (an approval while the back
/// office cannot be reached) against the hash pulled with the staff list.
/// Wrong PINs lock that manager's approvals on this tablet as they lock the
/// sign-in, so the tablet is no faster a guessing machine than the back office.
/// A refusal is worded in `locale`.
pub async fn verify_offline_in(
    storage: &Storage,
    user: &User,
    pin: &str,
    locale: Locale,
) -> Result<(), AppError> {
    let key = format!("{APPROVAL_LOCK_KEY}:{}", user.id);
    let now = Utc::now();
    let lock: PinLock = storage.load_value(&key).await?.unwrap_or_default();
    if let Some(seconds) = lock.remaining(now) {
        return Err(Refusal::ApprovalLocked { name: user.name.clone(), seconds }.error(locale));
    }
    if user.active && user.pin_hash.as_deref().is_some_and(|h| verify_pin(pin, h)) {
        storage.remove_value(&key).await?;
        return Ok(());
    }
    let next = lock.failed(now);
    storage.save_value(&key, &next).await?;
    Err(Refusal::WrongPin { name: user.name.clone(), locked_for: next.remaining(now) }.error(locale))
}

/// What the cashier typed or swiped.
pub enum Credential {
    Card(String),
    Pin(String),
}

async fn find_user(storage: &Storage, credential: &Credential) -> Result<Option<User>, AppError> {
    match credential {
        Credential::Card(card) => {
            Ok(storage.find::<User>("by_card", card.trim()).await?.filter(|u| u.active))
        }
        // A PIN names nobody: it is tried against every active user's hash.
        Credential::Pin(pin) => {
            let users: Vec<User> = storage.all().await?;
            Ok(users
                .into_iter()
                .filter(|u| u.active)
                .find(|u| u.pin_hash.as_deref().is_some_and(|h| verify_pin(pin, h))))
        }
    }
}

/// Signs a cashier in, honouring and updating the lock; a refusal is worded in `locale`.
pub async fn sign_in(storage: &Storage, credential: Credential, locale: Locale) -> Result<Cashier, AppError> {
    let now = Utc::now();
    let lock: PinLock = storage.load_value(LOCK_KEY).await?.unwrap_or_default();
    if let Some(seconds) = lock.remaining(now) {
        return Err(Refusal::Locked { seconds }.error(locale));
    }
    // Before the first pull there is nobody to recognise: that is no wrong attempt.
    if storage.count(possum_contract::endpoints::PullModule::Users).await? == 0 {
        return Err(Refusal::NoStaffYet.error(locale));
    }
    match find_user(storage, &credential).await? {
        Some(user) => {
            let cashier = Cashier::from(&user);
            storage.remove_value(LOCK_KEY).await?;
            record(storage, EmployeeEvent::SignIn, cashier.id).await?;
            storage.save_value(CASHIER_KEY, &cashier).await?;
            Ok(cashier)
        }
        None => {
            let next = lock.failed(now);
            storage.save_value(LOCK_KEY, &next).await?;
            Err(Refusal::NotRecognised { locked_for: next.remaining(now) }.error(locale))
        }
    }
}

pub async fn current(storage: &Storage) -> Result<Option<Cashier>, AppError> {
    storage.load_value(CASHIER_KEY).await
}

/// Signs the cashier on duty out (recorded as their sign-out).
pub async fn sign_out(storage: &Storage) -> Result<(), AppError> {
    if let Some(cashier) = current(storage).await? {
        record(storage, EmployeeEvent::SignOut, cashier.id).await?;
    }
    storage.remove_value(CASHIER_KEY).await
}

/// Queues `event` of `user` as staff time, from this terminal. A tablet
/// without a session (signed out under the cashier) has no terminal to
/// name, and nothing to send it with: nothing is recorded then.
async fn record(storage: &Storage, event: EmployeeEvent, user: Uuid) -> Result<(), AppError> {
    match storage.load_session().await? {
        Some(session) => employee_log::record(session.terminal_id, event, user).await.map(|_| ()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn refusals_in_english_as_the_tests_read_them() {
        let en = |r: Refusal| r.text(Locale::en);
        assert_eq!(
            en(Refusal::Locked { seconds: 30 }),
            "Too many wrong attempts. The screen is locked for 30 more seconds."
        );
        assert_eq!(
            en(Refusal::NotRecognised { locked_for: None }),
            "Not recognised: check the card or PIN and try again."
        );
        assert_eq!(
            en(Refusal::NotRecognised { locked_for: Some(30) }),
            "Not recognised. Too many wrong attempts: locked for 30 seconds."
        );
        let name = "Magnus Manager".to_string();
        assert_eq!(
            en(Refusal::WrongPin { name: name.clone(), locked_for: None }),
            "That is not Magnus Manager's PIN."
        );
        assert_eq!(
            en(Refusal::ApprovalLocked { name, seconds: 60 }),
            "Too many wrong PINs for Magnus Manager. Try again in 60 seconds."
        );
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn refusals_in_swedish() {
        assert_eq!(
            Refusal::NotRecognised { locked_for: Some(30) }.text(Locale::sv),
            "Känns inte igen. För många felaktiga försök: låst i 30 sekunder."
        );
        assert_eq!(
            Refusal::WrongPin { name: "Magnus Manager".into(), locked_for: None }.text(Locale::sv),
            "Fel PIN-kod för Magnus Manager."
        );
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn the_third_wrong_attempt_locks_for_thirty_seconds_then_doubles() {
        let now = Utc::now();
        let once = PinLock::default().failed(now).failed(now);
        assert_eq!(once.remaining(now), None);
        let locked = once.failed(now);
        assert_eq!(locked.remaining(now), Some(30));
        assert_eq!(locked.failed(now).remaining(now), Some(60));
    }
}
