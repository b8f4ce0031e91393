//! What the owner reviews at the back office: approvals given offline, lines
//! sold with an older catalogue (what offline selling cost or earned), and
//! refunds without a receipt. Each is one query over what the checks stored.

use crate::error::ApiResult;
use rusqlite::Connection;
use serde_json::{json, Value};

/// A report by name, as JSON rows, oldest first.
pub fn report(conn: &Connection, name: &str) -> ApiResult<Vec<Value>> {
    match name {
        "offline-approvals" => rows(
            conn,
            "SELECT a.order_id, a.terminal_id, a.user_id, json_extract(u.body, '$.Name'), a.kind, a.amount, a.received_at
             FROM offline_approvals a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.received_at, a.order_id",
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
            "SELECT id, terminal_id, invoice_number, shop_day, total, json_extract(body, '$.CashierName'),
                    json_extract(body, '$.Approval.UserId'), received_at
             FROM orders WHERE kind = 'Refund' AND refund_of IS NULL ORDER BY received_at, id",
            &["OrderId", "TerminalId", "InvoiceNumber", "Day", "Total", "Cashier", "ApprovedBy", "ReceivedAt"],
        ),
        other => Err(crate::error::ApiError::NotFound(format!(
            "There is no report {other}: offline-approvals, stale-prices or unreceipted-refunds."
        ))),
    }
}

fn rows(conn: &Connection, sql: &str, names: &[&str]) -> ApiResult<Vec<Value>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |row| {
        let mut object = serde_json::Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(n) if name.ends_with("At") => {
                    json!(crate::store::clock::to_datetime(n))
                }
                rusqlite::types::ValueRef::Integer(n) => json!(n),
                rusqlite::types::ValueRef::Real(f) => json!(f),
                rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                rusqlite::types::ValueRef::Blob(_) => Value::Null,
            };
            object.insert((*name).to_string(), value);
        }
        Ok(Value::Object(object))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
