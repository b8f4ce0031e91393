//! Why each campaign and program did or did not apply to a cart: what the
//! cart shows when the cashier asks.

use super::engine::{option_for, Outcome};
use super::{Buyer, Item, Moment};
use possum_contract::campaign::{Campaign, CampaignRule, NotInForce};
use possum_contract::loyalty::DiscountProgram;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Took `amount` off these lines.
    Applied { lines: Vec<u32>, amount: Decimal },
    /// Not running now, and why.
    NotInForce(NotInForce),
    /// Nothing in the cart it is for.
    NothingInCart,
    /// It needs a customer on the sale (or this customer is not in it).
    NotForThisCustomer,
    /// The customer has no credit left.
    NoCredit,
    /// A bundle whose articles are not all in the cart.
    BundleIncomplete,
    /// It would apply, but another promotion takes more off the same lines.
    Beaten { by: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub name: String,
    pub verdict: Verdict,
}

/// One explanation per campaign (in force or not) and per discount program.
pub fn explain(
    items: &[Item],
    outcome: &Outcome,
    campaigns: &[Campaign],
    programs: &[DiscountProgram],
    moment: Moment,
    buyer: Option<&Buyer>,
    settings: &TerminalSettings,
) -> Vec<Explanation> {
    let mut out = Vec::new();
    let applied = |id: uuid::Uuid| {
        let deals: Vec<_> = outcome.deals.iter().filter(|d| d.promotion.id == id).collect();
        (!deals.is_empty()).then(|| Verdict::Applied {
            lines: deals.iter().map(|d| d.key).collect(),
            amount: deals.iter().map(|d| d.discount).sum(),
        })
    };
    // Who took the lines this promotion wanted.
    let beaten = |keys: &[u32]| {
        let by = keys.iter().find_map(|k| outcome.deal(*k)).map(|d| d.promotion.name.clone());
        match by {
            Some(by) => Verdict::Beaten { by },
            None => Verdict::NothingInCart,
        }
    };
    for c in campaigns {
        let verdict = if let Some(v) = applied(c.id) {
            v
        } else if let Err(reason) = c.in_force(moment.local, moment.desk, moment.price_group) {
            Verdict::NotInForce(reason)
        } else {
            match &c.rule {
                CampaignRule::Bundle { article_numbers, .. } => {
                    if article_numbers.iter().all(|a| items.iter().any(|i| &i.article_number == a)) {
                        let keys: Vec<u32> = items
                            .iter()
                            .filter(|i| article_numbers.contains(&i.article_number))
                            .map(|i| i.key)
                            .collect();
                        beaten(&keys)
                    } else {
                        Verdict::BundleIncomplete
                    }
                }
                CampaignRule::EveryNthFree { .. } => {
                    let wanted: Vec<u32> = items
                        .iter()
                        .filter(|i| option_for(i, &c.rule, 1, settings).is_some())
                        .map(|i| i.key)
                        .collect();
                    match buyer {
                        None => Verdict::NotForThisCustomer,
                        Some(_) if wanted.is_empty() => Verdict::NothingInCart,
                        Some(b) if b.credits(c.id) == 0 => Verdict::NoCredit,
                        Some(_) => beaten(&wanted),
                    }
                }
                rule => {
                    let wanted: Vec<u32> = items
                        .iter()
                        .filter(|i| option_for(i, rule, 0, settings).is_some())
                        .map(|i| i.key)
                        .collect();
                    beaten(&wanted)
                }
            }
        };
        out.push(Explanation { name: c.name.clone(), verdict });
    }
    for p in programs {
        let verdict = match (applied(p.id), buyer) {
            (Some(v), _) => v,
            (None, Some(b)) if p.is_for(b.id, b.group.as_deref()) => {
                let wanted: Vec<u32> = items
                    .iter()
                    .filter(|i| {
                        p.discounts.iter().any(|d| {
                            d.article_number.as_deref() == Some(i.article_number.as_str())
                                || (d.category_id.is_some() && d.category_id == i.category)
                        })
                    })
                    .map(|i| i.key)
                    .collect();
                beaten(&wanted)
            }
            _ => Verdict::NotForThisCustomer,
        };
        out.push(Explanation { name: p.name.clone(), verdict });
    }
    out
}
