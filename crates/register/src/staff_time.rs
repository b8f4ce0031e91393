//! Staff time at the till: clock-in and clock-out, and the cashier's
//! sign-in, sign-out and switch, each an `EmployeeLog` queued in the outbox
//! (`POST /api/Callback/PostEmployeeLog`, after the device logs).
//!
//! The tablet remembers each person's last clock event here, so the screen
//! shows "Clock in" or "Clock out" and a second tap of the same is refused
//! with a message instead of queued. A person last seen clocking in on
//! another tablet is unknown here: their clock-out is accepted (the back
//! office pairs each clock-in with the next clock-out, wherever it was).

use crate::outbox::Entry;
use chrono::{DateTime, Utc};
use possum_contract::activity::{EmployeeEvent, EmployeeLog};
use possum_contract::endpoints::PushKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person's last clock event on this tablet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastClock {
    pub user_id: Uuid,
    /// `ClockIn` or `ClockOut`.
    pub event: EmployeeEvent,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// Clocked in on this tablet already, at this time.
    #[error("You are clocked in already.")]
    AlreadyIn(DateTime<Utc>),
    /// Clocked out on this tablet already, at this time.
    #[error("You are clocked out already.")]
    AlreadyOut(DateTime<Utc>),
}

/// The record of `event` by `user` at this terminal, now.
pub fn log(terminal_id: Uuid, user_id: Uuid, event: EmployeeEvent, now: DateTime<Utc>) -> EmployeeLog {
    EmployeeLog { id: Uuid::new_v4(), terminal_id, user_id, event, at: now }
}

/// Whether `user` is clocked in, as far as this tablet knows.
pub fn is_clocked_in(last: &[LastClock], user: Uuid) -> bool {
    last.iter().any(|c| c.user_id == user && c.event == EmployeeEvent::ClockIn)
}

/// The last clock events after `log`, or why it is refused (nothing changes
/// then). Sign-in and sign-out leave the clock alone.
pub fn after(last: &[LastClock], log: &EmployeeLog) -> Result<Vec<LastClock>, ClockError> {
    if !matches!(log.event, EmployeeEvent::ClockIn | EmployeeEvent::ClockOut) {
        return Ok(last.to_vec());
    }
    if let Some(previous) = last.iter().find(|c| c.user_id == log.user_id && c.event == log.event) {
        return Err(match log.event {
            EmployeeEvent::ClockIn => ClockError::AlreadyIn(previous.at),
            _ => ClockError::AlreadyOut(previous.at),
        });
    }
    let mut next: Vec<LastClock> = last.iter().filter(|c| c.user_id != log.user_id).cloned().collect();
    next.push(LastClock { user_id: log.user_id, event: log.event, at: log.at });
    Ok(next)
}

/// The outbox entry that carries `log`.
pub fn entry(log: &EmployeeLog) -> Entry {
    let body = serde_json::to_string(log).expect("an employee log serialises");
    Entry::new(log.id, PushKind::EmployeeLog, body, None, log.at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::next_batch;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, hour, 0, 0).unwrap()
    }

    #[test]
    fn a_clock_event_twice_in_a_row_on_this_tablet_is_refused() {
        let (anna, bo) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let terminal = Uuid::from_u128(9);
        use EmployeeEvent::*;
        // (who, what, hour, refused?)
        let table = [
            (anna, ClockIn, 7, None),
            (anna, SignIn, 7, None),
            (anna, ClockIn, 8, Some(ClockError::AlreadyIn(at(7)))),
            (bo, ClockOut, 9, None), // clocked in on another tablet
            (bo, ClockOut, 10, Some(ClockError::AlreadyOut(at(9)))),
            (anna, SignOut, 16, None),
            (anna, ClockOut, 16, None),
            (anna, ClockIn, 17, None),
        ];
        let mut last = Vec::new();
        for (who, event, hour, refused) in table {
            let record = log(terminal, who, event, at(hour));
            match after(&last, &record) {
                Ok(next) => {
                    assert_eq!(refused, None, "{event:?} at {hour}");
                    last = next;
                }
                Err(e) => assert_eq!(Some(e), refused, "{event:?} at {hour}"),
            }
        }
        assert!(is_clocked_in(&last, anna));
        assert!(!is_clocked_in(&last, bo));
        assert_eq!(last.len(), 2, "one last event per person");
    }

    #[test]
    fn staff_time_goes_after_the_device_logs_and_before_the_journal() {
        let terminal = Uuid::from_u128(9);
        let clock_in = entry(&log(terminal, Uuid::from_u128(1), EmployeeEvent::ClockIn, at(7)));
        let journal = Entry::new(Uuid::new_v4(), PushKind::Journal, "{}".into(), None, at(6));
        let device = Entry::new(Uuid::new_v4(), PushKind::DeviceLog, "{}".into(), None, at(8));
        let order = Entry::new(Uuid::new_v4(), PushKind::Order, "{}".into(), None, at(9));
        let mut queue = vec![journal, clock_in.clone(), device, order];
        let mut sent = Vec::new();
        while let Some((kind, batch)) = next_batch(&queue, 500) {
            let ids: Vec<Uuid> = batch.iter().map(|e| e.id).collect();
            sent.push(kind);
            queue.retain(|e| !ids.contains(&e.id));
        }
        assert_eq!(sent, [PushKind::Order, PushKind::DeviceLog, PushKind::EmployeeLog, PushKind::Journal]);
        let body: EmployeeLog = serde_json::from_str(&clock_in.body).unwrap();
        assert_eq!((body.event, body.terminal_id), (EmployeeEvent::ClockIn, terminal));
    }
}
