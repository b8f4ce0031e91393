//! Which USB or serial device is a printer row's, on this tablet.
//!
//! Staff choose the device once in the browser's own picker (a user gesture
//! is required); the browser then remembers the *permission* for this origin,
//! and `getPorts()` / `getDevices()` list the granted devices on every later
//! start without asking. Which of them is the receipt printer is remembered
//! here, by vendor and product id (and serial number where the device has
//! one), per printer row.
//!
//! Why localStorage (through gloo-storage) and not IndexedDB: this is a
//! preference of this tablet, a few bytes, read once per print, never synced
//! and never part of a sale. Losing it (the browser's data cleared) costs
//! one more pairing, not a receipt, and a synchronous read keeps the print
//! path free of another database transaction. Everything that must survive
//! (sales, the outbox) stays in IndexedDB.

use gloo_storage::{LocalStorage, Storage};
use possum_contract::printers::{Connection, Printer};
use serde::{Deserialize, Serialize};

/// A USB or serial device as the browser describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceId {
    pub vendor_id: Option<u16>,
    pub product_id: Option<u16>,
    /// WebUSB's `serialNumber`, when the device reports one (tells two printers of one model apart).
    pub serial_number: Option<String>,
}

impl DeviceId {
    /// Whether `other` is this device: the ids it has are equal, and the serial
    /// numbers too when both know one.
    fn is(&self, other: &DeviceId) -> bool {
        self.vendor_id == other.vendor_id
            && self.product_id == other.product_id
            && match (&self.serial_number, &other.serial_number) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// Whether it has anything to recognise it by (a Bluetooth or built-in
    /// serial port reports no USB ids).
    fn is_known(&self) -> bool {
        self.vendor_id.is_some() || self.product_id.is_some() || self.serial_number.is_some()
    }
}

/// Which of the `granted` devices (the browser's list) is the printer:
/// the remembered one, or, when nothing is remembered or the remembered
/// device has no ids, the only granted device. `None`: staff must choose.
pub fn pick(remembered: Option<&DeviceId>, granted: &[DeviceId]) -> Option<usize> {
    match remembered {
        Some(id) if id.is_known() => granted.iter().position(|g| id.is(g)),
        _ if granted.len() == 1 => Some(0),
        _ => None,
    }
}

/// The localStorage key of a printer row's device: by connection and name,
/// so renaming the printer or moving it to another port asks again.
pub fn key(printer: &Printer) -> String {
    format!("possum.printer.{}.{}", printer.connection.name(), printer.name.trim())
}

/// The device remembered for `printer` on this tablet.
pub fn recall(printer: &Printer) -> Option<DeviceId> {
    if matches!(printer.connection, Connection::Network) {
        return None;
    }
    LocalStorage::get(key(printer)).ok()
}

/// Remembers `device` as `printer`'s; a full or disabled localStorage
/// forgets (the next print asks for pairing again), which is said to the caller.
pub fn remember(printer: &Printer, device: &DeviceId) -> Result<(), String> {
    LocalStorage::set(key(printer), device).map_err(|e| e.to_string())
}

/// Forgets `printer`'s device (staff choose again).
pub fn forget(printer: &Printer) {
    LocalStorage::delete(key(printer));
}
