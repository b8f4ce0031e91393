//! The cart: lines, quantities, price groups, overrides and totals.
//!
//! Unit prices in the cart are VAT-inclusive (converted once on entry when the
//! catalogue's prices exclude VAT), so a line total is quantity × unit price and
//! what the cashier sees is what the receipt and the back office get.

use crate::money;
use possum_contract::activity::{Promotion, StaffApproval};
use possum_contract::catalogue::{Permission, Role};
use possum_contract::customer::Customer;
use possum_contract::settings::TerminalSettings;
use possum_pricing::lines::{line_amounts, Sold};
use possum_pricing::promotions::{Item, Outcome};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use possum_pricing::article::{Article, Part};
/// The most of one article on one line (the back office's limit too).
pub use possum_pricing::limits::MAX_QUANTITY;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    #[error("{0} is blocked and cannot be sold.")]
    Blocked(String),
    #[error("{0} has no price in this price group.")]
    NoPrice(String),
    #[error("The combination {0} names article {1}, which this terminal does not know. Sync and try again.")]
    UnknownPart(String, String),
    #[error("A quantity must be a whole number from 1 to {MAX_QUANTITY}.")]
    Quantity,
    #[error("A price must be zero or more, with at most {0} decimals.")]
    Price(u32),
    #[error("A discount must be from 0 to 100 percent.")]
    Percent,
    #[error("Your role may not do this; ask a manager.")]
    NotAllowed,
    #[error("That line is no longer in the cart.")]
    NoSuchLine,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// Stable within the cart, for the screen's keys.
    pub key: u32,
    pub article: Article,
    pub quantity: i32,
    /// The price group's price, VAT included.
    pub list_price: Decimal,
    /// What one unit is sold for: the list price unless overridden or discounted.
    pub unit_price: Decimal,
    /// Set when a manager changed the price; a price-group switch keeps it.
    pub overridden: bool,
    /// The campaign or discount program that takes money off this line, and
    /// how much (the whole line). Set by [`Cart::apply_deals`]; never on an
    /// overridden line.
    #[serde(default)]
    pub promotion: Option<(Promotion, Decimal)>,
}

impl From<possum_pricing::article::UnknownPart> for CartError {
    fn from(e: possum_pricing::article::UnknownPart) -> Self {
        CartError::UnknownPart(e.combination, e.article)
    }
}

impl CartLine {
    /// The line as the pricing rules see it.
    pub fn sold(&self) -> Sold<'_> {
        Sold {
            article: &self.article,
            quantity: self.quantity,
            list_price: self.list_price,
            unit_price: self.unit_price,
            promotion: self.promotion.as_ref().map(|(p, off)| (p, *off)),
        }
    }

    pub fn total(&self) -> Decimal {
        self.sold().total()
    }

    /// Everything taken off the list price: a manager's price or discount, or a promotion.
    pub fn discount(&self) -> Decimal {
        (self.list_price - self.unit_price) * Decimal::from(self.quantity)
            + self.promotion.as_ref().map_or(Decimal::ZERO, |(_, off)| *off)
    }
}

/// How the customer on the sale was identified; `api/Sale` is told the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentifiedBy {
    CardNumber,
    CardUid,
    LicensePlate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedCustomer {
    pub customer: Customer,
    pub by: IdentifiedBy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Cart {
    pub price_group: u8,
    pub lines: Vec<CartLine>,
    pub customer: Option<AttachedCustomer>,
    next_key: u32,
    /// The id the sale will have: a manager's approval is given for it (and
    /// `api/Sale`'s Idempotency-Key is it), so it exists before the sale does.
    #[serde(default = "Uuid::new_v4")]
    pub order_id: Uuid,
    /// A manager's approval of what this cart does beyond a cashier's role
    /// (prices away from the list, another price group).
    #[serde(default)]
    pub approval: Option<StaffApproval>,
}

/// The VAT of one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub percent: Decimal,
    pub gross: Decimal,
    pub vat: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Σ line totals, VAT included.
    pub total: Decimal,
    pub discount: Decimal,
    pub vat: Vec<VatLine>,
    pub vat_total: Decimal,
    pub items: i32,
}

