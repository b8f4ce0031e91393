//! `POST api/Sale`: validation in the documented order, then the sale's effects
//! in one transaction (see "api/Sale validation order" in docs/openapi.yaml).

use crate::error::{ApiError, ApiResult};
use crate::money::{self, cents};
use crate::store::clock;
use crate::store::entity;
use crate::{ean, tenant_settings};
use chrono::{Datelike, NaiveDate};
use possum_contract::catalogue::{Product, ProductCombination, User};
use possum_contract::customer::{normalise_plate, Customer, DepositHistory, DepositKind};
use possum_contract::error::{ApplicationErrorCode as Code, ErrorResponse};
use possum_contract::sale::{PaymentMethod, SaleRequestModel, SaleResponseModel};
use possum_contract::settings::{CashDesk, TerminalSettings};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn fail(code: Code) -> ApiError {
    ApiError::application(code)
}

/// What one item of the request turned out to be.
struct Article {
    is_wash: bool,
}

/// Handles a sale; with an idempotency key, a retried request charges once and
/// answers what the first answered.
pub fn process(
    conn: &mut Connection,
    request: &SaleRequestModel,
    idempotency_key: Option<&str>,
    today: NaiveDate,
) -> ApiResult<SaleResponseModel> {
    let request_hash = hex::encode(Sha256::digest(serde_json::to_vec(request)?));
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(key) = idempotency_key {
        if let Some(previous) = replay(&tx, key, &request_hash)? {
            return Ok(previous);
        }
    }
    let settings = tenant_settings(&tx)?;

    // 1. The cash desk.
    let desk = settings.cash_desk(request.client_number).ok_or_else(|| fail(Code::ClientNotFound))?.clone();
    // 2. The cashier card.
    let cashier = cashier(&tx, request.cashier_card_number.as_deref())?;
    // 3. The payment method, known and taken at this desk.
    if matches!(request.payment_method, PaymentMethod::Unsupported(_))
        || !desk.payment_methods.contains(&request.payment_method)
    {
        return Err(fail(Code::PaymentMethodNotSupported));
    }
    // 4. The price group (0 means the default one), then the items.
    if request.price_group != 0 && !settings.price_groups.iter().any(|g| g.number == request.price_group) {
        return Err(ApiError::bad_request(format!(
            "PriceGroup {} is not a price group of this tenant.",
            request.price_group
        )));
    }
    let articles = articles(&tx, request)?;
    // 5. The customer card.
    let customer = identify_customer(&tx, request)?;
    if request.payment_method.needs_customer() && customer.is_none() {
        return Err(fail(Code::CardNotFound));
    }
    if let Some(customer) = &customer {
        if customer.locked {
            return Err(fail(Code::CardLocked));
        }
        if !customer.allowed_clients.is_empty() && !customer.allowed_clients.contains(&request.client_number)
        {
            return Err(fail(Code::ClientNotAllowed));
        }
    }
    let total: Decimal = request.items.iter().map(|i| cents(Decimal::from(i.quantity) * i.price)).sum();
    if total > money::MAX_AMOUNT {
        return Err(ApiError::bad_request("The sale's total is larger than any one sale may be."));
    }
    // 6. The payment.
    let sale_id = idempotency_key.and_then(|k| k.parse().ok()).unwrap_or_else(Uuid::new_v4);
    if let Some(mut customer) = customer.clone() {
        let before = (customer.balance, customer.last_birthday_wash);
        charge(&mut customer, request, &articles, total, &settings, today)?;
        // Only a sale that changes synced rows moves the change clock.
        let stamp = clock::next_stamp(&tx)?;
        if (customer.balance, customer.last_birthday_wash) != before {
            entity::upsert(&tx, stamp, &customer)?;
        }
        if matches!(request.payment_method, PaymentMethod::CreditPayment | PaymentMethod::PrepaidPayment) {
            let entry = DepositHistory {
                id: Uuid::new_v4(),
                customer_id: customer.id,
                kind: DepositKind::Sale,
                amount: -total,
                balance_after: customer.balance,
                created_at: clock::to_datetime(clock::now_us()),
                note: Some(format!("Sale at {}", desk.name)),
                order_id: Some(sale_id),
            };
            entity::upsert(&tx, stamp, &entry)?;
        }
    }

    let response = respond(&tx, &desk, &settings, sale_id, articles.iter().any(|a| a.is_wash))?;
    tx.execute(
        "INSERT INTO sales (id, idempotency_key, request_hash, client_number, cashier_id, customer_id, payment_method, total, token, feedback_portal_url, request, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            sale_id.to_string(),
            idempotency_key,
            request_hash,
            request.client_number,
            cashier.id.to_string(),
            customer.as_ref().map(|c| c.id.to_string()),
            request.payment_method.code(),
            total.to_string(),
            response.token,
            response.feedback_portal_url,
            serde_json::to_string(request)?,
            clock::now_us(),
        ],
    )?;
    tx.commit()?;
    Ok(response)
}

