//! Wash tokens (see `possum_contract::wash_token`): issued when `api/Sale`
//! answers, reserved ahead of time for each terminal, sold when an order
//! arrives, voided by a refund, and taken once by the wash bay.
//!
//! Two tables: `wash_tokens` holds every token sold (by an online sale or by
//! an order carrying a reserved one); `wash_token_reserve` holds each
//! terminal's unsold digits, a synced table the terminal pulls (a digit row
//! sold or used becomes a tombstone, so the terminal drops it).

use crate::params;
use crate::store::clock;
use crate::store::sql::{self, OptionalExtension, Tx};
use possum_contract::settings::TerminalSettings;
use possum_contract::wash_token::{compose, parse, ReservedToken, TokenValidation, RESERVE_SIZE};
use rand::Rng;
use uuid::Uuid;

/// Nine digits no token of the tenant has (sold or reserved).
fn draw_digits(tx: &Tx<'_>) -> sql::Result<String> {
    let mut rng = rand::thread_rng();
    loop {
        let digits: String = (0..9).map(|_| char::from(b'0' + rng.gen_range(0..10u8))).collect();
        let taken: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM wash_tokens WHERE digits = ?1 UNION ALL SELECT 1 FROM wash_token_reserve WHERE digits = ?1",
                params![&digits],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_none() {
            return Ok(digits);
        }
    }
}

/// The token of an online sale of wash `program`, issued now for `order_id`.
pub fn issue(tx: &Tx<'_>, order_id: Uuid, program: u8) -> sql::Result<String> {
    let digits = draw_digits(tx)?;
    let token = compose(program, &digits).expect("nine drawn digits and a program below 100");
    tx.execute(
        "INSERT INTO wash_tokens (token, order_id, created_at, digits, state) VALUES (?1, ?2, ?3, ?4, 'Sold')",
        params![token, order_id.to_string(), clock::now_us(), digits],
    )?;
    Ok(token)
}

/// Keeps `RESERVE_SIZE` unsold tokens in `terminal`'s reserve (before each pull of it).
pub fn top_up(tx: &Tx<'_>, terminal: Uuid) -> sql::Result<usize> {
    let held: i64 = tx.query_row(
        "SELECT count(*) FROM wash_token_reserve WHERE terminal_id = ?1 AND deleted = 0",
        params![terminal.to_string()],
        |r| r.get(0),
    )?;
    let missing = RESERVE_SIZE.saturating_sub(held as usize);
    if missing == 0 {
        return Ok(0);
    }
    let stamp = clock::next_stamp(tx)?;
    for _ in 0..missing {
        let row = ReservedToken {
            id: Uuid::new_v4(),
            digits: draw_digits(tx)?,
            issued_at: clock::to_datetime(clock::now_us()),
        };
        let body = serde_json::to_string(&row).map_err(sql::Error::data)?;
        tx.execute(
            "INSERT INTO wash_token_reserve (id, changed_at, deleted, body, terminal_id, digits) VALUES (?1, ?2, 0, ?3, ?4, ?5)",
            params![row.id.to_string(), stamp, body, terminal.to_string(), row.digits],
        )?;
    }
    Ok(missing)
}