impl Cart {
    pub fn new(price_group: u8) -> Self {
        Self { price_group, order_id: Uuid::new_v4(), ..Self::default() }
    }

    /// Whether a manager must approve this cart before it is sold: a line
    /// sold away from its list price, or a price group other than the
    /// default or the customer's own (the back office's rule, `possum_pricing::verify`).
    pub fn needs_approval(&self, settings: &TerminalSettings) -> bool {
        let entitled = self.customer.as_ref().and_then(|c| c.customer.price_group);
        let group_ok = self.price_group == settings.default_price_group || Some(self.price_group) == entitled;
        !group_ok || self.lines.iter().any(|l| l.overridden && l.unit_price != l.list_price)
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Adds one of `article`: to its line if it has one at the list price, else on a new line.
    pub fn add(&mut self, article: Article, settings: &TerminalSettings) -> Result<u32, CartError> {
        if article.blocked {
            return Err(CartError::Blocked(article.name));
        }
        let price = article
            .price(self.price_group, settings)
            .ok_or_else(|| CartError::NoPrice(article.name.clone()))?;
        if let Some(line) = self
            .lines
            .iter_mut()
            .find(|l| l.article.article_number == article.article_number && !l.overridden)
        {
            if line.quantity >= MAX_QUANTITY {
                return Err(CartError::Quantity);
            }
            line.quantity += 1;
            return Ok(line.key);
        }
        self.next_key += 1;
        self.lines.push(CartLine {
            key: self.next_key,
            article,
            quantity: 1,
            list_price: price,
            unit_price: price,
            overridden: false,
            promotion: None,
        });
        Ok(self.next_key)
    }

    fn line(&mut self, key: u32) -> Result<&mut CartLine, CartError> {
        self.lines.iter_mut().find(|l| l.key == key).ok_or(CartError::NoSuchLine)
    }

    pub fn set_quantity(&mut self, key: u32, quantity: i32) -> Result<(), CartError> {
        if !(1..=MAX_QUANTITY).contains(&quantity) {
            return Err(CartError::Quantity);
        }
        self.line(key)?.quantity = quantity;
        Ok(())
    }

    /// Typed quantities arrive as text; anything but a whole number in range is refused.
    pub fn set_quantity_text(&mut self, key: u32, text: &str) -> Result<(), CartError> {
        let quantity = text.trim().parse::<i32>().map_err(|_| CartError::Quantity)?;
        self.set_quantity(key, quantity)
    }

    /// One more or one fewer; going below one removes the line.
    pub fn step(&mut self, key: u32, delta: i32) -> Result<(), CartError> {
        let quantity = self.line(key)?.quantity + delta;
        if quantity < 1 {
            self.remove(key);
            Ok(())
        } else {
            self.set_quantity(key, quantity)
        }
    }

    pub fn remove(&mut self, key: u32) {
        self.lines.retain(|l| l.key != key);
    }

    /// Switches the price group; every line not overridden takes the group's price.
    pub fn set_price_group(&mut self, group: u8, settings: &TerminalSettings) {
        self.price_group = group;
        for line in &mut self.lines {
            if let Some(price) = line.article.price(group, settings) {
                line.list_price = price;
                if !line.overridden {
                    line.unit_price = price;
                }
            }
        }
    }

    /// Sets a line's unit price (VAT included). Only for roles that may override prices.
    pub fn override_price(
        &mut self,
        key: u32,
        price: Decimal,
        role: Role,
        settings: &TerminalSettings,
    ) -> Result<(), CartError> {
        if !role.may(Permission::PriceOverride) {
            return Err(CartError::NotAllowed);
        }
        if price.is_sign_negative() || price.scale() > settings.price_decimals {
            return Err(CartError::Price(settings.price_decimals));
        }
        let line = self.line(key)?;
        line.unit_price = price;
        line.overridden = true;
        line.promotion = None;
        Ok(())
    }

    /// Takes `percent` off a line's list price. Only for roles that may discount.
    pub fn discount_percent(
        &mut self,
        key: u32,
        percent: Decimal,
        role: Role,
        settings: &TerminalSettings,
    ) -> Result<(), CartError> {
        if !role.may(Permission::Discount) {
            return Err(CartError::NotAllowed);
        }
        if percent.is_sign_negative() || percent > Decimal::ONE_HUNDRED {
            return Err(CartError::Percent);
        }
        let line = self.line(key)?;
        line.unit_price =
            money::round(line.list_price * (Decimal::ONE_HUNDRED - percent) / Decimal::ONE_HUNDRED, settings);
        line.overridden = true;
        line.promotion = None;
        Ok(())
    }

    /// The lines promotions may apply to (products at their list price), as
    /// the promotions see them; `category` finds an article's category.
    pub fn promotion_items(&self, category: impl Fn(&str) -> Option<uuid::Uuid>) -> Vec<Item> {
        self.lines
            .iter()
            .filter(|l| !l.overridden && l.article.parts.is_empty())
            .map(|l| Item {
                key: l.key,
                article_number: l.article.article_number.clone(),
                category: category(&l.article.article_number),
                quantity: l.quantity,
                list_price: l.list_price,
                vat_percent: l.article.vat_percent,
            })
            .collect()
    }

    /// Puts each line's best promotion on it (and takes it off the lines that
    /// have none any more). The caller computes `outcome` with
    /// `possum_pricing::promotions::best_deals` whenever the cart, the
    /// customer or the time changes.
    pub fn apply_deals(&mut self, outcome: &Outcome) {
        for line in &mut self.lines {
            line.promotion = match outcome.deal(line.key) {
                Some(deal) if !line.overridden => Some((deal.promotion.clone(), deal.discount)),
                _ => None,
            };
        }
    }

    pub fn totals(&self, settings: &TerminalSettings) -> Totals {
        let mut totals = Totals::default();
        for (gross, percent) in self.lines.iter().flat_map(|l| line_amounts(&l.sold(), settings)) {
            match totals.vat.iter_mut().find(|v| v.percent == percent) {
                Some(v) => v.gross += gross,
                None => totals.vat.push(VatLine { percent, gross, vat: Decimal::ZERO }),
            }
        }
        totals.vat.sort_by_key(|v| v.percent);
        for v in &mut totals.vat {
            v.vat = money::vat_of_gross(v.gross, v.percent, settings);
        }
        totals.vat_total = totals.vat.iter().map(|v| v.vat).sum();
        totals.total = self.lines.iter().map(CartLine::total).sum();
        totals.discount = self.lines.iter().map(CartLine::discount).sum();
        totals.items = self.lines.iter().map(|l| l.quantity).sum();
        totals
    }

    /// Lines whose article number is among `articles` (from `Data` of errors 14 and 16).
    pub fn lines_of(&self, articles: &[String]) -> Vec<u32> {
        self.lines
            .iter()
            .filter(|l| {
                articles.iter().any(|a| {
                    a == &l.article.article_number || l.article.parts.iter().any(|p| &p.article_number == a)
                })
            })
            .map(|l| l.key)
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use possum_contract::catalogue::{CombinationPart, GroupPrice, Product, ProductCombination};
    use rust_decimal_macros::dec;
    use uuid::Uuid;

    pub fn product(article: &str, prices: &[(u8, Decimal)], vat: Decimal) -> Product {
        Product {
            id: Uuid::new_v4(),
            article_number: article.into(),
            barcode: None,
            name: format!("Article {article}"),
            category_id: None,
            prices: prices.iter().map(|(g, p)| GroupPrice { price_group: *g, price: *p }).collect(),
            vat_percent: vat,
            is_wash: false,
            blocked: false,
            sort_order: 0,
        }
    }

    fn settings() -> TerminalSettings {
        TerminalSettings::default()
    }

    #[test]
    fn adding_twice_counts_up_one_line() {
        let s = settings();
        let mut cart = Cart::new(1);
        let a = Article::from_product(&product("A", &[(1, dec!(99.50))], dec!(25)));
        let k1 = cart.add(a.clone(), &s).unwrap();
        let k2 = cart.add(a, &s).unwrap();
        assert_eq!(k1, k2);
        assert_eq!(cart.lines[0].quantity, 2);
        assert_eq!(cart.totals(&s).total, dec!(199.00));
        assert_eq!(cart.totals(&s).vat_total, dec!(39.80));
    }

    #[test]
    fn quantities_are_checked_and_stepping_below_one_removes() {
        let s = settings();
        let mut cart = Cart::new(1);
        let k = cart.add(Article::from_product(&product("A", &[(1, dec!(10))], dec!(25))), &s).unwrap();
        assert_eq!(cart.set_quantity_text(k, "abc"), Err(CartError::Quantity));
        assert_eq!(cart.set_quantity_text(k, "0"), Err(CartError::Quantity));
        assert_eq!(cart.set_quantity_text(k, "10001"), Err(CartError::Quantity));
        assert_eq!(cart.set_quantity_text(k, "1.5"), Err(CartError::Quantity));
        cart.set_quantity_text(k, " 3 ").unwrap();
        assert_eq!(cart.totals(&s).total, dec!(30));
        cart.step(k, -1).unwrap();
        assert_eq!(cart.lines[0].quantity, 2);
        cart.step(k, -2).unwrap();
        assert!(cart.is_empty());
        assert_eq!(cart.step(k, 1), Err(CartError::NoSuchLine));
    }

    #[test]
    fn blocked_and_unpriced_articles_are_refused() {
        let s = settings();
        let mut cart = Cart::new(1);
        let mut blocked = product("B", &[(1, dec!(10))], dec!(25));
        blocked.blocked = true;
        assert!(matches!(cart.add(Article::from_product(&blocked), &s), Err(CartError::Blocked(_))));
        assert!(matches!(
            cart.add(Article::from_product(&product("N", &[(2, dec!(10))], dec!(25))), &s),
            Err(CartError::NoPrice(_))
        ));
        assert!(cart.is_empty());
    }

    #[test]
    fn a_price_group_switch_reprices_all_but_overridden_lines() {
        let s = settings();
        let mut cart = Cart::new(1);
        let a = cart
            .add(Article::from_product(&product("A", &[(1, dec!(100)), (2, dec!(80))], dec!(25))), &s)
            .unwrap();
        let b = cart.add(Article::from_product(&product("B", &[(1, dec!(50))], dec!(25))), &s).unwrap();
        let c = cart
            .add(Article::from_product(&product("C", &[(1, dec!(40)), (2, dec!(30))], dec!(25))), &s)
            .unwrap();
        cart.override_price(c, dec!(35), Role::Manager, &s).unwrap();
        cart.set_price_group(2, &s);
        let price = |k: u32| cart.lines.iter().find(|l| l.key == k).unwrap().unit_price;
        assert_eq!((price(a), price(b), price(c)), (dec!(80), dec!(50), dec!(35)));
        assert_eq!(cart.totals(&s).total, dec!(165));
        assert_eq!(cart.totals(&s).discount, dec!(-5));
    }

    #[test]
    fn overrides_and_discounts_need_the_role() {
        let s = settings();
        let mut cart = Cart::new(1);
        let k = cart.add(Article::from_product(&product("A", &[(1, dec!(99))], dec!(25))), &s).unwrap();
        assert_eq!(cart.override_price(k, dec!(1), Role::Cashier, &s), Err(CartError::NotAllowed));
        assert_eq!(cart.discount_percent(k, dec!(10), Role::Cashier, &s), Err(CartError::NotAllowed));
        assert_eq!(cart.override_price(k, dec!(-1), Role::Manager, &s), Err(CartError::Price(2)));
        assert_eq!(cart.override_price(k, dec!(1.005), Role::Manager, &s), Err(CartError::Price(2)));
        assert_eq!(cart.discount_percent(k, dec!(101), Role::Manager, &s), Err(CartError::Percent));
        cart.discount_percent(k, dec!(15), Role::Manager, &s).unwrap();
        assert_eq!(cart.lines[0].unit_price, dec!(84.15));
        cart.set_quantity(k, 3).unwrap();
        let t = cart.totals(&s);
        assert_eq!((t.total, t.discount), (dec!(252.45), dec!(44.55)));
        // An overridden line is not merged with a fresh one of the same article.
        cart.add(Article::from_product(&product("A", &[(1, dec!(99))], dec!(25))), &s).unwrap();
        assert_eq!(cart.lines.len(), 2);
    }

    #[test]
    fn a_manager_must_approve_a_changed_price_or_a_price_group_not_the_customers() {
        let s = settings();
        let mut cart = Cart::new(1);
        let k = cart
            .add(Article::from_product(&product("A", &[(1, dec!(100)), (3, dec!(80))], dec!(25))), &s)
            .unwrap();
        assert!(!cart.needs_approval(&s));
        assert_ne!(cart.order_id, Uuid::nil(), "a cart has its sale's id from the start");
        cart.set_price_group(3, &s);
        assert!(cart.needs_approval(&s), "fleet prices for anyone");
        let fleet = Customer { price_group: Some(3), ..Customer::new(Uuid::new_v4(), "Fleet AB") };
        cart.customer = Some(AttachedCustomer { customer: fleet, by: IdentifiedBy::CardNumber });
        assert!(!cart.needs_approval(&s), "the fleet customer's own group");
        cart.discount_percent(k, dec!(10), Role::Manager, &s).unwrap();
        assert!(cart.needs_approval(&s));
    }

    #[test]
    fn vat_is_summed_per_rate() {
        let s = settings();
        let mut cart = Cart::new(1);
        cart.add(Article::from_product(&product("W", &[(1, dec!(125))], dec!(25))), &s).unwrap();
        cart.add(Article::from_product(&product("F", &[(1, dec!(28))], dec!(12))), &s).unwrap();
        cart.add(Article::from_product(&product("G", &[(1, dec!(10))], dec!(0))), &s).unwrap();
        let t = cart.totals(&s);
        assert_eq!(t.total, dec!(163));
        assert_eq!(
            t.vat.iter().map(|v| (v.percent, v.vat)).collect::<Vec<_>>(),
            [(dec!(0), dec!(0)), (dec!(12), dec!(3.00)), (dec!(25), dec!(25.00))]
        );
        assert_eq!(t.vat_total, dec!(28.00));
    }

    #[test]
    fn net_catalogue_prices_get_vat_added_once() {
        let s = TerminalSettings { prices_include_vat: false, ..settings() };
        let mut cart = Cart::new(1);
        cart.add(Article::from_product(&product("A", &[(1, dec!(79.99))], dec!(25))), &s).unwrap();
        assert_eq!(cart.lines[0].unit_price, dec!(99.99));
    }

    #[test]
    fn a_combination_carries_its_parts_and_its_own_price() {
        let s = settings();
        let wash = Product { is_wash: true, ..product("W", &[(1, dec!(200))], dec!(25)) };
        let wax = product("X", &[(1, dec!(100))], dec!(25));
        let combo = ProductCombination {
            id: Uuid::new_v4(),
            article_number: "C1".into(),
            name: "Wash + wax".into(),
            category_id: None,
            prices: vec![GroupPrice { price_group: 1, price: dec!(249) }],
            parts: vec![
                CombinationPart { article_number: "W".into(), quantity: 1 },
                CombinationPart { article_number: "X".into(), quantity: 1 },
            ],
            blocked: false,
        };
        let find = |a: &str| [wash.clone(), wax.clone()].into_iter().find(|p| p.article_number == a);
        let article = Article::from_combination(&combo, &s, find).unwrap();
        assert!(article.is_wash);
        let mut cart = Cart::new(1);
        cart.add(article, &s).unwrap();
        assert_eq!(cart.totals(&s).total, dec!(249));
        assert_eq!(cart.lines_of(&["X".into()]), vec![1]);
        let missing = Article::from_combination(&combo, &s, |_| None);
        assert!(matches!(missing.map_err(CartError::from), Err(CartError::UnknownPart(_, _))));
    }
}
