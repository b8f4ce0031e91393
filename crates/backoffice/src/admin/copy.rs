//! `admin copy-tenant`: a shop that joins a chain moves its tenant from its
//! SQLite data folder to the chain's PostgreSQL database, with its id, its
//! terminal logins (so its tablets keep signing in) and every row, then
//! proves the copy by counting every table and adding up the money on both
//! sides. The copy is one transaction on the target: it is all there or not
//! at all, and the tenant exists in the target only once it is whole.

use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::store::sql::{Row, Tx, Value};
use crate::store::Store;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Every table of a tenant, parents before children (`journal` names `registers`).
pub const TABLES: &[&str] = &[
    "settings",
    "users",
    "categories",
    "products",
    "combinations",
    "customers",
    "deposit_history",
    "discount_programs",
    "subscriptions",
    "wash_token_reserve",
    "sales",
    "wash_tokens",
    "orders",
    "pushed",
    "invoice_counters",
    "earlier_prices",
    "approvals",
    "pin_failures",
    "offline_approvals",
    "stale_prices",
    "earlier_campaigns",
    "registers",
    "journal",
];

/// The master's columns of a terminal login, copied as they are.
const TERMINAL_COLUMNS: &str =
    "id, tenant_id, username, password_hash, client_number, name, active, failures, locked_until, password_generation";

/// Rows read and written per statement.
const CHUNK: usize = 200;

/// What the copy verified: rows per table and money totals, source and target.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub rows: Vec<(String, i64, i64)>,
    pub totals: Vec<(String, Decimal, Decimal)>,
}

impl std::fmt::Display for CopyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{:<28} {:>12} {:>12}", "rows", "SQLite", "PostgreSQL")?;
        for (table, source, target) in &self.rows {
            writeln!(f, "{table:<28} {source:>12} {target:>12}")?;
        }
        writeln!(f, "{:<28} {:>12} {:>12}", "totals", "SQLite", "PostgreSQL")?;
        for (what, source, target) in &self.totals {
            writeln!(f, "{what:<28} {source:>12} {target:>12}")?;
        }
        write!(f, "verified: every count and total is the same on both sides")
    }
}

/// Copies tenant `name` from `source` (SQLite) to `target` (PostgreSQL).
pub fn copy_tenant(source: &Store, target: &Store, name: &str) -> ApiResult<CopyReport> {
    if source.is_postgres() || !target.is_postgres() {
        return Err(ApiError::bad_request("copy-tenant copies from a SQLite data folder to PostgreSQL."));
    }
    let tenant = source
        .find_tenant(name)?
        .ok_or_else(|| ApiError::NotFound(format!("There is no tenant {name} in the data folder.")))?;
    if target.find_tenant(name)?.is_some() {
        return Err(ApiError::Conflict(format!("PostgreSQL already has a tenant named {name}.")));
    }
    let terminals: Vec<Row> = source.master.read_blocking(|tx| {
        Ok(tx.query_map(
            &format!("SELECT {TERMINAL_COLUMNS} FROM terminals WHERE tenant_id = ?1"),
            params![tenant.id],
            |r| Ok(r.clone()),
        )?)
    })?;
    let taken: Vec<String> = target.master.read_blocking(|tx| {
        let mut taken = Vec::new();
        for login in &terminals {
            let username: String = login.get(2)?;
            let found =
                tx.query_map("SELECT 1 FROM terminals WHERE username = ?1", params![username], |_| Ok(()))?;
            if !found.is_empty() {
                taken.push(username);
            }
        }
        Ok(taken)
    })?;
    if !taken.is_empty() {
        return Err(ApiError::Conflict(format!(
            "PostgreSQL already has the terminal logins {}.",
            taken.join(", ")
        )));
    }
    let from = source.tenant(tenant.id)?;
    target.create_tenant_with(tenant.id, &tenant.name, |to| {
        from.read_here(|tx| {
            for table in TABLES {
                copy_table(tx, to, table)?;
            }
            let clock: i64 = tx.query_row("SELECT last_us FROM change_clock", params![], |r| r.get(0))?;
            to.execute("UPDATE change_clock SET last_us = ?1", params![clock])?;
            Ok(())
        })
    })?;
    target.master.write_blocking(|tx| {
        let marks: Vec<String> = (1..=10).map(|i| format!("?{i}")).collect();
        let sql = format!("INSERT INTO terminals ({TERMINAL_COLUMNS}) VALUES ({})", marks.join(", "));
        for login in &terminals {
            tx.execute(&sql, login.values())?;
        }
        Ok(())
    })?;
    verify(source, target, tenant.id)
}

