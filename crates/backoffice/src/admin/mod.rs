//! What an operator changes while terminals run: prices, blocks, locks,
//! deletions. Each change is one write transaction with its own change stamp,
//! so the next pull of every terminal carries it.

pub mod commerce;
pub mod copy;

use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::store::sql::{OptionalExtension, Tx};
use crate::store::{clock, entity, Store};
use possum_contract::catalogue::Product;
use possum_contract::catalogue::User;
use possum_contract::customer::{normalise_card, Customer};
use rust_decimal::Decimal;
use uuid::Uuid;

/// The database of the tenant named `name`.
pub(crate) fn tenant_db(store: &Store, name: &str) -> ApiResult<std::sync::Arc<crate::store::Db>> {
    let tenant =
        store.find_tenant(name)?.ok_or_else(|| ApiError::NotFound(format!("no tenant named {name}")))?;
    store.tenant(tenant.id)
}

pub(crate) fn change<R: Send>(
    store: &Store,
    tenant: &str,
    mut work: impl FnMut(&Tx<'_>, i64) -> ApiResult<R> + Send,
) -> ApiResult<R> {
    tenant_db(store, tenant)?.write_blocking(|tx| {
        let stamp = clock::next_stamp(tx)?;
        work(tx, stamp)
    })
}

fn product(tx: &Tx<'_>, article: &str) -> ApiResult<Product> {
    entity::find_by::<Product>(tx, "article_number", article)?
        .ok_or_else(|| ApiError::NotFound(format!("no product with article number {article}")))
}

fn customer(tx: &Tx<'_>, card: &str) -> ApiResult<Customer> {
    entity::find_by::<Customer>(tx, "card_number", normalise_card(card).as_str())?
        .ok_or_else(|| ApiError::NotFound(format!("no customer with card number {card}")))
}

pub fn set_price(
    store: &Store,
    tenant: &str,
    article: &str,
    price_group: u8,
    price: Decimal,
) -> ApiResult<()> {
    if !possum_pricing::limits::is_sane(price, false) {
        return Err(ApiError::bad_request(format!("{price} is not a valid price")));
    }
    change(store, tenant, |tx, stamp| {
        let mut p = product(tx, article)?;
        match p.prices.iter_mut().find(|gp| gp.price_group == price_group) {
            Some(gp) => gp.price = price,
            None => p.prices.push(possum_contract::catalogue::GroupPrice { price_group, price }),
        }
        Ok(entity::upsert(tx, stamp, &p)?)
    })
}

pub fn set_blocked(store: &Store, tenant: &str, article: &str, blocked: bool) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let mut p = product(tx, article)?;
        p.blocked = blocked;
        Ok(entity::upsert(tx, stamp, &p)?)
    })
}

pub fn delete_product(store: &Store, tenant: &str, article: &str) -> ApiResult<Uuid> {
    change(store, tenant, |tx, stamp| {
        let p = product(tx, article)?;
        entity::delete::<Product>(tx, stamp, p.id)?;
        Ok(p.id)
    })
}

pub fn set_locked(store: &Store, tenant: &str, card: &str, locked: bool) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let mut c = customer(tx, card)?;
        c.locked = locked;
        Ok(entity::upsert(tx, stamp, &c)?)
    })
}

/// Adds prepaid credit to a card and records it in the deposit history.
pub fn deposit(store: &Store, tenant: &str, card: &str, amount: Decimal) -> ApiResult<Decimal> {
    if !possum_pricing::limits::is_sane(amount, false) || amount.is_zero() {
        return Err(ApiError::bad_request(format!("{amount} is not a valid deposit")));
    }
    change(store, tenant, |tx, stamp| {
        let mut c = customer(tx, card)?;
        c.balance += amount;
        entity::upsert(tx, stamp, &c)?;
        let entry = possum_contract::customer::DepositHistory {
            id: Uuid::new_v4(),
            customer_id: c.id,
            kind: possum_contract::customer::DepositKind::Deposit,
            amount,
            balance_after: c.balance,
            created_at: clock::to_datetime(clock::now_us()),
            note: Some("Deposit at the back office".into()),
            order_id: None,
        };
        entity::upsert(tx, stamp, &entry)?;
        Ok(c.balance)
    })
}

/// What the back office holds of the orders terminals pushed, oldest first
/// (for staff, and for tests that count what arrived): one JSON object per order.
pub fn customer_by_card(store: &Store, tenant: &str, card: &str) -> ApiResult<Customer> {
    tenant_db(store, tenant)?.read_blocking(|tx| customer(tx, card))
}