/// A reserved token an order of `terminal` carries: sold to `order_id` (or
/// matched with the bay's earlier use of it). Why not, otherwise.
pub fn sell_reserved(
    tx: &Tx<'_>,
    stamp: i64,
    terminal: Uuid,
    order_id: Uuid,
    token: &str,
) -> Result<(), String> {
    let Some((_, digits)) = parse(token) else {
        return Err(format!("Token {token} is not a wash token."));
    };
    let sold: Option<String> = tx
        .query_row("SELECT order_id FROM wash_tokens WHERE digits = ?1", params![&digits], |r| r.get(0))
        .optional()
        .map_err(|e| e.to_string())?;
    if let Some(other) = sold {
        return Err(format!("Token {token} was already sold with order {other}."));
    }
    let reserved: Option<(String, Option<i64>)> = tx
        .query_row(
            "SELECT terminal_id, used_at FROM wash_token_reserve WHERE digits = ?1",
            params![&digits],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| e.to_string())?;
    match reserved {
        Some((owner, used_at)) if owner == terminal.to_string() => {
            let state = if used_at.is_some() { "Used" } else { "Sold" };
            tx.execute(
                "INSERT INTO wash_tokens (token, order_id, created_at, digits, state, used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![token, order_id.to_string(), clock::now_us(), digits, state, used_at],
            )
            .map_err(|e| e.to_string())?;
            tx.execute(
                "UPDATE wash_token_reserve SET deleted = 1, changed_at = ?2 WHERE digits = ?1",
                params![digits, stamp],
            )
            .map_err(|e| e.to_string())?;
            Ok(())
        }
        _ => Err(format!("Token {token} is not in this terminal's reserve.")),
    }
}

/// A refund of the wash of `sale`: its token no longer opens the bay (unless used already).
pub fn void_for(tx: &Tx<'_>, sale: Uuid) -> sql::Result<()> {
    tx.execute(
        "UPDATE wash_tokens SET state = 'Voided' WHERE order_id = ?1 AND state = 'Sold'",
        params![sale.to_string()],
    )?;
    Ok(())
}

/// The bay's question: is `token` good, and for which wash? Each token is
/// good once: sold (online, or by an order that arrived) or reserved by a
/// terminal whose offline order is still on its way.
pub fn validate(tx: &Tx<'_>, token: &str, settings: &TerminalSettings) -> sql::Result<TokenValidation> {
    let refuse = |message: &str| TokenValidation {
        valid: false,
        program: None,
        article_numbers: vec![],
        message: Some(message.to_string()),
    };
    let Some((program, digits)) = parse(token) else {
        return Ok(refuse("This is not a wash token."));
    };
    let now = clock::now_us();
    let sold: Option<String> = tx
        .query_row("SELECT state FROM wash_tokens WHERE digits = ?1", params![&digits], |r| r.get(0))
        .optional()?;
    let valid = match sold.as_deref() {
        Some("Sold") => {
            tx.execute(
                "UPDATE wash_tokens SET state = 'Used', used_at = ?2 WHERE digits = ?1",
                params![digits, now],
            )?;
            true
        }
        Some("Used") => return Ok(refuse("This token was used already.")),
        Some(_) => return Ok(refuse("This wash was refunded; the token is void.")),
        None => {
            let reserved: Option<Option<i64>> = tx
                .query_row(
                    "SELECT used_at FROM wash_token_reserve WHERE digits = ?1",
                    params![&digits],
                    |r| r.get(0),
                )
                .optional()?;
            match reserved {
                Some(None) => {
                    let stamp = clock::next_stamp(tx)?;
                    tx.execute(
                        "UPDATE wash_token_reserve SET used_at = ?2, deleted = 1, changed_at = ?3 WHERE digits = ?1",
                        params![digits, now, stamp],
                    )?;
                    true
                }
                Some(Some(_)) => return Ok(refuse("This token was used already.")),
                None => return Ok(refuse("This token is not known here.")),
            }
        }
    };
    let article_numbers = settings
        .wash_programs
        .iter()
        .filter(|w| w.program == program && program > 0)
        .map(|w| w.article_number.clone())
        .collect();
    Ok(TokenValidation { valid, program: (program > 0).then_some(program), article_numbers, message: None })
}

/// The wash program of the first wash among `articles` (0 when none has one).
pub fn program_of<'a>(articles: impl IntoIterator<Item = &'a str>, settings: &TerminalSettings) -> u8 {
    articles.into_iter().map(|a| settings.wash_program(a)).find(|p| *p > 0).unwrap_or(0)
}

/// The reserve's synced table, pulled by each terminal for its own rows.
pub const RESERVE_TABLE: &str = "wash_token_reserve";
