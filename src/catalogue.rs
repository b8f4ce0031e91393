//! The catalogue as the sale screen uses it: every product and combination in
//! display order, the search index over them and the categories, read
//! once from IndexedDB and rebuilt after each pull; beside them the
//! campaigns, discount programs and wash-club plans (`offers.rs`, with the
//! functions that price the cart and cover a wash) and the shop's time zone
//! (`zone.rs`).

mod offers;
mod zone;

pub use offers::{shop_time, Offers, OwnSales};
pub use zone::BrowserZones;

use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::storage::Storage;
use chrono::{DateTime, NaiveDate, Utc};
use possum_contract::catalogue::{Category, Product, ProductCombination};
use possum_contract::endpoints::PullModule;
use possum_contract::lookup;
use possum_contract::loyalty::Subscription;
use possum_contract::settings::TerminalSettings;
use possum_register::cart::{Article, CartError};
use possum_register::search::{Entry, SearchIndex};
use possum_register::subscription;
use std::collections::HashMap;
use std::sync::Arc;

/// One tile of the product grid.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Product(Product),
    Combination(ProductCombination),
}

impl Item {
    pub fn article_number(&self) -> &str {
        match self {
            Item::Product(p) => &p.article_number,
            Item::Combination(c) => &c.article_number,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Item::Product(p) => &p.name,
            Item::Combination(c) => &c.name,
        }
    }

    pub fn blocked(&self) -> bool {
        match self {
            Item::Product(p) => p.blocked,
            Item::Combination(c) => c.blocked,
        }
    }
}

pub struct Catalogue {
    pub items: Vec<Item>,
    pub index: SearchIndex,
    pub categories: Vec<Category>,
    pub customers: u32,
    pub offers: Offers,
    by_article: HashMap<String, usize>,
    by_barcode: HashMap<String, usize>,
}

impl Catalogue {
    pub fn empty() -> Self {
        Self::build(vec![], vec![], vec![], 0)
    }

    pub async fn load(storage: &Storage) -> Result<Arc<Self>, AppError> {
        let products: Vec<Product> = storage.all().await?;
        let combinations: Vec<ProductCombination> = storage.all().await?;
        let mut categories: Vec<Category> = storage.all().await?;
        categories.sort_by(|a, b| (a.sort_order, &a.name).cmp(&(b.sort_order, &b.name)));
        let customers = storage.count(PullModule::Customers).await?;
        let offers = Offers::load(storage).await?;
        Ok(Arc::new(Self { offers, ..Self::build(products, combinations, categories, customers) }))
    }

    fn build(
        mut products: Vec<Product>,
        mut combinations: Vec<ProductCombination>,
        categories: Vec<Category>,
        customers: u32,
    ) -> Self {
        products.sort_by(|a, b| (a.sort_order, &a.name).cmp(&(b.sort_order, &b.name)));
        combinations.sort_by(|a, b| a.name.cmp(&b.name));
        // Combinations first: they are few and sell often.
        let items: Vec<Item> = combinations
            .into_iter()
            .map(Item::Combination)
            .chain(products.into_iter().map(Item::Product))
            .collect();
        let index = SearchIndex::new(items.iter().map(|item| match item {
            Item::Product(p) => Entry {
                words: lookup::product_words(&p.name, &p.article_number, p.barcode.as_deref()),
                category: p.category_id,
            },
            Item::Combination(c) => Entry {
                words: lookup::product_words(&c.name, &c.article_number, None),
                category: c.category_id,
            },
        }));
        let mut by_article = HashMap::with_capacity(items.len());
        let mut by_barcode = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            by_article.insert(item.article_number().to_string(), i);
            if let Item::Product(Product { barcode: Some(code), .. }) = item {
                by_barcode.insert(code.clone(), i);
            }
        }
        Self { items, index, categories, customers, offers: Offers::default(), by_article, by_barcode }
    }

    pub fn products(&self) -> usize {
        self.items.iter().filter(|i| matches!(i, Item::Product(_))).count()
    }

    pub fn by_article(&self, number: &str) -> Option<&Item> {
        self.by_article.get(number).map(|i| &self.items[*i])
    }

    pub fn by_barcode(&self, code: &str) -> Option<&Item> {
        self.by_barcode.get(code).map(|i| &self.items[*i])
    }

    fn product(&self, number: &str) -> Option<Product> {
        match self.by_article(number) {
            Some(Item::Product(p)) => Some(p.clone()),
            _ => None,
        }
    }

    /// What goes into the cart for `item`.
    pub fn article(&self, item: &Item, settings: &TerminalSettings) -> Result<Article, CartError> {
        match item {
            Item::Product(p) => Ok(Article::from_product(p)),
            Item::Combination(c) => Ok(Article::from_combination(c, settings, |n| self.product(n))?),
        }
    }

    /// The price of a tile in price group `group` as `locale` writes it, or
    /// that it has none.
    pub fn price_text_in(
        &self,
        item: &Item,
        group: u8,
        settings: &TerminalSettings,
        locale: Locale,
    ) -> String {
        let price = self.article(item, settings).ok().and_then(|a| a.price(group, settings));
        match price {
            Some(p) => crate::language::written(p, settings, locale),
            None => td_string!(locale, start.catalogue.no_price).to_string(),
        }
    }
}

/// The covered washes `plan` has left on the shop's day of `now`: its daily
/// limit less what the back office recorded and what this terminal sold
/// since (`own`); `None` when the plan has no daily limit.
pub fn washes_left_today(
    plan: &Subscription,
    own: &OwnSales,
    now: DateTime<Utc>,
    settings: &TerminalSettings,
) -> Option<u32> {
    let day_of = |at: DateTime<Utc>| -> NaiveDate { shop_time(at, settings).date() };
    let sales = subscription::OwnSales { unsent: &own.unsent, recent: &own.recent, day_of: &day_of };
    sales.washes_left(plan, day_of(now))
}
