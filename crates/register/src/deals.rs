//! Promotions on the cart: campaigns and discount programs priced by
//! `possum_pricing::promotions` (the back office checks with the same
//! functions), put on the cart's lines, explained when the cashier asks, and
//! what that means for `api/Sale`.
//!
//! The sale screen calls [`Promotions::apply`] whenever the cart, the
//! customer or the clock changes; the shop's time comes from
//! `possum_pricing::shop::shop_time`.

use crate::cart::{Cart, CartLine};
use chrono::NaiveDateTime;
use possum_contract::activity::{Order, OrderKind, PromotionKind};
use possum_contract::campaign::{Campaign, CampaignRule};
use possum_contract::loyalty::DiscountProgram;
use possum_contract::settings::TerminalSettings;
use possum_pricing::promotions::{best_deals, explain, Buyer, Item, Moment};
use possum_pricing::shop;

/// What the screens read of the promotions and the shop's clock (the terminal
/// reaches the pricing rules through this crate).
pub use possum_pricing::promotions::{Explanation, Outcome, Verdict};
pub use possum_pricing::shop::{shop_day, shop_time, ZoneRules};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use uuid::Uuid;

/// What the till knows of promotions, and what its own unsent sales used.
#[derive(Debug, Clone, Copy)]
pub struct Promotions<'a> {
    /// The valid campaigns of the settings rows (in force or not).
    pub campaigns: &'a [Campaign],
    pub programs: &'a [DiscountProgram],
    /// "Every n-th free" credits this terminal's unsent orders used, per
    /// campaign ([`credits_used`]): the cached customer still shows them.
    pub credits_used: &'a [(Uuid, u32)],
}

impl Promotions<'_> {
    fn moment(cart: &Cart, local: NaiveDateTime, desk: u8) -> Moment {
        Moment { local, desk, price_group: cart.price_group }
    }

    /// The customer on the cart as the promotions see them, less the credits
    /// this terminal's unsent orders used.
    pub fn buyer(&self, cart: &Cart, settings: &TerminalSettings) -> Option<Buyer> {
        let mut buyer = shop::buyer(&cart.customer.as_ref()?.customer, settings);
        for (campaign, credits) in &mut buyer.free_credits {
            let used: u32 = self.credits_used.iter().filter(|(c, _)| c == campaign).map(|(_, n)| n).sum();
            *credits = credits.saturating_sub(used);
        }
        Some(buyer)
    }

    /// Puts each line's best promotion on `cart` at the shop's time `local`
    /// at cash desk `desk`, and takes it off the lines that have none any
    /// more. `category` finds an article's category.
    pub fn apply(
        &self,
        cart: &mut Cart,
        local: NaiveDateTime,
        desk: u8,
        category: impl Fn(&str) -> Option<Uuid>,
        settings: &TerminalSettings,
    ) -> Outcome {
        let items = cart.promotion_items(category);
        let buyer = self.buyer(cart, settings);
        let outcome = best_deals(
            &items,
            self.campaigns,
            self.programs,
            Self::moment(cart, local, desk),
            buyer.as_ref(),
            settings,
        );
        cart.apply_deals(&outcome);
        outcome
    }

    /// Why each campaign and program did or did not apply to `cart` as it is
    /// now (the cart's "Why this price?").
    pub fn explain(
        &self,
        cart: &Cart,
        local: NaiveDateTime,
        desk: u8,
        category: impl Fn(&str) -> Option<Uuid>,
        settings: &TerminalSettings,
    ) -> Vec<Explanation> {
        let items: Vec<Item> = cart.promotion_items(category);
        let buyer = self.buyer(cart, settings);
        let moment = Self::moment(cart, local, desk);
        let outcome = best_deals(&items, self.campaigns, self.programs, moment, buyer.as_ref(), settings);
        explain(&items, &outcome, self.campaigns, self.programs, moment, buyer.as_ref(), settings)
    }
}

/// The price `api/Sale` is sent for one unit of `line`: the unit price less
/// the line's one-line promotion per unit (the back office accepts a price a
/// campaign or program in force gives).
pub fn sale_price(line: &CartLine) -> Decimal {
    match &line.promotion {
        Some((_, off)) if line.quantity > 0 => line.unit_price - off / Decimal::from(line.quantity),
        _ => line.unit_price,
    }
}

/// Whether `cart` can only go to the back office as its order: a bundle or a
/// free unit is no uniform unit price, so `api/Sale` (one price per item)
/// cannot carry it, nor a promotion whose per-unit amount is not exact.
pub fn order_only(cart: &Cart, campaigns: &[Campaign], settings: &TerminalSettings) -> bool {
    cart.lines.iter().any(|line| {
        let Some((promotion, off)) = &line.promotion else { return false };
        let whole_sets = matches!(promotion.kind, PromotionKind::Campaign)
            && campaigns.iter().any(|c| {
                c.id == promotion.id
                    && matches!(c.rule, CampaignRule::Bundle { .. } | CampaignRule::EveryNthFree { .. })
            });
        let per_unit = sale_price(line);
        whole_sets
            || per_unit.normalize().scale() > settings.price_decimals
            || per_unit * Decimal::from(line.quantity) != line.unit_price * Decimal::from(line.quantity) - off
    })
}

/// The "every n-th free" credits `customer`'s sales among `orders` (this
/// terminal's unsent ones) used, per campaign: the free units of each line
/// such a campaign took off.
pub fn credits_used(orders: &[Order], customer: Uuid, campaigns: &[Campaign]) -> Vec<(Uuid, u32)> {
    let free_campaign = |id: Uuid| {
        campaigns.iter().any(|c| c.id == id && matches!(c.rule, CampaignRule::EveryNthFree { .. }))
    };
    let mut used: Vec<(Uuid, u32)> = Vec::new();
    let lines = orders
        .iter()
        .filter(|o| o.kind == OrderKind::Sale && o.customer_id == Some(customer))
        .flat_map(|o| &o.lines);
    for line in lines {
        let Some(promotion) = line.promotion.as_ref().filter(|p| free_campaign(p.id)) else { continue };
        if line.unit_price <= Decimal::ZERO {
            continue;
        }
        let free = (line.discount / line.unit_price).floor().to_u32().unwrap_or(0);
        match used.iter_mut().find(|(c, _)| *c == promotion.id) {
            Some((_, n)) => *n += free,
            None => used.push((promotion.id, free)),
        }
    }
    used
}

#[cfg(test)]
mod tests;
