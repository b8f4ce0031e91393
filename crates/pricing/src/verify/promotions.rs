//! A line's promotion claim against the back office's campaigns and
//! programs: the campaign (a version in force when the order was made) or
//! the customer's program applies to the line and takes exactly the
//! line's `Discount` off it. Whether the terminal picked the customer's best
//! is not checked: a worse deal costs nobody but the customer, who saw it.

use super::Refusal;
use crate::promotions::{bundle_shares, option_for, Buyer, Item, Moment};
use possum_contract::activity::{OrderLine, PromotionKind};
use possum_contract::campaign::{Campaign, CampaignRule};
use possum_contract::loyalty::DiscountProgram;
use possum_contract::settings::TerminalSettings;
use rust_decimal::Decimal;

/// What the back office knows of the promotions one order may name.
#[derive(Debug, Clone)]
pub struct PromotionBook {
    /// Each campaign as it is now (`true`) and as it was within the stale window (`false`).
    pub campaigns: Vec<(Campaign, bool)>,
    pub programs: Vec<DiscountProgram>,
    pub buyer: Option<Buyer>,
    /// When and where the order was made (the shop's time).
    pub moment: Moment,
}

impl PromotionBook {
    /// A book with no promotions (a back office that has none, or a test).
    pub fn none(moment: Moment) -> Self {
        Self { campaigns: vec![], programs: vec![], buyer: None, moment }
    }
}

/// A claim that holds: whether it rests on a campaign as it is today, and
/// how many units a free-item credit paid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimHolds {
    pub current: bool,
    pub free_units: u32,
}

fn item(line: &OrderLine, vat: Decimal) -> Item {
    Item {
        key: 0,
        article_number: line.article_number.clone(),
        category: None,
        quantity: line.quantity,
        list_price: line.unit_price,
        vat_percent: vat,
    }
}

/// Checks line `i` (positive quantities) of `lines`: its promotion claim, its
/// category from the catalogue (`category`), its list price `list`.
pub fn check_claim(
    i: usize,
    lines: &[OrderLine],
    category: Option<uuid::Uuid>,
    promos: &PromotionBook,
    settings: &TerminalSettings,
) -> Result<ClaimHolds, Refusal> {
    let line = &lines[i];
    let claim = line.promotion.as_ref().expect("a line with a promotion");
    let wrong = |reason: String| Refusal::line(i, &line.article_number, reason);
    let this = Item { category, ..item(line, line.vat_percent) };
    match claim.kind {
        PromotionKind::Program => {
            let program = promos.programs.iter().find(|p| p.id == claim.id);
            let buyer = promos.buyer.as_ref();
            let Some(program) = program.filter(|p| buyer.is_some_and(|b| p.is_for(b.id, b.group.as_deref())))
            else {
                return Err(wrong(format!("the discount program {} is not this customer's", claim.name)));
            };
            let best = program
                .discounts
                .iter()
                .filter(|d| {
                    d.article_number.as_deref() == Some(this.article_number.as_str())
                        || (d.category_id.is_some() && d.category_id == this.category)
                })
                .map(|d| d.percent)
                .max();
            let expected = best.map(|p| {
                crate::money::round(this.list_price * p / Decimal::ONE_HUNDRED, settings)
                    * Decimal::from(this.quantity)
            });
            if expected != Some(line.discount) {
                return Err(wrong(format!("{} does not take {} off it", claim.name, line.discount)));
            }
            Ok(ClaimHolds { current: true, free_units: 0 })
        }
        PromotionKind::Campaign => {
            let versions: Vec<&(Campaign, bool)> =
                promos.campaigns.iter().filter(|(c, _)| c.id == claim.id).collect();
            if versions.is_empty() {
                return Err(wrong(format!("there is no campaign {}", claim.name)));
            }
            let mut reason = format!("{} was not in force when the order was made", claim.name);
            for (campaign, current) in versions {
                if campaign
                    .in_force(promos.moment.local, promos.moment.desk, promos.moment.price_group)
                    .is_err()
                {
                    continue;
                }
                match campaign_gives(i, lines, &this, campaign, promos, settings) {
                    Ok(free_units) => return Ok(ClaimHolds { current: *current, free_units }),
                    Err(why) => reason = why,
                }
            }
            Err(wrong(reason))
        }
    }
}

/// What `campaign` takes off line `i`, as a count of free units, or why it does not take the line's discount.
fn campaign_gives(
    i: usize,
    lines: &[OrderLine],
    this: &Item,
    campaign: &Campaign,
    promos: &PromotionBook,
    settings: &TerminalSettings,
) -> Result<u32, String> {
    let line = &lines[i];
    let differs = || format!("{} does not take {} off it", campaign.name, line.discount);
    match &campaign.rule {
        CampaignRule::Bundle { article_numbers, price } => {
            // The lines claiming the bundle: one per article of it, in its order.
            let members: Option<Vec<&OrderLine>> = article_numbers
                .iter()
                .map(|a| {
                    lines.iter().find(|l| {
                        &l.article_number == a && l.promotion.as_ref().is_some_and(|p| p.id == campaign.id)
                    })
                })
                .collect();
            let members = members.ok_or_else(|| format!("{} needs all its articles", campaign.name))?;
            let sets = members.iter().map(|l| l.quantity).min().unwrap_or(0);
            let items: Vec<Item> = members.iter().map(|l| item(l, l.vat_percent)).collect();
            let refs: Vec<&Item> = items.iter().collect();
            let shares = bundle_shares(&refs, *price, sets, settings);
            let at = members.iter().position(|l| std::ptr::eq(*l, line)).ok_or_else(differs)?;
            if shares[at] == line.discount {
                Ok(0)
            } else {
                Err(differs())
            }
        }
        rule @ CampaignRule::EveryNthFree { .. } => {
            // A free unit costs a credit: claimed free units must be whole units.
            let free = (line.discount / this.list_price).normalize();
            if this.list_price.is_zero() || free.scale() > 0 || free > Decimal::from(line.quantity) {
                return Err(differs());
            }
            let free = u32::try_from(free.mantissa()).map_err(|_| differs())?;
            if promos.buyer.is_none() {
                return Err(format!("{} is for an identified customer", campaign.name));
            }
            match option_for(this, rule, free, settings) {
                Some((off, units)) if off == line.discount && units == free => Ok(free),
                _ => Err(differs()),
            }
        }
        rule => match option_for(this, rule, 0, settings) {
            Some((off, _)) if off == line.discount => Ok(0),
            _ => Err(differs()),
        },
    }
}
