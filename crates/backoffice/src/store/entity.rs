//! Rows a terminal pulls: one generic way to write, read, delete and page them.

use super::clock;
use super::sql::{self, OptionalExtension, Tx, Value};
use crate::params;
use possum_contract::catalogue::{Category, GroupPrice, Product, ProductCombination, User};
use possum_contract::customer::{normalise_card, normalise_plate, Customer, DepositHistory};
use possum_contract::loyalty::{DiscountProgram, Subscription};
use possum_contract::settings::Setting;
use possum_contract::sync::SyncWindow;
use serde::{de::DeserializeOwned, Serialize};
use uuid::Uuid;

/// A synced table: its name, the row id and the lookup columns kept beside the JSON body.
pub trait Entity: Serialize + DeserializeOwned {
    const TABLE: &'static str;
    fn id(&self) -> Uuid;
    /// Lookup columns, `(name, value)`, written with the body so they never disagree with it.
    fn columns(&self) -> Vec<(&'static str, Value)>;
    /// Kept by the back office but served to terminals as deleted (a table
    /// with a `withheld` column only: staff no terminal may hold).
    fn withheld(&self) -> bool {
        false
    }
    /// Whether a write must first read the row it replaces (for [`Entity::replaced`]).
    const TRACKS_CHANGES: bool = false;
    /// Called inside the write's transaction with the row as it was, before it
    /// is replaced by `new` (or deleted, `None`).
    fn replaced(_tx: &Tx<'_>, _old: &Self, _new: Option<&Self>) -> sql::Result<()> {
        Ok(())
    }
}

fn text(value: &Option<String>) -> Value {
    Value::from(value)
}

impl Entity for Setting {
    const TABLE: &'static str = "settings";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![("key", Value::Text(self.key.clone()))]
    }
    const TRACKS_CHANGES: bool = true;
    /// A campaign changed or ended is kept as it was (see `earlier_campaigns`).
    fn replaced(tx: &Tx<'_>, old: &Self, new: Option<&Self>) -> sql::Result<()> {
        if old.key.starts_with(possum_contract::campaign::CAMPAIGN_KEY_PREFIX)
            && new.is_none_or(|n| n.value != old.value)
        {
            tx.execute(
                "INSERT INTO earlier_campaigns (id, body, replaced_at) VALUES (?1, ?2, ?3)",
                params![old.id, old.value.to_string(), clock::now_us()],
            )?;
        }
        Ok(())
    }
}

impl Entity for DiscountProgram {
    const TABLE: &'static str = "discount_programs";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![]
    }
}

impl Entity for Subscription {
    const TABLE: &'static str = "subscriptions";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("customer_id", Value::Text(self.customer_id.to_string())),
            ("license_plate", text(&self.license_plate.as_deref().map(normalise_plate))),
            ("card_uid", self.card_uid.map(|u| Value::Int(u as i64)).unwrap_or(Value::Null)),
        ]
    }
}

impl Entity for User {
    const TABLE: &'static str = "users";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("cashier_card_number", text(&self.cashier_card_number)),
            ("withheld", Value::Int(i64::from(self.withheld()))),
        ]
    }
    /// A terminal holds the staff who may work at it: active cashiers and
    /// managers. Deactivated staff and back-office admins are withheld (and
    /// so deleted from every terminal's cache at its next pull).
    fn withheld(&self) -> bool {
        !self.active || !self.role.works_at_terminals()
    }
}

impl Entity for Category {
    const TABLE: &'static str = "categories";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![]
    }
}

impl Entity for Product {
    const TABLE: &'static str = "products";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![("article_number", Value::Text(self.article_number.clone()))]
    }
    const TRACKS_CHANGES: bool = true;
    fn replaced(tx: &Tx<'_>, old: &Self, new: Option<&Self>) -> sql::Result<()> {
        keep_replaced_prices(
            tx,
            &old.article_number,
            &old.prices,
            old.vat_percent,
            new.map(|n| n.prices.as_slice()),
        )
    }
}

impl Entity for ProductCombination {
    const TABLE: &'static str = "combinations";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![("article_number", Value::Text(self.article_number.clone()))]
    }
    const TRACKS_CHANGES: bool = true;
    fn replaced(tx: &Tx<'_>, old: &Self, new: Option<&Self>) -> sql::Result<()> {
        // A combination's VAT is its parts'; the price check uses the parts' rates.
        keep_replaced_prices(
            tx,
            &old.article_number,
            &old.prices,
            rust_decimal::Decimal::ZERO,
            new.map(|n| n.prices.as_slice()),
        )
    }
}

