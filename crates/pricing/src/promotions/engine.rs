//! Finding each line's best promotion (see the module's rule).

use super::{Buyer, Item, Moment};
use crate::money::{gross_price, round};
use possum_contract::activity::{Promotion, PromotionKind};
use possum_contract::campaign::{Campaign, CampaignRule};
use possum_contract::loyalty::DiscountProgram;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Money taken off one line, and what took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deal {
    pub key: u32,
    /// The whole line's discount, VAT included.
    pub discount: Decimal,
    pub promotion: Promotion,
    /// Units made free by an "every n-th free" credit (0 otherwise).
    pub free_units: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    pub deals: Vec<Deal>,
}

impl Outcome {
    pub fn deal(&self, key: u32) -> Option<&Deal> {
        self.deals.iter().find(|d| d.key == key)
    }

    /// Credits used per campaign.
    pub fn credits_used(&self) -> Vec<(uuid::Uuid, u32)> {
        let mut out: Vec<(uuid::Uuid, u32)> = Vec::new();
        for d in self.deals.iter().filter(|d| d.free_units > 0) {
            match out.iter_mut().find(|(c, _)| *c == d.promotion.id) {
                Some((_, n)) => *n += d.free_units,
                None => out.push((d.promotion.id, d.free_units)),
            }
        }
        out
    }
}

fn campaign_promotion(c: &Campaign) -> Promotion {
    Promotion { id: c.id, name: c.name.clone(), kind: PromotionKind::Campaign }
}

fn program_promotion(p: &DiscountProgram) -> Promotion {
    Promotion { id: p.id, name: p.name.clone(), kind: PromotionKind::Program }
}

/// What one single-line promotion takes off `item` (the whole line), if it
/// applies to it. Bundles are not single-line; an "every n-th free" campaign
/// gives `credits` units free.
pub fn option_for(
    item: &Item,
    rule: &CampaignRule,
    credits: u32,
    settings: &TerminalSettings,
) -> Option<(Decimal, u32)> {
    let quantity = Decimal::from(item.quantity);
    let per_unit = |off: Decimal| Some((off.clamp(Decimal::ZERO, item.list_price) * quantity, 0));
    match rule {
        CampaignRule::FixedPrice { article_number, price } if *article_number == item.article_number => {
            per_unit(item.list_price - gross_price(*price, item.vat_percent, settings))
        }
        CampaignRule::PercentOff { category_id, percent } if item.category == Some(*category_id) => {
            per_unit(round(item.list_price * percent / Decimal::ONE_HUNDRED, settings))
        }
        CampaignRule::AmountOff { category_id, amount } if item.category == Some(*category_id) => {
            per_unit(gross_price(*amount, item.vat_percent, settings))
        }
        CampaignRule::EveryNthFree { article_numbers, .. }
            if article_numbers.contains(&item.article_number) =>
        {
            let free = credits.min(item.quantity.max(0) as u32);
            (free > 0).then(|| (item.list_price * Decimal::from(free), free))
        }
        _ => None,
    }
}

fn program_option(item: &Item, program: &DiscountProgram, settings: &TerminalSettings) -> Option<Decimal> {
    let best = program
        .discounts
        .iter()
        .filter(|d| {
            d.article_number.as_deref() == Some(item.article_number.as_str())
                || (d.category_id.is_some() && d.category_id == item.category)
        })
        .map(|d| d.percent)
        .max()?;
    Some(round(item.list_price * best / Decimal::ONE_HUNDRED, settings) * Decimal::from(item.quantity))
}

