//! Parked carts, and the cart being rung up (so a reload or a crash does not lose it).

use super::records::{commit_announced, json, json_rows, row, JsonRow, OUTBOX, PARKED};
use crate::error::AppError;
use crate::storage::db::Storage;
use crate::storage::values::VALUES;
use chrono::{DateTime, Utc};
use indexed_db_futures::prelude::*;
use possum_register::cart::Cart;
use possum_register::outbox::Entry;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const CART_KEY: &str = "cart";

/// A parked cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parked {
    pub id: Uuid,
    pub label: String,
    pub cart: Cart,
    pub cashier_name: String,
    pub parked_at: DateTime<Utc>,
}

impl Storage {
    /// Parks a cart and queues its `PostOpenOrder` record in one transaction.
    pub async fn park(&self, parked: &Parked, record: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[PARKED, OUTBOX, VALUES])?;
        tx.object_store(PARKED)?.put(JsonRow { id: parked.id.to_string(), json: json(parked)? }).serde()?;
        tx.object_store(OUTBOX)?.add(row(record)?).serde()?;
        tx.object_store(VALUES)?.delete(CART_KEY).await?;
        commit_announced(tx).await
    }

    /// Takes a parked cart back (resumed or cancelled) and queues that change.
    pub async fn unpark(&self, id: Uuid, record: &Entry) -> Result<(), AppError> {
        let tx = self.readwrite(&[PARKED, OUTBOX])?;
        tx.object_store(PARKED)?.delete(id.to_string()).await?;
        tx.object_store(OUTBOX)?.add(row(record)?).serde()?;
        commit_announced(tx).await
    }

    pub async fn parked(&self) -> Result<Vec<Parked>, AppError> {
        let mut all: Vec<Parked> = json_rows(self, PARKED).await?;
        all.sort_by_key(|p| p.parked_at);
        Ok(all)
    }

    /// The cart being rung up, so a reload or a crash does not lose it.
    pub async fn save_cart(&self, cart: &Cart) -> Result<(), AppError> {
        if cart.is_empty() && cart.customer.is_none() {
            self.remove_value(CART_KEY).await
        } else {
            self.save_value(CART_KEY, cart).await
        }
    }

    pub async fn load_cart(&self) -> Result<Option<Cart>, AppError> {
        self.load_value(CART_KEY).await
    }

    pub async fn clear_cart(&self) -> Result<(), AppError> {
        self.remove_value(CART_KEY).await
    }
}