/// The records of `kind` terminals pushed, oldest first, as they were stored.
pub fn records(store: &Store, tenant: &str, kind: &str) -> ApiResult<Vec<serde_json::Value>> {
    tenant_db(store, tenant)?.read_blocking(|conn| {
        let bodies = conn.query_map(
            "SELECT body FROM pushed WHERE kind = ?1 ORDER BY received_at, id",
            params![kind],
            |r| r.get::<String>(0),
        )?;
        bodies.iter().map(|body| Ok(serde_json::from_str::<serde_json::Value>(body)?)).collect()
    })
}

pub fn orders(store: &Store, tenant: &str) -> ApiResult<Vec<serde_json::Value>> {
    tenant_db(store, tenant)?.read_blocking(|conn| {
        Ok(conn.query_map(
            "SELECT id, terminal_id, invoice_number, total, token, register_id FROM orders ORDER BY received_at, id",
            params![],
            |r| {
                Ok(serde_json::json!({
                    "Id": r.get::<String>(0)?,
                    "TerminalId": r.get::<String>(1)?,
                    "InvoiceNumber": r.get::<i64>(2)?,
                    "Total": r.get::<String>(3)?,
                    "Token": r.get::<Option<String>>(4)?,
                    "RegisterId": r.get::<Option<String>>(5)?,
                }))
            },
        )?)
    })
}

/// A member of staff by cashier card, whether or not terminals hold them.
fn staff_member(tx: &Tx<'_>, card: &str) -> ApiResult<User> {
    let body: Option<String> = tx
        .query_row(
            "SELECT body FROM users WHERE cashier_card_number = ?1 AND (deleted = 0 OR withheld = 1) LIMIT 1",
            params![card.trim()],
            |r| r.get(0),
        )
        .optional()?;
    let body = body.ok_or_else(|| ApiError::NotFound(format!("no member of staff with card {card}")))?;
    Ok(serde_json::from_str(&body)?)
}

/// Sets a member of staff's PIN (digits; four for a cashier, eight for a
/// manager or admin: see `staff::pin_policy`). The PIN is stored as an argon2
/// hash; terminals receive the hash of active cashiers and managers only.
pub fn set_pin(store: &Store, tenant: &str, card: &str, pin: &str) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let mut user = staff_member(tx, card)?;
        crate::staff::pin_policy(user.role, pin).map_err(ApiError::BadRequest)?;
        user.pin_hash = Some(crate::hashing::hash_secret(pin));
        Ok(entity::upsert(tx, stamp, &user)?)
    })
}

/// Makes a member of staff active or not. A deactivated one is deleted from
/// every terminal at its next pull and authorises nothing from then on.
pub fn set_active(store: &Store, tenant: &str, card: &str, active: bool) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let mut user = staff_member(tx, card)?;
        user.active = active;
        Ok(entity::upsert(tx, stamp, &user)?)
    })
}

/// Changes one of the tenant's settings (a row of GetSettings) to `value`
/// (JSON), refusing a value the settings cannot read.
pub fn set_setting(store: &Store, tenant: &str, key: &str, value: &str) -> ApiResult<()> {
    let value: serde_json::Value = serde_json::from_str(value)
        .map_err(|e| ApiError::bad_request(format!("{value} is not JSON: {e}")))?;
    change(store, tenant, |tx, stamp| {
        let mut rows = entity::all::<possum_contract::settings::Setting>(tx)?;
        let id = rows.iter().find(|r| r.key == key).map(|r| r.id).unwrap_or_else(Uuid::new_v4);
        rows.retain(|r| r.key != key);
        let row = possum_contract::settings::Setting { id, key: key.to_string(), value: value.clone() };
        rows.push(row.clone());
        let (_, problems) = possum_contract::settings::TerminalSettings::from_rows(&rows);
        if let Some(problem) = problems.into_iter().next() {
            return Err(ApiError::bad_request(problem));
        }
        Ok(entity::upsert(tx, stamp, &row)?)
    })
}

/// A review report (see `reports.rs`).
pub fn report(store: &Store, tenant: &str, name: &str) -> ApiResult<Vec<serde_json::Value>> {
    tenant_db(store, tenant)?.read_blocking(|conn| crate::reports::report(conn, name))
}

