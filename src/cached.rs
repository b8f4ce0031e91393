//! What the terminal keeps of each pulled module, and the look-up keys beside it.
//!
//! Each cached row is a small JS object: `id`, `json` (the contract JSON, exact
//! money digits included) and the fields an IndexedDB index needs. The row is
//! read back by parsing `json`, so the stored form is the wire form.

use possum_contract::catalogue::{Category, Product, ProductCombination, User};
use possum_contract::customer::{normalise_plate, Customer, DepositHistory};
use possum_contract::endpoints::PullModule;
use possum_contract::lookup;
use possum_contract::settings::Setting;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use uuid::Uuid;

/// The stored form of a row. Absent keys are left out so the row is not in that index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Row {
    pub id: String,
    pub json: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
}

/// A contract type the terminal caches: its store and its look-up keys.
pub trait Cached: Serialize + DeserializeOwned + Clone + 'static {
    const MODULE: PullModule;
    fn id(&self) -> Uuid;
    /// The row with `id` and `json` filled in by [`Cached::to_row`].
    fn keys(&self) -> Row {
        Row::default()
    }
    fn to_row(&self) -> Result<Row, serde_json::Error> {
        Ok(Row { id: self.id().to_string(), json: serde_json::to_string(self)?, ..self.keys() })
    }
}

/// The object store of a module: the module's stable name.
pub const fn store_name(module: PullModule) -> &'static str {
    module.name()
}

/// The indexes of each store: (index name, row field, multi-entry).
pub fn indexes(module: PullModule) -> &'static [(&'static str, &'static str, bool)] {
    match module {
        PullModule::Users => &[("by_card", "card", false)],
        PullModule::Products => &[
            ("by_article", "article", false),
            ("by_barcode", "barcode", false),
            ("by_category", "category", false),
            ("by_word", "words", true),
        ],
        PullModule::ProductCombinations => &[("by_article", "article", false)],
        PullModule::Customers => &[
            ("by_card", "card", false),
            ("by_uid", "uid", false),
            ("by_plate", "plate", false),
            ("by_name", "name", false),
            ("by_word", "words", true),
        ],
        PullModule::DepositHistory => &[("by_customer", "customer", false)],
        PullModule::Settings | PullModule::Categories => &[],
    }
}

impl Cached for Setting {
    const MODULE: PullModule = PullModule::Settings;
    fn id(&self) -> Uuid {
        self.id
    }
}

impl Cached for User {
    const MODULE: PullModule = PullModule::Users;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Row {
        Row { card: self.cashier_card_number.clone(), ..Row::default() }
    }
}

impl Cached for Category {
    const MODULE: PullModule = PullModule::Categories;
    fn id(&self) -> Uuid {
        self.id
    }
}

impl Cached for Product {
    const MODULE: PullModule = PullModule::Products;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Row {
        Row {
            article: Some(self.article_number.clone()),
            barcode: self.barcode.clone(),
            category: self.category_id.map(|c| c.to_string()),
            words: lookup::product_words(&self.name, &self.article_number, self.barcode.as_deref()),
            ..Row::default()
        }
    }
}

impl Cached for ProductCombination {
    const MODULE: PullModule = PullModule::ProductCombinations;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Row {
        Row { article: Some(self.article_number.clone()), ..Row::default() }
    }
}

impl Cached for Customer {
    const MODULE: PullModule = PullModule::Customers;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Row {
        Row {
            card: self.card_number.clone(),
            uid: self.card_uid.map(|u| u.to_string()),
            plate: self.license_plate.as_deref().map(normalise_plate),
            name: Some(self.name.to_lowercase()),
            words: lookup::words(&self.name),
            ..Row::default()
        }
    }
}

impl Cached for DepositHistory {
    const MODULE: PullModule = PullModule::DepositHistory;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Row {
        Row { customer: Some(self.customer_id.to_string()), ..Row::default() }
    }
}
