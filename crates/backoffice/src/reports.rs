//! What the owner reviews at the back office: approvals given offline, lines
//! sold with an older catalogue (what offline selling cost or earned), and
//! refunds without a receipt. Each is one query over what the checks stored.

use crate::error::ApiResult;
use crate::params;
use crate::store::sql::Tx;
use serde_json::{json, Value};

/// A report by name, as JSON rows, oldest first.
pub fn report(conn: &Tx<'_>, name: &str) -> ApiResult<Vec<Value>> {
    match name {
        "offline-approvals" => rows(
            conn,
            &format!(
                "SELECT a.order_id, a.terminal_id, a.user_id, {}, a.kind, a.amount, a.received_at
                 FROM offline_approvals a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.received_at, a.order_id",
                conn.dialect().json_text("u.body", &["Name"])
            ),
            &["OrderId", "TerminalId", "UserId", "UserName", "Approved", "Amount", "ReceivedAt"],
        ),
        "stale-prices" => rows(
            conn,
            "SELECT order_id, line, terminal_id, article_number, reason, quantity, sold_price, catalogue_price, difference, received_at
             FROM stale_prices ORDER BY received_at, order_id, line",
            &[
                "OrderId",
                "Line",
                "TerminalId",
                "ArticleNumber",
                "Reason",
                "Quantity",
                "SoldPrice",
                "CataloguePrice",
                "Difference",
                "ReceivedAt",
            ],
        ),
        "unreceipted-refunds" => rows(
            conn,
            &format!(
                "SELECT id, terminal_id, invoice_number, shop_day, total, {}, {}, received_at
                 FROM orders WHERE kind = 'Refund' AND refund_of IS NULL ORDER BY received_at, id",
                conn.dialect().json_text("body", &["CashierName"]),
                conn.dialect().json_text("body", &["Approval", "UserId"])
            ),
            &["OrderId", "TerminalId", "InvoiceNumber", "Day", "Total", "Cashier", "ApprovedBy", "ReceivedAt"],
        ),
        "hours" => hours(conn),
        // What an owner registers with Skatteverket for each tablet (its
        // register id and control unit), and how far each register has come:
        // the last receipt whose sale or refund arrived (training receipts
        // and sales still on the tablet are not orders here) and the last
        // journal entry (which holds every receipt).
        "registers" => rows(
            conn,
            "SELECT r.id, r.control_unit_id, r.terminal_id, r.created_at,
                    coalesce((SELECT max(invoice_number) FROM orders WHERE register_id = r.id), 0),
                    r.last_seq, r.last_z_number, r.last_z_day, r.grand_sales, r.grand_returns
             FROM registers r ORDER BY r.number",
            &[
                "RegisterId",
                "ControlUnitId",
                "TerminalId",
                "EnrolledAt",
                "LastReceiptReceived",
                "LastJournalSeq",
                "LastZNumber",
                "LastZDay",
                "GrandSales",
                "GrandReturns",
            ],
        ),
        other => Err(crate::error::ApiError::NotFound(format!(
            "There is no report {other}: offline-approvals, stale-prices, unreceipted-refunds, hours or registers."
        ))),
    }
}

fn rows(conn: &Tx<'_>, sql: &str, names: &[&str]) -> ApiResult<Vec<Value>> {
    use crate::store::sql::Value as Sql;
    Ok(conn.query_map(sql, params![], |row| {
        let mut object = serde_json::Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.values().get(i).unwrap_or(&Sql::Null) {
                Sql::Null => Value::Null,
                Sql::Int(n) if name.ends_with("At") => json!(crate::store::clock::to_datetime(*n)),
                Sql::Int(n) => json!(n),
                Sql::Real(f) => json!(f),
                Sql::Text(t) => json!(t),
            };
            object.insert((*name).to_string(), value);
        }
        Ok(Value::Object(object))
    })?)
}

/// Hours per person and shop day, from the clock-ins and clock-outs terminals
/// pushed: each clock-in pairs with the next clock-out of the same person; a
/// clock-in without one is listed as open. A shift past midnight counts on the
/// day it began.
fn hours(conn: &Tx<'_>) -> ApiResult<Vec<Value>> {
    use possum_contract::activity::{EmployeeEvent, EmployeeLog};
    let settings = crate::tenant_settings(conn)?;
    let mut logs: Vec<EmployeeLog> = conn
        .query_map("SELECT body FROM pushed WHERE kind = 'EmployeeLog'", params![], |r| r.get::<String>(0))?
        .iter()
        .map(|body| Ok(serde_json::from_str(body)?))
        .collect::<ApiResult<_>>()?;
    logs.sort_by_key(|l| (l.user_id, l.at));
    let mut rows: Vec<(uuid::Uuid, String, i64, bool)> = Vec::new();
    let mut open: Option<&EmployeeLog> = None;
    for log in &logs {
        match log.event {
            EmployeeEvent::ClockIn => {
                if let Some(start) = open.replace(log) {
                    if start.user_id != log.user_id {
                        add(&mut rows, start, 0, true, &settings);
                    }
                }
            }
            EmployeeEvent::ClockOut => {
                if let Some(start) = open.take().filter(|s| s.user_id == log.user_id) {
                    add(&mut rows, start, (log.at - start.at).num_seconds(), false, &settings);
                }
            }
            EmployeeEvent::SignIn | EmployeeEvent::SignOut => {}
        }
    }
    if let Some(start) = open {
        add(&mut rows, start, 0, true, &settings);
    }
    rows.iter()
        .map(|(user, day, seconds, still_in)| {
            let name: Option<String> = conn
                .query_row(
                    &format!("SELECT {} FROM users WHERE id = ?1", conn.dialect().json_text("body", &["Name"])),
                    params![user],
                    |r| r.get(0),
                )
                .ok();
            Ok(json!({
                "UserId": user.to_string(),
                "Name": name,
                "Day": day,
                "Hours": (rust_decimal::Decimal::from(*seconds) / rust_decimal::Decimal::from(3600)).round_dp(2).to_string(),
                "StillClockedIn": still_in,
            }))
        })
        .collect()
}

fn add(
    rows: &mut Vec<(uuid::Uuid, String, i64, bool)>,
    start: &possum_contract::activity::EmployeeLog,
    seconds: i64,
    still_in: bool,
    settings: &possum_contract::settings::TerminalSettings,
) {
    let day = crate::promotions::shop_day(start.at, settings);
    match rows.iter_mut().find(|(u, d, _, _)| *u == start.user_id && *d == day) {
        Some(row) => {
            row.2 += seconds;
            row.3 |= still_in;
        }
        None => rows.push((start.user_id, day, seconds, still_in)),
    }
}