/// The journal of a register between two shop days (inclusive, in the
/// settings' time zone, as the Z reports count days), as XML.
pub fn export_journal(
    store: &Store,
    tenant: &str,
    register: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> ApiResult<String> {
    tenant_db(store, tenant)?.read_blocking(|conn| {
        let settings = crate::tenant_settings(conn)?;
        let start = |d: chrono::NaiveDate| shop_midnight(d, &settings.time_zone);
        let end = to.succ_opt().map(start).unwrap_or(i64::MAX);
        crate::registers::export_xml(conn, register, start(from), end)
    })
}

/// The instant shop day `day` begins in `zone` (UTC when it names no zone),
/// in the store's microseconds. A midnight a clock change skips is the
/// first instant of that day that exists.
fn shop_midnight(day: chrono::NaiveDate, zone: &str) -> i64 {
    use chrono::TimeZone;
    let Some(midnight) = day.and_hms_opt(0, 0, 0) else { return i64::MIN };
    let at = match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => (0..4)
            .find_map(|h| tz.from_local_datetime(&(midnight + chrono::Duration::hours(h))).earliest())
            .map(|t| t.with_timezone(&chrono::Utc)),
        Err(_) => Some(midnight.and_utc()),
    };
    at.map(clock::from_datetime).unwrap_or(i64::MIN)
}

/// Changes cash desk `desk` of the settings with `edit` (its printers, its
/// favourites), refusing what the settings cannot hold.
fn edit_desk(
    store: &Store,
    tenant: &str,
    desk: u8,
    edit: impl Fn(&mut possum_contract::settings::CashDesk) -> ApiResult<()> + Sync,
) -> ApiResult<()> {
    change(store, tenant, |tx, stamp| {
        let rows = entity::all::<possum_contract::settings::Setting>(tx)?;
        let row = rows
            .iter()
            .find(|r| r.key == "CashDesks")
            .cloned()
            .ok_or_else(|| ApiError::NotFound("the tenant has no cash desks".into()))?;
        let mut desks: Vec<possum_contract::settings::CashDesk> = serde_json::from_value(row.value.clone())?;
        let found = desks.iter_mut().find(|d| d.client_number == desk);
        edit(found.ok_or_else(|| ApiError::NotFound(format!("no cash desk {desk}")))?)?;
        let row = possum_contract::settings::Setting { value: serde_json::to_value(&desks)?, ..row };
        Ok(entity::upsert(tx, stamp, &row)?)
    })
}

/// Sets a cash desk's printers from their JSON, refusing any with problems.
pub fn set_printers(store: &Store, tenant: &str, desk: u8, json: &str) -> ApiResult<()> {
    let printers: Vec<possum_contract::printers::Printer> = serde_json::from_str(json)
        .map_err(|e| ApiError::bad_request(format!("This is not a list of printers: {e}.")))?;
    let mut problems: Vec<String> = printers.iter().flat_map(|p| p.problems()).collect();
    problems.extend(possum_contract::printers::desk_problems(&printers));
    if !problems.is_empty() {
        return Err(ApiError::bad_request(problems.join(" ")));
    }
    edit_desk(store, tenant, desk, |d| {
        d.printers = printers.clone();
        Ok(())
    })
}

/// Sets the articles of a cash desk's first page of tiles, in order.
pub fn set_favourites(store: &Store, tenant: &str, desk: u8, articles: Vec<String>) -> ApiResult<()> {
    let db = tenant_db(store, tenant)?;
    db.read_blocking(|conn| {
        for a in &articles {
            let known = entity::find_by::<Product>(conn, "article_number", a.as_str())?.is_some()
                || entity::find_by::<possum_contract::catalogue::ProductCombination>(
                    conn,
                    "article_number",
                    a.as_str(),
                )?
                .is_some();
            if !known {
                return Err(ApiError::bad_request(format!("Article {a} is not in the catalogue.")));
            }
        }
        Ok(())
    })?;
    edit_desk(store, tenant, desk, |d| {
        d.favourites = articles.clone();
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> i64 {
        clock::from_datetime(text.parse().unwrap())
    }

    #[test]
    fn an_export_day_is_the_shops_day() {
        let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(shop_midnight(day("2026-12-03"), "Europe/Stockholm"), utc("2026-12-02T23:00:00Z"));
        assert_eq!(shop_midnight(day("2026-07-01"), "Europe/Stockholm"), utc("2026-06-30T22:00:00Z"));
        assert_eq!(shop_midnight(day("2026-12-03"), "not a zone"), utc("2026-12-03T00:00:00Z"));
        // Santiago skips its midnight when summer time begins: the day starts at 01:00.
        assert_eq!(shop_midnight(day("2026-09-06"), "America/Santiago"), utc("2026-09-06T04:00:00Z"));
    }
}