/// Each line's best promotion for this customer, at this moment.
pub fn best_deals(
    items: &[Item],
    campaigns: &[Campaign],
    programs: &[DiscountProgram],
    moment: Moment,
    buyer: Option<&Buyer>,
    settings: &TerminalSettings,
) -> Outcome {
    let live: Vec<&Campaign> = campaigns
        .iter()
        .filter(|c| c.in_force(moment.local, moment.desk, moment.price_group).is_ok())
        .collect();
    let mine: Vec<&DiscountProgram> = match buyer {
        Some(b) => programs.iter().filter(|p| p.is_for(b.id, b.group.as_deref())).collect(),
        None => vec![],
    };
    let mut credits: HashMap<uuid::Uuid, u32> = HashMap::new();
    let mut chosen: Vec<Option<Deal>> = vec![None; items.len()];
    for (i, item) in items.iter().enumerate() {
        let mut best: Option<Deal> = None;
        let mut consider = |discount: Decimal, promotion: Promotion, free_units: u32| {
            if discount > Decimal::ZERO && best.as_ref().is_none_or(|b| discount > b.discount) {
                best = Some(Deal { key: item.key, discount, promotion, free_units });
            }
        };
        for c in &live {
            let left = match &c.rule {
                CampaignRule::EveryNthFree { .. } => match buyer {
                    Some(b) => {
                        b.credits(c.id) - credits.get(&c.id).copied().unwrap_or(0).min(b.credits(c.id))
                    }
                    None => continue,
                },
                _ => 0,
            };
            if let Some((discount, free)) = option_for(item, &c.rule, left, settings) {
                consider(discount, campaign_promotion(c), free);
            }
        }
        for p in &mine {
            if let Some(discount) = program_option(item, p, settings) {
                consider(discount, program_promotion(p), 0);
            }
        }
        if let Some(deal) = &best {
            if deal.free_units > 0 {
                *credits.entry(deal.promotion.id).or_default() += deal.free_units;
            }
        }
        chosen[i] = best;
    }
    for c in &live {
        if let CampaignRule::Bundle { article_numbers, price } = &c.rule {
            bundle(items, &mut chosen, c, article_numbers, *price, settings);
        }
    }
    Outcome { deals: chosen.into_iter().flatten().collect() }
}

/// Gives the bundle the units it joins when the sets save more than those
/// lines' own best deals.
fn bundle(
    items: &[Item],
    chosen: &mut [Option<Deal>],
    campaign: &Campaign,
    articles: &[String],
    price: Decimal,
    settings: &TerminalSettings,
) {
    // One line per article of the bundle: the first that holds it.
    let members: Vec<usize> =
        articles.iter().filter_map(|a| items.iter().position(|item| item.article_number == *a)).collect();
    if members.len() != articles.len() {
        return;
    }
    let sets = members.iter().map(|&i| items[i].quantity).min().unwrap_or(0);
    if sets < 1 {
        return;
    }
    let lines: Vec<&Item> = members.iter().map(|&i| &items[i]).collect();
    let shares = bundle_shares(&lines, price, sets, settings);
    let saving: Decimal = shares.iter().sum();
    let own: Decimal =
        members.iter().map(|&i| chosen[i].as_ref().map_or(Decimal::ZERO, |d| d.discount)).sum();
    if saving <= own {
        return;
    }
    for (&i, share) in members.iter().zip(shares) {
        chosen[i] = Some(Deal {
            key: items[i].key,
            discount: share,
            promotion: campaign_promotion(campaign),
            free_units: 0,
        });
    }
}

/// The discount each line of a bundle gets for `sets` sets at `price`: the
/// saving shared out by the lines' list prices, the last taking the rest,
/// so the shares add up exactly (as a combination's price is shared out).
pub fn bundle_shares(
    lines: &[&Item],
    price: Decimal,
    sets: i32,
    settings: &TerminalSettings,
) -> Vec<Decimal> {
    let list: Decimal = lines.iter().map(|l| l.list_price).sum();
    let bundle_price = gross_price(price, lines.first().map_or(Decimal::ZERO, |l| l.vat_percent), settings);
    let saving = ((list - bundle_price) * Decimal::from(sets)).max(Decimal::ZERO);
    let mut left = saving;
    let mut shares = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let share = if n + 1 == lines.len() || list.is_zero() {
            left
        } else {
            round(saving * line.list_price / list, settings)
        };
        left -= share;
        shares.push(share);
    }
    shares
}
