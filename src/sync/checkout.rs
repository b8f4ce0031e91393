//! Completing a sale: `api/Sale` when the back office is there, the outbox
//! when it is not. Either way the order is on disk and queued before the
//! screen says the sale is done. Refunds have no `api/Sale` form: they are
//! stored and queued for `PostOrder` the same way.
//!
//! On a register, the stored receipt is then registered with the control
//! unit (`journal::register_receipt`) before the screen shows it, so it
//! carries its register id, receipt number and control code. A receipt that
//! cannot be registered now stays stored and queued (it is never lost, never
//! charged twice); its receipt says so, and the journal seals it at the next
//! sync, after which the history shows it.
//!
//! In training mode a sale is practised: [`complete`] journals it as a
//! training receipt (ÖVNING) and stores nothing as an order, queues nothing
//! for the back office but its journal entry, takes no wash token. A
//! [`pro_forma`] (EJ KVITTO) is the cart journaled as a quote; the cart stays.

use super::{api, device_log, journal};
use crate::cashier::Cashier;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::session::Session;
use crate::storage::ledger::{LocalOrder, OrderSync, Registration};
use crate::storage::Storage;
use chrono::Utc;
use possum_contract::activity::{LogLevel, Order, OrderLine, StaffApproval, SwishPayment, SwishStatus};
use possum_contract::endpoints::PushKind;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::Cart;
use possum_register::deals;
use possum_register::order::{refund_order, sale_order, sale_request, SaleContext};
use possum_register::outbox::Entry;
use possum_register::payment::Checkout;
use possum_register::training;
use uuid::Uuid;

/// How the sale went through.
#[derive(Debug, Clone, PartialEq)]
pub struct Completed {
    pub order: LocalOrder,
    /// Why it was completed offline, if it was (the receipt says so).
    pub offline_because: Option<AppError>,
    /// api/Sale answered it: the back office is reachable right now.
    pub answered: bool,
}

/// Completes the sale in `cart`, paid as `checkout` says (`training`: a
/// training sale, see the module's words). An `Err` means the back office
/// refused it (the cart is untouched and nothing was stored) or the tablet
/// could not store it.
pub async fn complete(
    session: &Session,
    cashier: &Cashier,
    cart: &Cart,
    checkout: &Checkout,
    settings: &TerminalSettings,
    training: bool,
    locale: Locale,
) -> Result<Completed, AppError> {
    if !checkout.pays_for(cart, settings) {
        return Err(AppError::Invalid(td_string!(locale, sale.checkout.cart_changed).into()));
    }
    // The cart's own id: a manager's online approval was recorded against it.
    let order_id = cart.order_id;
    let storage = Storage::open_default().await?;
    if training {
        let now = Utc::now();
        let build =
            |number| sale_order(cart, checkout, &context(session, cashier, order_id, number, now), settings);
        // Numbered in the register's series and journaled as Training; never queued as an order.
        let order = storage.record_training(build).await?;
        let order = registered(session, order).await;
        return Ok(Completed { order, offline_because: None, answered: false });
    }
    // A write first: a tablet that cannot store the sale must not charge it at the back office.
    storage.save_value("last-sale-attempt", &order_id).await?;
    // A customer created here and not yet sent is unknown to api/Sale: the
    // sale then goes as its order record, after the customer's.
    let new_customer = match &cart.customer {
        Some(attached) => storage.pending_customer_change(attached.customer.id).await?,
        None => None,
    };
    // Prices a manager approved on the tablet alone are not api/Sale's to
    // accept (it takes online approvals only): such a sale goes as its order
    // record, which the back office accepts within the offline limit.
    let approved_offline = cart.needs_approval(settings) && cart.approval.as_ref().is_some_and(|a| a.offline);
    // A bundle or a free unit has no api/Sale price per item: such a cart goes as its order.
    let promoted = cart.lines.iter().any(|l| l.promotion.is_some());
    let order_only = promoted && deals::order_only(cart, &storage.campaigns().await?, settings);
    // A split payment has no api/Sale form; it reaches the back office as its order record.
    let direct =
        checkout.single_method().filter(|_| new_customer.is_none() && !approved_offline && !order_only);
    let answer = match direct {
        Some(method) => {
            let request = sale_request(cart, method, cashier.card.as_deref(), session.client_number);
            match api::sale(session, &request, order_id).await {
                Ok(answer) => Some(Ok(answer)),
                Err(e) if e.sells_offline() => Some(Err(e)),
                Err(refused) => return Err(refused),
            }
        }
        None => None,
    };
    let answered = matches!(answer, Some(Ok(_)));
    let (token, feedback, offline_because) = match answer {
        Some(Ok(a)) => (a.token, a.feedback_portal_url, None),
        Some(Err(e)) => (None, None, Some(e)),
        None => (None, None, None),
    };
    let now = Utc::now();
    let ctx = |invoice_number| context(session, cashier, order_id, invoice_number, now);
    let sold_offline = offline_because.is_some() || approved_offline;
    let build = |number| Order {
        sold_offline,
        token: token.clone(),
        ..sale_order(cart, checkout, &ctx(number), settings)
    };
    let swish = swish_records(order_id, checkout, now)?;
    // A wash without api/Sale's token takes one from the reserve as it is stored.
    let order = storage.record_sale(build, OrderSync::Queued, feedback, swish, settings).await?;
    let order = registered(session, order).await;
    Ok(Completed { order, offline_because, answered })
}