/// Records each group price of `article` that `new` no longer has (all of
/// them when the article is deleted), as it was: see `earlier_prices`.
fn keep_replaced_prices(
    tx: &Tx<'_>,
    article: &str,
    old: &[GroupPrice],
    vat_percent: rust_decimal::Decimal,
    new: Option<&[GroupPrice]>,
) -> sql::Result<()> {
    for price in old {
        if new.is_some_and(|n| n.contains(price)) {
            continue;
        }
        tx.execute(
            "INSERT INTO earlier_prices (article_number, price_group, price, vat_percent, replaced_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                article,
                price.price_group,
                price.price.to_string(),
                vat_percent.to_string(),
                clock::now_us()
            ],
        )?;
    }
    Ok(())
}

impl Entity for Customer {
    const TABLE: &'static str = "customers";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("card_number", text(&self.card_number.as_deref().map(normalise_card))),
            // RFID UIDs are at most 56 bits, so they fit SQLite's signed integer.
            ("card_uid", self.card_uid.map(|u| Value::Int(u as i64)).unwrap_or(Value::Null)),
            ("license_plate", text(&self.license_plate.as_deref().map(normalise_plate))),
        ]
    }
}

impl Entity for DepositHistory {
    const TABLE: &'static str = "deposit_history";
    fn id(&self) -> Uuid {
        self.id
    }
    fn columns(&self) -> Vec<(&'static str, Value)> {
        vec![("customer_id", Value::Text(self.customer_id.to_string()))]
    }
}

/// Inserts or replaces `row`, stamped with `stamp` (one stamp per transaction).
pub fn upsert<E: Entity>(tx: &Tx<'_>, stamp: i64, row: &E) -> sql::Result<()> {
    if E::TRACKS_CHANGES {
        if let Some(old) = get::<E>(tx, row.id())? {
            E::replaced(tx, &old, Some(row))?;
        }
    }
    let columns = row.columns();
    let names: String = columns.iter().map(|(n, _)| format!(", {n}")).collect();
    let marks: String = (0..columns.len()).map(|i| format!(", ?{}", i + 5)).collect();
    let updates: String = columns.iter().map(|(n, _)| format!(", {n} = excluded.{n}")).collect();
    let sql = format!(
        "INSERT INTO {t} (id, changed_at, body, deleted{names}) VALUES (?1, ?2, ?3, ?4{marks})
         ON CONFLICT (id) DO UPDATE SET changed_at = excluded.changed_at, deleted = excluded.deleted, body = excluded.body{updates}",
        t = E::TABLE
    );
    let body = serde_json::to_string(row).map_err(sql::Error::data)?;
    let mut values: Vec<Value> = vec![
        Value::Text(row.id().to_string()),
        Value::Int(stamp),
        Value::Text(body),
        Value::Int(i64::from(row.withheld())),
    ];
    values.extend(columns.into_iter().map(|(_, v)| v));
    tx.execute(&sql, &values)?;
    Ok(())
}

/// Turns a row into a tombstone: pulls after this answer its id in `Deleted`.
/// The lookup columns are cleared so a new row may reuse an article or card number.
pub fn delete<E: Entity>(tx: &Tx<'_>, stamp: i64, id: Uuid) -> sql::Result<bool> {
    if E::TRACKS_CHANGES {
        if let Some(old) = get::<E>(tx, id)? {
            E::replaced(tx, &old, None)?;
        }
    }
    let sql = format!("UPDATE {} SET deleted = 1, changed_at = ?2 WHERE id = ?1 AND deleted = 0", E::TABLE);
    Ok(tx.execute(&sql, params![id, stamp])? > 0)
}

fn parse_body<E: Entity>(body: &str) -> sql::Result<E> {
    serde_json::from_str(body).map_err(sql::Error::data)
}

/// The live row whose `column` equals `value`.
pub fn find_by<E: Entity>(conn: &Tx<'_>, column: &str, value: impl Into<Value>) -> sql::Result<Option<E>> {
    let sql = format!("SELECT body FROM {} WHERE {column} = ?1 AND deleted = 0 LIMIT 1", E::TABLE);
    let body: Option<String> = conn.query_row(&sql, &[value.into()], |row| row.get(0)).optional()?;
    body.map(|b| parse_body(&b)).transpose()
}

