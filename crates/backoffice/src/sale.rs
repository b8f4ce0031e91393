//! `POST api/Sale`: validation in the documented order, then the sale's effects
//! in one transaction (see "api/Sale validation order" in docs/openapi.yaml).

use crate::catalogue::price_book;
use crate::error::{ApiError, ApiResult};
use crate::params;
use crate::promotions;
use crate::staff::{self, PRICES};
use crate::store::clock;
use crate::store::entity;
use crate::store::sql::{OptionalExtension, Tx};
use crate::subscriptions;
use crate::{tenant_settings, wash_tokens};
use chrono::{Datelike, NaiveDate};
use possum_contract::activity::OrderReceipt;
use possum_contract::catalogue::User;
use possum_contract::customer::{normalise_card, normalise_plate, Customer, DepositHistory, DepositKind};
use possum_contract::error::{ApplicationErrorCode as Code, ErrorResponse};
use possum_contract::sale::{PaymentMethod, SaleRequestModel, SaleResponseModel};
use possum_contract::settings::{CashDesk, TerminalSettings};
use possum_pricing::verify::{self, ItemsCheck, ItemsError, PromotionBook};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn fail(code: Code) -> ApiError {
    ApiError::application(code)
}

/// The terminal asking: its cash desk is the only one it may sell at.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub terminal: Uuid,
    pub client_number: u8,
}

/// Handles a sale; with an idempotency key, a retried request charges once and
/// answers what the first answered.
pub fn process(
    tx: &Tx<'_>,
    request: &SaleRequestModel,
    idempotency_key: Option<&str>,
    caller: Caller,
) -> ApiResult<SaleResponseModel> {
    let request_hash = hex::encode(Sha256::digest(serde_json::to_vec(request)?));
    if let Some(key) = idempotency_key {
        if let Some(previous) = replay(tx, key, &request_hash)? {
            return Ok(previous);
        }
    }
    let sale_id = sale_id(tx, idempotency_key)?;
    let settings = tenant_settings(tx)?;
    // Birthdays and wash-club days are the shop's days.
    let today = promotions::shop_time(chrono::Utc::now(), &settings).date();

    // 1. The cash desk: it must exist, and be the one the terminal's login is for.
    let desk = settings.cash_desk(request.client_number).ok_or_else(|| fail(Code::ClientNotFound))?.clone();
    if request.client_number != caller.client_number {
        return Err(ApiError::bad_request(format!(
            "ClientNumber {} is not this terminal's cash desk ({}).",
            request.client_number, caller.client_number
        )));
    }
    // 2. The cashier card.
    let cashier = cashier(tx, request.cashier_card_number.as_deref())?;
    // 3. The payment method, known and taken at this desk.
    if matches!(request.payment_method, PaymentMethod::Unsupported(_))
        || !desk.payment_methods.contains(&request.payment_method)
    {
        return Err(fail(Code::PaymentMethodNotSupported));
    }
    // 4. The price group (0 means the default one), then the items.
    let price_group =
        if request.price_group == 0 { settings.default_price_group } else { request.price_group };
    if !settings.price_groups.iter().any(|g| g.number == price_group)
        && price_group != settings.default_price_group
    {
        return Err(ApiError::bad_request(format!(
            "PriceGroup {} is not a price group of this tenant.",
            request.price_group
        )));
    }
    // (The customer is read before the prices: their price group is the one they are entitled to.)
    let customer = identify_customer(tx, request);
    let entitled = customer
        .as_ref()
        .ok()
        .and_then(|c| c.as_ref())
        .and_then(|c| c.price_group)
        .unwrap_or(settings.default_price_group);
    // A price away from the list needs a manager's approval given online for this sale's id.
    let approved = staff::approved_online(tx, sale_id, PRICES)?;
    let buyer = customer.as_ref().ok().and_then(|c| c.as_ref());
    let promos =
        promotions::book(tx, chrono::Utc::now(), request.client_number, price_group, buyer, &settings)?;
    let items = items(tx, request, (price_group, entitled), approved, &promos, &settings)?;
    // 5. The customer card.
    let customer = customer?;
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
    // 6. The payment.
    let total = items.total;
    if request.payment_method == PaymentMethod::SubscriptionPayment {
        wash_club(tx, request, customer.as_ref(), &items, today)?;
    }
    if let Some(customer) = &customer {
        let stamp = clock::next_stamp(tx)?;
        let sold = request
            .items
            .iter()
            .map(|i| (i.article_number.as_deref().unwrap_or_default().trim(), i.quantity));
        subscriptions::sell_plans(tx, stamp, customer, sold, today, &settings)?;
    }
    if let Some(mut customer) = customer.clone() {
        let before = (customer.balance, customer.last_birthday_wash);
        charge(&mut customer, request, &items, total, &settings, today)?;
        // Only a sale that changes synced rows moves the change clock.
        let stamp = clock::next_stamp(tx)?;
        if (customer.balance, customer.last_birthday_wash) != before {
            entity::upsert(tx, stamp, &customer)?;
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
            entity::upsert(tx, stamp, &entry)?;
        }
    }

    let program =
        wash_tokens::program_of(request.items.iter().filter_map(|i| i.article_number.as_deref()), &settings);
    let response = respond(tx, &desk, &settings, sale_id, items.has_wash.then_some(program))?;
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
    Ok(response)
}