/// Who, where and when: what every order of this cashier on this terminal carries.
fn context(
    session: &Session,
    cashier: &Cashier,
    order_id: Uuid,
    invoice_number: i64,
    now: chrono::DateTime<Utc>,
) -> SaleContext {
    SaleContext {
        order_id,
        terminal_id: session.terminal_id,
        client_number: session.client_number,
        invoice_number,
        cashier_id: cashier.id,
        cashier_name: cashier.name.clone(),
        now,
    }
}

/// The cart as a pro forma (EJ KVITTO): journaled as `ProForma` and
/// registered with the control unit when this tablet is a register, stored
/// as no order, queued as nothing but its journal entry; the cart stays.
/// A tablet that is not a register yet has no journal: its pro forma is
/// shown without a control code (it is no receipt either way).
pub async fn pro_forma(
    session: &Session,
    cashier: &Cashier,
    cart: &Cart,
    settings: &TerminalSettings,
    locale: Locale,
) -> Result<LocalOrder, AppError> {
    let now = Utc::now();
    let mut order =
        training::pro_forma_order(cart, &context(session, cashier, cart.order_id, 0, now), settings);
    let storage = Storage::open_default().await?;
    let Some(register) = storage.register().await? else {
        return Ok(LocalOrder {
            order,
            sync: OrderSync::Voided,
            feedback_portal_url: None,
            problem: None,
            registration: None,
            training: false,
        });
    };
    order.register_id = Some(register.register_id.clone());
    let pending = training::pro_forma_pending(&order, now);
    storage.add_pending(&pending).await?;
    // Sealed under the journal's lock, with whatever else waits, in order.
    journal::seal_pending().await?;
    let entry = storage
        .journal_entry(pending.id)
        .await?
        .ok_or_else(|| AppError::Invalid(td_string!(locale, sale.checkout.pro_forma_unregistered).into()))?;
    let registration = Registration {
        register_id: entry.register_id.clone(),
        control_unit_id: register.control_unit_id.clone(),
        control_code: entry.control_code.clone().unwrap_or_default(),
        journal_seq: entry.seq,
    };
    Ok(LocalOrder {
        order,
        sync: OrderSync::Voided,
        feedback_portal_url: None,
        problem: None,
        registration: Some(registration),
        training: false,
    })
}

/// What a refund is: its id (the one its approval was given for), what it
/// refunds, to whom, at which prices and who approved it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refund<'a> {
    pub order_id: Uuid,
    pub lines: &'a [OrderLine],
    pub method: PaymentMethod,
    /// The sale refunded (from the history), or `None` without a receipt.
    pub refund_of: Option<&'a Order>,
    pub customer_id: Option<Uuid>,
    /// Without a receipt: the price group the lines were rung up in.
    pub price_group: u8,
    /// Every refund is a manager's to approve (docs/openapi.yaml, "Staff approvals").
    pub approval: StaffApproval,
}

/// A refund paid back with its method, stored with the next invoice number
/// and queued (after `refund_of`'s own record when that is still unsent)
/// before the screen says it is done.
pub async fn refund(
    session: &Session,
    cashier: &Cashier,
    refund: &Refund<'_>,
    settings: &TerminalSettings,
) -> Result<LocalOrder, AppError> {
    let now = Utc::now();
    let build = |number| {
        let order = refund_order(
            refund.lines,
            refund.method,
            refund.refund_of,
            refund.customer_id,
            &context(session, cashier, refund.order_id, number, now),
            settings,
        );
        Order {
            price_group: refund.refund_of.map_or(refund.price_group, |sale| sale.price_group),
            approval: Some(refund.approval.clone()),
            ..order
        }
    };
    let storage = Storage::open_default().await?;
    let order = storage.record_order(build, OrderSync::Queued, None, vec![]).await?;
    Ok(registered(session, order).await)
}

/// `local`, just stored, with its registration when this tablet is a
/// register (the ledger numbered it in the register's series then). When
/// registering fails the order is answered as stored, without its control
/// code: the receipt screen refuses to show it as a receipt, and the failure
/// goes to the device log. A tablet that is not a register answers it as is.
async fn registered(session: &Session, local: LocalOrder) -> LocalOrder {
    if local.order.register_id.is_none() {
        return local;
    }
    match journal::register_receipt(local.clone()).await {
        Ok(registered) => registered,
        Err(e) => {
            let text = format!(
                "Receipt {} is stored but could not be registered with the control unit: {e}",
                local.order.invoice_number
            );
            device_log::write(session.terminal_id, LogLevel::Error, "journal", &text, None).await;
            local
        }
    }
}

/// One `PostSwishPayment` record per Swish payment, each after its order.
fn swish_records(
    order_id: Uuid,
    checkout: &Checkout,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<Entry>, AppError> {
    checkout
        .payments
        .iter()
        .filter(|p| p.method == PaymentMethod::SwishPayment)
        .map(|p| {
            let payment = SwishPayment {
                id: Uuid::new_v4(),
                order_id,
                amount: p.amount,
                payer_alias: None,
                reference: order_id.simple().to_string(),
                status: SwishStatus::Paid,
                created_at: now,
            };
            let body = serde_json::to_string(&payment)?;
            Ok(Entry::new(payment.id, PushKind::SwishPayment, body, Some(order_id), now))
        })
        .collect()
}