/// The columns of `table` in the source, by name (SQLite's `PRAGMA table_info`).
fn columns(tx: &Tx<'_>, table: &str) -> ApiResult<Vec<String>> {
    Ok(tx.query_map(&format!("PRAGMA table_info({table})"), params![], |r| r.get::<String>(1))?)
}

/// Copies `table` in chunks, in rowid order, column by column.
fn copy_table(from: &Tx<'_>, to: &Tx<'_>, table: &str) -> ApiResult<()> {
    let names = columns(from, table)?;
    let list = names.join(", ");
    let select = format!("SELECT rowid, {list} FROM {table} WHERE rowid > ?1 ORDER BY rowid LIMIT {CHUNK}");
    let mut after = i64::MIN;
    loop {
        let rows = from.query_map(&select, params![after], |r| Ok(r.clone()))?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.get(0)?;
        let n = names.len();
        let tuples: Vec<String> = (0..rows.len())
            .map(|r| {
                format!("({})", (1..=n).map(|c| format!("?{}", r * n + c)).collect::<Vec<_>>().join(", "))
            })
            .collect();
        let values: Vec<Value> = rows.iter().flat_map(|row| row.values()[1..].iter().cloned()).collect();
        to.execute(&format!("INSERT INTO {table} ({list}) VALUES {}", tuples.join(", ")), &values)?;
    }
}

fn count(tx: &Tx<'_>, table: &str) -> ApiResult<i64> {
    Ok(tx.query_row(&format!("SELECT count(*) FROM {table}"), params![], |r| r.get(0))?)
}

/// The money a tenant holds, added up exactly: orders, api/Sale sales,
/// customers' balances, deposit history.
fn totals(tx: &Tx<'_>) -> ApiResult<Vec<(String, Decimal)>> {
    let sum_column = |sql: &str| -> ApiResult<Decimal> {
        let texts: Vec<String> = tx.query_map(sql, params![], |r| r.get(0))?;
        Ok(texts.iter().filter_map(|t| Decimal::from_str(t).ok()).sum())
    };
    let sum_field = |table: &str, field: &str| -> ApiResult<Decimal> {
        let bodies: Vec<String> =
            tx.query_map(&format!("SELECT body FROM {table} WHERE deleted = 0"), params![], |r| r.get(0))?;
        let mut sum = Decimal::ZERO;
        for body in bodies {
            let value: serde_json::Value = serde_json::from_str(&body)?;
            sum += value
                .get(field)
                .map(|v| v.to_string().trim_matches('"').to_string())
                .and_then(|v| Decimal::from_str(&v).ok())
                .unwrap_or_default();
        }
        Ok(sum)
    };
    Ok(vec![
        ("orders: Total".into(), sum_column("SELECT total FROM orders")?),
        ("sales: total".into(), sum_column("SELECT total FROM sales")?),
        ("customers: Balance".into(), sum_field("customers", "Balance")?),
        ("deposit_history: Amount".into(), sum_field("deposit_history", "Amount")?),
    ])
}

/// A side's rows per table (in [`TABLES`] order) and money totals.
type Measure = (Vec<i64>, Vec<(String, Decimal)>);

/// Counts and totals on both sides; any difference is an error naming it.
fn verify(source: &Store, target: &Store, tenant: uuid::Uuid) -> ApiResult<CopyReport> {
    let measure = |store: &Store| -> ApiResult<Measure> {
        store.tenant(tenant)?.read_blocking(|tx| {
            let counts = TABLES.iter().map(|t| count(tx, t)).collect::<ApiResult<Vec<_>>>()?;
            Ok((counts, totals(tx)?))
        })
    };
    let ((source_rows, source_totals), (target_rows, target_totals)) = (measure(source)?, measure(target)?);
    let report = CopyReport {
        rows: TABLES
            .iter()
            .zip(source_rows.into_iter().zip(target_rows))
            .map(|(t, (s, d))| (t.to_string(), s, d))
            .collect(),
        totals: source_totals
            .into_iter()
            .zip(target_totals)
            .map(|((what, s), (_, d))| (what, s, d))
            .collect(),
    };
    let rows_differ = report.rows.iter().any(|(_, s, d)| s != d);
    let totals_differ = report.totals.iter().any(|(_, s, d)| s != d);
    if rows_differ || totals_differ {
        return Err(ApiError::Internal(format!("the copy differs from its source:\n{report}")));
    }
    Ok(report)
}