/// The sale's id: the Idempotency-Key when it is a GUID (the terminal's order
/// id), else a new one. A key naming a sale or an order recorded otherwise is refused.
fn sale_id(tx: &Tx<'_>, key: Option<&str>) -> ApiResult<Uuid> {
    let Some(id) = key.and_then(|k| k.parse::<Uuid>().ok()) else {
        return Ok(Uuid::new_v4());
    };
    let taken: Option<String> = tx
        .query_row(
            "SELECT 'sale' FROM sales WHERE id = ?1 UNION ALL SELECT 'order' FROM orders WHERE id = ?1 LIMIT 1",
            params![id.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        None => Ok(id),
        Some(what) => Err(ApiError::bad_request(format!(
            "Idempotency-Key {id} names a {what} the back office already recorded under another request; use a new order id."
        ))),
    }
}

/// A sale `api/Sale` charged, as `PostOrder` compares its order with it.
pub struct RecordedSale {
    pub receipt: OrderReceipt,
    pub request: SaleRequestModel,
    pub cashier_id: Uuid,
    pub customer_id: Option<Uuid>,
}

/// The sale charged through `api/Sale` under `id`, if any.
pub fn recorded(tx: &Tx<'_>, id: Uuid) -> ApiResult<Option<RecordedSale>> {
    let row = tx
        .query_row(
            "SELECT token, feedback_portal_url, request, cashier_id, customer_id FROM sales WHERE id = ?1",
            params![id.to_string()],
            |r| {
                Ok((
                    r.get::<Option<String>>(0)?,
                    r.get::<Option<String>>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<Option<String>>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((token, feedback_portal_url, request, cashier, customer)) = row else { return Ok(None) };
    let bad = |what: &str| ApiError::Internal(format!("sale {id}: stored {what} unreadable"));
    Ok(Some(RecordedSale {
        receipt: OrderReceipt { order_id: id, token, feedback_portal_url },
        request: serde_json::from_str(&request)?,
        cashier_id: cashier.parse().map_err(|_| bad("cashier"))?,
        customer_id: customer.map(|c| c.parse()).transpose().map_err(|_| bad("customer"))?,
    }))
}

fn replay(tx: &Tx<'_>, key: &str, request_hash: &str) -> ApiResult<Option<SaleResponseModel>> {
    let row = tx
        .query_row(
            "SELECT request_hash, token, feedback_portal_url FROM sales WHERE idempotency_key = ?1",
            params![key],
            |r| Ok((r.get::<String>(0)?, r.get::<Option<String>>(1)?, r.get::<Option<String>>(2)?)),
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

fn cashier(tx: &Tx<'_>, card: Option<&str>) -> ApiResult<User> {
    let card = card.map(str::trim).filter(|c| !c.is_empty()).ok_or_else(|| fail(Code::CashierCardInvalid))?;
    entity::find_by::<User>(tx, "cashier_card_number", card)?
        .filter(|u| u.active)
        .ok_or_else(|| fail(Code::CashierCardInvalid))
}

/// Checks every item against the catalogue: bounds, then empty (4), unknown
/// (14) and blocked (16) article numbers, then each price.
fn items(
    tx: &Tx<'_>,
    request: &SaleRequestModel,
    (price_group, entitled): (u8, u8),
    approved: bool,
    promos: &PromotionBook,
    settings: &TerminalSettings,
) -> ApiResult<ItemsCheck> {
    // Bounds first: no catalogue is read for an oversized request.
    verify::item_bounds(&request.items).map_err(items_error)?;
    let book = price_book(tx, &verify::item_articles(&request.items), settings)?;
    verify::sale_items(&request.items, price_group, entitled, approved, &book, promos, settings)
        .map_err(items_error)
}

fn items_error(error: ItemsError) -> ApiError {
    match error {
        ItemsError::Bounds(message) => ApiError::bad_request(message),
        ItemsError::EmptyArticleNumber => fail(Code::EmptyArticleNumber),
        ItemsError::NotFound(articles) => ApiError::Application(
            ErrorResponse::with_data(Code::ArticleNotFound, articles),
            Default::default(),
        ),
        ItemsError::Blocked(articles) => ApiError::Application(
            ErrorResponse::with_data(Code::ArticleBlocked, articles),
            Default::default(),
        ),
        ItemsError::Price(refusal) => ApiError::bad_request(format!("{refusal}.")),
    }
}

/// Card number first, else RFID UID, else licence plate. Identification that is
/// given but matches no card is `CardNotFound` (1).
fn identify_customer(tx: &Tx<'_>, request: &SaleRequestModel) -> ApiResult<Option<Customer>> {
    let card = request.card_number.as_deref().map(normalise_card).filter(|c| !c.is_empty());
    let plate = request.license_plate.as_deref().map(normalise_plate).filter(|p| !p.is_empty());
    let found = if let Some(card) = card {
        entity::find_by::<Customer>(tx, "card_number", card.as_str())?
    } else if let Some(uid) = request.card_uid {
        entity::find_by::<Customer>(tx, "card_uid", uid as i64)?
    } else if let Some(plate) = plate {
        entity::find_by::<Customer>(tx, "license_plate", plate)?
    } else {
        return Ok(None);
    };
    found.map(Some).ok_or_else(|| fail(Code::CardNotFound))
}

/// A wash paid with the vehicle's wash-club plan: one covered wash and
/// nothing else, within the plan's fair use; counted now.
fn wash_club(
    tx: &Tx<'_>,
    request: &SaleRequestModel,
    customer: Option<&Customer>,
    items: &ItemsCheck,
    today: NaiveDate,
) -> ApiResult<()> {
    let article = request.items.first().and_then(|i| i.article_number.as_deref()).unwrap_or_default().trim();
    if request.items.len() != 1 || items.washes != 1 {
        return Err(ApiError::bad_request("A wash-club sale holds one wash and nothing else."));
    }
    let plans = subscriptions::of_vehicle(
        tx,
        request.license_plate.as_deref(),
        request.card_uid,
        customer.map(|c| c.id),
    )?;
    let plan = subscriptions::covering(&plans, article, today).map_err(ApiError::BadRequest)?;
    let stamp = clock::next_stamp(tx)?;
    subscriptions::record_wash(tx, stamp, plan, today)?;
    Ok(())
}

/// Applies the payment to the customer's account, or refuses it with its error code.
fn charge(
    customer: &mut Customer,
    request: &SaleRequestModel,
    items: &ItemsCheck,
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
            if !items.has_wash {
                return Err(fail(Code::NoWashItemBirthdayWash));
            }
            if request.items.len() != 1 || items.washes != 1 {
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
/// `wash` is the program of the wash the sale holds (0 for a wash without
/// one), `None` when it holds no wash.
pub fn respond(
    tx: &Tx<'_>,
    desk: &CashDesk,
    settings: &TerminalSettings,
    order_id: Uuid,
    wash: Option<u8>,
) -> ApiResult<SaleResponseModel> {
    let token = match wash {
        Some(program) if desk.wash_tokens => Some(wash_tokens::issue(tx, order_id, program)?),
        _ => None,
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
