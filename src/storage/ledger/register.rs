//! The register's values on this tablet (the store `register`): the device
//! and its signing key, the register the back office issued, the journal's
//! head, and training mode.
//!
//! The signing key is a Web Crypto `CryptoKey` stored as it is: IndexedDB
//! keeps it by structured clone, its private half never extractable, so no
//! script (nor a copy of the database's JSON) can read it out.

use super::records::REGISTER;
use crate::error::AppError;
use crate::storage::db::{commit, Storage};
use crate::storage::values::VALUES;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use possum_contract::register::Register;
use possum_register::journal::chain::Head;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

const DEVICE_KEY: &str = "device";
const ISSUED_KEY: &str = "issued";
const HEAD_KEY: &str = "journal-head";
const TRAINING_KEY: &str = "training";
/// The invoice counter of `ledger/orders.rs`: from enrolment on, the register's receipt series.
pub(super) const COUNTER_KEY: &str = "invoice-counter";

/// This tablet as a device: made once, before its first enrolment.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: Uuid,
    /// The signing module's private key (ECDSA P-256, not extractable).
    pub private_key: web_sys::CryptoKey,
    /// Its public key, SubjectPublicKeyInfo DER in base64, as enrolment sends it.
    pub public_key: String,
}

impl Device {
    fn to_js(&self) -> JsValue {
        let object = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&object, &k.into(), v).is_ok();
        let _ = set("deviceId", &self.id.to_string().into())
            && set("privateKey", &self.private_key)
            && set("publicKey", &self.public_key.clone().into());
        object.into()
    }

    fn from_js(value: &JsValue) -> Result<Self, AppError> {
        let get = |k: &str| js_sys::Reflect::get(value, &k.into()).ok().filter(|v| !v.is_undefined());
        let unreadable = || AppError::unreadable("this tablet's register key is unreadable");
        let id = get("deviceId")
            .and_then(|v| v.as_string())
            .and_then(|v| v.parse().ok())
            .ok_or_else(unreadable)?;
        let private_key = get("privateKey").and_then(|v| v.dyn_into().ok()).ok_or_else(unreadable)?;
        let public_key = get("publicKey").and_then(|v| v.as_string()).ok_or_else(unreadable)?;
        Ok(Device { id, private_key, public_key })
    }
}

/// The JSON value under `key` of the register store in `tx`.
pub(super) async fn read_in<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    key: &str,
) -> Result<Option<T>, AppError> {
    let text: Option<String> = tx.object_store(REGISTER)?.get(key).primitive()?.await?;
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| AppError::unreadable(format!("the register's {key} is unreadable: {e}")))
    })
    .transpose()
}

/// The journal's head as `tx` sees it.
pub(super) async fn head_in(tx: &Transaction<'_>) -> Result<Option<Head>, AppError> {
    read_in(tx, HEAD_KEY).await
}

pub(super) fn put_head(tx: &Transaction<'_>, head: &Head) -> Result<(), AppError> {
    tx.object_store(REGISTER)?.put(serde_json::to_string(head)?).with_key(HEAD_KEY).primitive()?;
    Ok(())
}

/// The register as `tx` sees it.
pub(super) async fn issued_in(tx: &Transaction<'_>) -> Result<Option<Register>, AppError> {
    read_in(tx, ISSUED_KEY).await
}

impl Storage {
    /// This tablet's device, if it was made.
    pub async fn device(&self) -> Result<Option<Device>, AppError> {
        let tx = self.read(&[REGISTER])?;
        let found: Option<JsValue> = tx.object_store(REGISTER)?.get(DEVICE_KEY).primitive()?.await?;
        found.filter(|v| !v.is_undefined()).map(|v| Device::from_js(&v)).transpose()
    }

    /// Keeps `made` as this tablet's device unless one is kept already (two
    /// tabs starting at once): answers the one kept, so a tablet has one
    /// device id and one key, ever.
    pub async fn keep_device(&self, made: Device) -> Result<Device, AppError> {
        let tx = self.readwrite(&[REGISTER])?;
        let store = tx.object_store(REGISTER)?;
        let found: Option<JsValue> = store.get(DEVICE_KEY).primitive()?.await?;
        if let Some(existing) = found.filter(|v| !v.is_undefined()) {
            return Device::from_js(&existing);
        }
        store.put(made.to_js()).with_key(DEVICE_KEY).primitive()?;
        commit(tx).await?;
        Ok(made)
    }

    /// The register the back office issued to this tablet, once enrolled.
    pub async fn register(&self) -> Result<Option<Register>, AppError> {
        let tx = self.read(&[REGISTER])?;
        issued_in(&tx).await
    }

    /// Keeps the register the back office answered, in one transaction with
    /// what follows from it: a journal head (continuing what the back office
    /// holds of this register, when the tablet has none of its own) and the
    /// receipt series resumed after the highest number the back office has
    /// seen from it. Answers the tablet's counter when it was behind.
    pub async fn keep_register(&self, register: &Register) -> Result<Option<i64>, AppError> {
        let tx = self.readwrite(&[REGISTER, VALUES])?;
        let head = head_in(&tx).await?.filter(|h| h.register_id == register.register_id);
        if head.is_none() {
            let fresh = if register.last_journal_seq > 0 {
                Head::continuing(
                    &register.register_id,
                    register.last_journal_seq,
                    &register.last_journal_hash,
                )
            } else {
                Head::genesis(&register.register_id)
            };
            put_head(&tx, &fresh)?;
        }
        tx.object_store(REGISTER)?.put(serde_json::to_string(register)?).with_key(ISSUED_KEY).primitive()?;
        let values = tx.object_store(VALUES)?;
        let counter: Option<String> = values.get(COUNTER_KEY).primitive()?.await?;
        let local = match counter {
            Some(text) => text
                .parse::<i64>()
                .map_err(|_| AppError::unreadable(format!("the invoice counter is unreadable ({text})")))?,
            None => 0,
        };
        let behind = local < register.last_receipt_number;
        if behind {
            values.put(register.last_receipt_number.to_string()).with_key(COUNTER_KEY).primitive()?;
        }
        commit(tx).await?;
        Ok(behind.then_some(local))
    }

    /// The journal's head: its last entry and its last Z report.
    pub async fn journal_head(&self) -> Result<Option<Head>, AppError> {
        let tx = self.read(&[REGISTER])?;
        head_in(&tx).await
    }

    /// Whether training mode is on (this tablet, every tab).
    pub async fn training_mode(&self) -> Result<bool, AppError> {
        let tx = self.read(&[REGISTER])?;
        Ok(read_in::<bool>(&tx, TRAINING_KEY).await?.unwrap_or(false))
    }

    pub async fn set_training_mode(&self, on: bool) -> Result<(), AppError> {
        let tx = self.readwrite(&[REGISTER])?;
        tx.object_store(REGISTER)?.put(on.to_string()).with_key(TRAINING_KEY).primitive()?;
        commit(tx).await
    }
}