/// Every live row whose `column` equals `value`, in id order.
pub fn find_all<E: Entity>(conn: &Tx<'_>, column: &str, value: impl Into<Value>) -> sql::Result<Vec<E>> {
    let sql = format!("SELECT body FROM {} WHERE {column} = ?1 AND deleted = 0 ORDER BY id", E::TABLE);
    conn.query_map(&sql, &[value.into()], |row| parse_body(row.text(0)?))
}

pub fn get<E: Entity>(conn: &Tx<'_>, id: Uuid) -> sql::Result<Option<E>> {
    find_by(conn, "id", id)
}

/// Every live row, in id order (for the back office's own use: demo data, validation).
pub fn all<E: Entity>(conn: &Tx<'_>) -> sql::Result<Vec<E>> {
    let sql = format!("SELECT body FROM {} WHERE deleted = 0 ORDER BY id", E::TABLE);
    conn.query_map(&sql, &[], |row| parse_body(row.text(0)?))
}

/// One page of a pull, already as the JSON of `SyncPage<E>`.
///
/// The rows' bodies are stored as contract JSON and copied into the answer as
/// they are: a page of thousands of products is built without parsing one.
///
/// The rows and the change clock must be read in ONE read transaction, so
/// from one snapshot (`Db::read` gives one): a write may commit between two
/// statements, and a cursor read after the rows could pass over rows the page
/// never saw (see `clock.rs`).
pub fn pull_page(
    tx: &Tx<'_>,
    table: &str,
    window: &SyncWindow,
    page_size: u32,
    only_terminal: Option<uuid::Uuid>,
) -> sql::Result<String> {
    let full = window.last_executed_date.is_none();
    let after_us = window.last_executed_date.map(clock::from_datetime).unwrap_or(i64::MIN);
    // Without AfterId the cursor instant is done: "~" sorts after every id, so
    // `changed_at = cursor AND id > "~"` matches nothing.
    let after_id = window.after_id.map(|id| id.to_string()).unwrap_or_else(|| "~".into());
    // A full pull skips tombstones: the terminal has nothing to delete yet.
    // A table of per-terminal rows (the wash-token reserve) serves each terminal its own.
    let sql = format!(
        "SELECT id, deleted, body, changed_at FROM {table}
         WHERE (changed_at > ?1 OR (changed_at = ?1 AND id > ?2)) {} {}
         ORDER BY changed_at, id LIMIT ?3",
        if full { "AND deleted = 0" } else { "" },
        if only_terminal.is_some() { "AND terminal_id = ?4" } else { "AND CAST(?4 AS TEXT) IS NULL" },
    );
    let high_water = clock::high_water_mark(tx)?;
    let scope = only_terminal.map(|t| t.to_string());
    let rows = tx.query_map(&sql, params![after_us, after_id, i64::from(page_size) + 1, scope], |row| {
        Ok(row.clone())
    })?;

    let mut items = String::from("[");
    let mut deleted: Vec<String> = Vec::new();
    let mut last: Option<(i64, String)> = None;
    // One row more than the page was asked for: whether more wait.
    let has_more = rows.len() > page_size as usize;
    for row in rows.iter().take(page_size as usize) {
        let id: String = row.get(0)?;
        if row.get::<i64>(1)? != 0 {
            deleted.push(id.clone());
        } else {
            if items.len() > 1 {
                items.push(',');
            }
            items.push_str(row.text(2)?);
        }
        last = Some((row.get(3)?, id));
    }
    items.push(']');

    // While more rows wait, continue right after the last one sent; once the
    // window is drained, the cursor is the change clock itself.
    let (next_us, next_id) = match (has_more, last) {
        (true, Some((us, id))) => (us, Some(id)),
        // (For a full pull `after_us` is i64::MIN, so this is the clock itself.)
        _ => (high_water.max(after_us), None),
    };
    let page = serde_json::json!({
        "Deleted": deleted,
        "NextLastExecutedDate": clock::to_datetime(next_us),
        "NextAfterId": next_id,
        "HasMore": has_more,
        "ServerTime": clock::to_datetime(clock::now_us()),
    });
    let mut json = serde_json::to_string(&page).map_err(sql::Error::data)?;
    // Splice the items in front of the other fields: `{"Items":[...],"Deleted":...}`.
    json.replace_range(0..1, &format!("{{\"Items\":{items},"));
    Ok(json)
}