fn replay(tx: &Transaction<'_>, key: &str, request_hash: &str) -> ApiResult<Option<SaleResponseModel>> {
    let row = tx
        .query_row(
            "SELECT request_hash, token, feedback_portal_url FROM sales WHERE idempotency_key = ?1",
            [key],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((hash, token, feedback_portal_url)) if hash == request_hash => {
            Ok(Some(SaleResponseModel { feedback_portal_url, token }))
        }
        Some(_) => {
            Err(ApiError::Conflict("This Idempotency-Key was already used for a different sale.".into()))
        }
    }
}

fn cashier(tx: &Transaction<'_>, card: Option<&str>) -> ApiResult<User> {
    let card = card.map(str::trim).filter(|c| !c.is_empty()).ok_or_else(|| fail(Code::CashierCardInvalid))?;
    entity::find_by::<User>(tx, "cashier_card_number", card)?
        .filter(|u| u.active)
        .ok_or_else(|| fail(Code::CashierCardInvalid))
}

/// Checks every item: bounds, then empty (4), unknown (14) and blocked (16) article numbers.
fn articles(tx: &Transaction<'_>, request: &SaleRequestModel) -> ApiResult<Vec<Article>> {
    if request.items.is_empty() {
        return Err(ApiError::bad_request("Items must hold at least one item."));
    }
    for (i, item) in request.items.iter().enumerate() {
        if item.quantity < 1 || item.quantity > money::MAX_QUANTITY {
            return Err(ApiError::bad_request(format!(
                "Items[{i}].Quantity must be from 1 to {}.",
                money::MAX_QUANTITY
            )));
        }
        if !money::is_sane(item.price, false) {
            return Err(ApiError::bad_request(format!(
                "Items[{i}].Price must be from 0 to {} with at most {} decimals.",
                money::MAX_AMOUNT,
                money::MAX_SCALE
            )));
        }
    }
    if request.items.iter().any(|i| i.article_number.as_deref().is_none_or(|a| a.trim().is_empty())) {
        return Err(fail(Code::EmptyArticleNumber));
    }
    let mut found = Vec::new();
    let (mut missing, mut blocked) = (Vec::<String>::new(), Vec::<String>::new());
    for item in &request.items {
        let number = item.article_number.as_deref().unwrap_or_default().trim().to_string();
        let article = if let Some(p) = entity::find_by::<Product>(tx, "article_number", &number)? {
            Some((p.blocked, p.is_wash))
        } else if let Some(c) = entity::find_by::<ProductCombination>(tx, "article_number", &number)? {
            let mut is_wash = false;
            for part in &c.parts {
                is_wash |= entity::find_by::<Product>(tx, "article_number", &part.article_number)?
                    .is_some_and(|p| p.is_wash);
            }
            Some((c.blocked, is_wash))
        } else {
            None
        };
        match article {
            None if !missing.contains(&number) => missing.push(number),
            Some((true, _)) if !blocked.contains(&number) => blocked.push(number),
            Some((_, is_wash)) => found.push(Article { is_wash }),
            None => {}
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::Application(
            ErrorResponse::with_data(Code::ArticleNotFound, missing),
            Default::default(),
        ));
    }
    if !blocked.is_empty() {
        return Err(ApiError::Application(
            ErrorResponse::with_data(Code::ArticleBlocked, blocked),
            Default::default(),
        ));
    }
    Ok(found)
}

