//! The back office's own catalogue, as the price checks read it: the articles
//! an order or a sale request names, and the prices each had lately.

use crate::params;
use crate::store::sql::{self, Tx};
use crate::store::{clock, entity};
use possum_contract::catalogue::{Product, ProductCombination};
use possum_contract::settings::TerminalSettings;
use possum_pricing::article::Article;
use possum_pricing::money::gross_price;
use possum_pricing::verify::PriceBook;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

const DAY_US: i64 = 86_400_000_000;

/// The [`PriceBook`] of `numbers` (article numbers of products or
/// combinations): each as it is now, with the parts of a combination, and the
/// prices each had within the tenant's stale window.
pub fn price_book(conn: &Tx<'_>, numbers: &[String], settings: &TerminalSettings) -> sql::Result<PriceBook> {
    let mut book = PriceBook::new();
    let since = clock::now_us() - i64::from(settings.stale_price_days) * DAY_US;
    let mut earlier_of = Vec::<(String, Decimal)>::new();
    for number in numbers {
        if let Some(product) = entity::find_by::<Product>(conn, "article_number", number.as_str())? {
            earlier_of.push((number.clone(), product.vat_percent));
            if let Some(category) = product.category_id {
                book.set_category(number, category);
            }
            book.add_article(Article::from_product(&product));
        } else if let Some(combination) =
            entity::find_by::<ProductCombination>(conn, "article_number", number.as_str())?
        {
            let mut parts = HashMap::new();
            for part in &combination.parts {
                if let Some(p) =
                    entity::find_by::<Product>(conn, "article_number", part.article_number.as_str())?
                {
                    earlier_of.push((p.article_number.clone(), p.vat_percent));
                    parts.insert(p.article_number.clone(), p);
                }
            }
            // A combination naming a part the catalogue lacks cannot be sold: it stays out of the book.
            if let Ok(article) = Article::from_combination(&combination, settings, |n| parts.get(n).cloned())
            {
                earlier_of.push((number.clone(), article.vat_percent));
                book.add_article(article);
            }
        } else {
            // Deleted since: only its earlier prices can vouch for a line.
            earlier_of.push((number.clone(), Decimal::ZERO));
        }
    }
    for (number, current_vat) in earlier_of {
        let rows = conn.query_map(
            "SELECT price_group, price, vat_percent FROM earlier_prices
             WHERE article_number = ?1 AND replaced_at >= ?2 ORDER BY replaced_at DESC",
            params![number, since],
            |r| Ok((r.get::<u8>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
        )?;
        for (group, price, vat) in rows {
            let (Ok(price), Ok(vat)) = (Decimal::from_str(&price), Decimal::from_str(&vat)) else { continue };
            // A combination's earlier price is kept without a rate; it takes its parts'.
            let vat = if vat.is_zero() { current_vat } else { vat };
            book.add_earlier_price(&number, group, gross_price(price, vat, settings));
        }
    }
    Ok(book)
}
