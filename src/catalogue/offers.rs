//! What the sale screen prices and covers with, beside the products: the
//! campaigns (from the settings rows), the discount programs and the
//! wash-club plans (by plate and tag), read with the catalogue after each
//! pull; and the functions the screen calls when the cart, the customer or
//! the clock changes. The rules are `possum_register::deals` and
//! `possum_register::subscription`; the shop's time is the settings'
//! `TimeZone` through `possum_pricing::shop` (re-exported by `deals`).

use super::zone::BrowserZones;
use super::Catalogue;
use crate::error::AppError;
use crate::storage::Storage;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use possum_contract::activity::Order;
use possum_contract::campaign::{campaigns_from_rows, Campaign};
use possum_contract::customer::normalise_plate;
use possum_contract::loyalty::{DiscountProgram, Subscription};
use possum_contract::settings::{Setting, TerminalSettings};
use possum_register::cart::Cart;
use possum_register::deals::{self, credits_used, Explanation, Outcome, Promotions};
use possum_register::subscription::{self, Car, Refused};
use std::collections::HashMap;

/// The promotions and plans the terminal holds.
#[derive(Debug, Clone, Default)]
pub struct Offers {
    /// The valid campaigns, in force or not (whether one is depends on the moment).
    pub campaigns: Vec<Campaign>,
    /// Campaign rows that are no valid campaign: skipped, the others apply.
    pub problems: Vec<String>,
    pub programs: Vec<DiscountProgram>,
    plans: Vec<Subscription>,
    by_plate: HashMap<String, Vec<usize>>,
    by_tag: HashMap<u64, Vec<usize>>,
}

impl Offers {
    pub fn new(settings_rows: &[Setting], programs: Vec<DiscountProgram>, plans: Vec<Subscription>) -> Self {
        let (campaigns, problems) = campaigns_from_rows(settings_rows);
        let mut by_plate: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_tag: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, plan) in plans.iter().enumerate() {
            if let Some(plate) = plan.license_plate.as_deref().map(normalise_plate).filter(|p| !p.is_empty())
            {
                by_plate.entry(plate).or_default().push(i);
            }
            if let Some(tag) = plan.card_uid {
                by_tag.entry(tag).or_default().push(i);
            }
        }
        Self { campaigns, problems, programs, plans, by_plate, by_tag }
    }

    /// Reads them from the cache.
    pub async fn load(storage: &Storage) -> Result<Self, AppError> {
        let rows: Vec<Setting> = storage.all().await?;
        Ok(Self::new(&rows, storage.all().await?, storage.all().await?))
    }

    /// The campaigns running at the shop's time `local`, at `desk`, in `price_group`.
    pub fn in_force(&self, local: NaiveDateTime, desk: u8, price_group: u8) -> Vec<&Campaign> {
        self.campaigns.iter().filter(|c| c.in_force(local, desk, price_group).is_ok()).collect()
    }

    /// The plans of `car`: by plate, else by tag.
    pub fn plans_of(&self, car: Car<'_>) -> Vec<Subscription> {
        let by_plate = car.plate.map(normalise_plate).and_then(|p| self.by_plate.get(&p));
        let found = by_plate.or_else(|| car.tag.and_then(|t| self.by_tag.get(&t)));
        found.map(|at| at.iter().map(|i| self.plans[*i].clone()).collect()).unwrap_or_default()
    }

    pub fn plan_count(&self) -> usize {
        self.plans.len()
    }
}

/// What this terminal sold that the back office may not have counted when
/// the cache was last pulled: the orders still in the outbox and the newest
/// stored ones. Read when a customer or car is identified, and after a sale.
#[derive(Debug, Clone, Default)]
pub struct OwnSales {
    pub unsent: Vec<Order>,
    pub recent: Vec<Order>,
}

/// How many of the newest orders are looked at (the sale history keeps as many).
const RECENT: usize = 200;

impl OwnSales {
    pub async fn load(storage: &Storage) -> Result<Self, AppError> {
        let recent = storage.recent_orders(RECENT).await?.into_iter().map(|o| o.order).collect();
        Ok(Self { unsent: storage.unsent_orders().await?, recent })
    }
}

/// The shop's wall-clock time at `now`.
pub fn shop_time(now: DateTime<Utc>, settings: &TerminalSettings) -> NaiveDateTime {
    deals::shop_time(now, settings, &BrowserZones)
}

impl Catalogue {
    /// An article's category (campaigns and programs on categories).
    pub fn category_of(&self, article: &str) -> Option<uuid::Uuid> {
        match self.by_article(article)? {
            super::Item::Product(p) => p.category_id,
            super::Item::Combination(c) => c.category_id,
        }
    }

    /// The promotions for `cart`, less the credits its customer's unsent sales used.
    fn promotions<'a>(&'a self, used: &'a [(uuid::Uuid, u32)]) -> Promotions<'a> {
        Promotions { campaigns: &self.offers.campaigns, programs: &self.offers.programs, credits_used: used }
    }

    fn credits_used(&self, cart: &Cart, own: &OwnSales) -> Vec<(uuid::Uuid, u32)> {
        let customer = cart.customer.as_ref().map(|c| c.customer.id);
        customer.map(|id| credits_used(&own.unsent, id, &self.offers.campaigns)).unwrap_or_default()
    }

    /// Puts each line's best campaign or program on `cart`, sold at cash
    /// desk `desk` at `now`: call it when the cart, the customer or the clock
    /// changes.
    pub fn reprice(
        &self,
        cart: &mut Cart,
        desk: u8,
        own: &OwnSales,
        now: DateTime<Utc>,
        settings: &TerminalSettings,
    ) -> Outcome {
        let used = self.credits_used(cart, own);
        self.promotions(&used).apply(cart, shop_time(now, settings), desk, |a| self.category_of(a), settings)
    }

    /// Why each campaign and program did or did not apply to `cart` at `now`.
    pub fn explain(
        &self,
        cart: &Cart,
        desk: u8,
        own: &OwnSales,
        now: DateTime<Utc>,
        settings: &TerminalSettings,
    ) -> Vec<Explanation> {
        let used = self.credits_used(cart, own);
        self.promotions(&used).explain(
            cart,
            shop_time(now, settings),
            desk,
            |a| self.category_of(a),
            settings,
        )
    }

    /// The plan of `car` that covers one wash of `article` now, counting the
    /// washes this terminal sold today (`own`); or why none does. A covered
    /// wash is sold alone at its list price and paid in full with
    /// `PaymentMethod::SubscriptionPayment`.
    pub fn wash_cover(
        &self,
        car: Car<'_>,
        article: &str,
        own: &OwnSales,
        now: DateTime<Utc>,
        settings: &TerminalSettings,
    ) -> Result<Subscription, Refused> {
        let day_of = |at: DateTime<Utc>| -> NaiveDate { shop_time(at, settings).date() };
        let sales = subscription::OwnSales { unsent: &own.unsent, recent: &own.recent, day_of: &day_of };
        let plans = self.offers.plans_of(car);
        subscription::covering(&plans, car, article, day_of(now), &sales).cloned()
    }
}