/// Card number first, else RFID UID, else licence plate. Identification that is
/// given but matches no card is `CardNotFound` (1).
fn identify_customer(tx: &Transaction<'_>, request: &SaleRequestModel) -> ApiResult<Option<Customer>> {
    let card = request.card_number.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let plate = request.license_plate.as_deref().map(normalise_plate).filter(|p| !p.is_empty());
    let found = if let Some(card) = card {
        entity::find_by::<Customer>(tx, "card_number", card)?
    } else if let Some(uid) = request.card_uid {
        entity::find_by::<Customer>(tx, "card_uid", uid as i64)?
    } else if let Some(plate) = plate {
        entity::find_by::<Customer>(tx, "license_plate", plate)?
    } else {
        return Ok(None);
    };
    found.map(Some).ok_or_else(|| fail(Code::CardNotFound))
}

/// Applies the payment to the customer's account, or refuses it with its error code.
fn charge(
    customer: &mut Customer,
    request: &SaleRequestModel,
    articles: &[Article],
    total: Decimal,
    settings: &TerminalSettings,
    today: NaiveDate,
) -> ApiResult<()> {
    match request.payment_method {
        PaymentMethod::CreditPayment => {
            if customer.balance - total < -customer.credit_line {
                return Err(fail(Code::CreditLineReached));
            }
            customer.balance -= total;
        }
        PaymentMethod::PrepaidPayment => {
            if customer.balance < total {
                return Err(fail(Code::NotEnoughCredit));
            }
            customer.balance -= total;
        }
        PaymentMethod::BirthdayWashPayment => {
            let birthday = customer.birthday.ok_or_else(|| fail(Code::NoBirthdayAvailable))?;
            if !articles.iter().any(|a| a.is_wash) {
                return Err(fail(Code::NoWashItemBirthdayWash));
            }
            if articles.len() != 1 || request.items[0].quantity != 1 {
                return Err(ApiError::bad_request("A birthday wash sale holds one wash and nothing else."));
            }
            let period = &settings.birthday_wash;
            let occurrence = birthday_occurrence(birthday, today, period.days_before, period.days_after)
                .ok_or_else(|| fail(Code::BirthdayWashNotInConfiguredTimePeriod))?;
            let period_start = occurrence - chrono::Duration::days(i64::from(period.days_before));
            if customer.last_birthday_wash.is_some_and(|last| last >= period_start) {
                return Err(fail(Code::AlreadyReceivedBirthdayWash));
            }
            customer.last_birthday_wash = Some(today);
        }
        _ => {}
    }
    Ok(())
}

/// The birthday (in the year before, this or the next year) whose period holds `today`.
pub fn birthday_occurrence(
    birthday: NaiveDate,
    today: NaiveDate,
    days_before: u32,
    days_after: u32,
) -> Option<NaiveDate> {
    (today.year() - 1..=today.year() + 1)
        .filter_map(|year| {
            // Someone born on 29 February celebrates on the 28th in other years.
            birthday.with_year(year).or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
        })
        .find(|day| {
            let start = *day - chrono::Duration::days(i64::from(days_before));
            let end = *day + chrono::Duration::days(i64::from(days_after));
            (start..=end).contains(&today)
        })
}

/// The answer: a wash token when the desk issues them and the sale has a wash; a feedback URL when the desk asks for feedback.
pub fn respond(
    tx: &Transaction<'_>,
    desk: &CashDesk,
    settings: &TerminalSettings,
    order_id: Uuid,
    has_wash: bool,
) -> ApiResult<SaleResponseModel> {
    let token = if desk.wash_tokens && has_wash {
        Some(ean::issue_token(tx, order_id, clock::now_us())?)
    } else {
        None
    };
    let feedback_portal_url = desk
        .feedback
        .then(|| format!("{}/{}", settings.feedback_portal_base_url.trim_end_matches('/'), order_id));
    Ok(SaleResponseModel { feedback_portal_url, token })
}

#[cfg(test)]
mod tests {
    use super::birthday_occurrence;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn birthday_periods_cross_the_new_year() {
        assert_eq!(birthday_occurrence(d(1980, 12, 30), d(2026, 1, 3), 0, 7), Some(d(2025, 12, 30)));
        assert_eq!(birthday_occurrence(d(1980, 1, 2), d(2025, 12, 30), 3, 0), Some(d(2026, 1, 2)));
        assert_eq!(birthday_occurrence(d(1980, 6, 1), d(2026, 6, 9), 0, 7), None);
    }

    #[test]
    fn leap_day_birthdays_fall_on_the_28th() {
        assert_eq!(birthday_occurrence(d(1992, 2, 29), d(2026, 2, 28), 0, 0), Some(d(2026, 2, 28)));
    }
}
