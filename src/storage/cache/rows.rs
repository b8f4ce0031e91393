//! What the terminal keeps of each pulled module, and the look-up keys of each
//! row. Rows are stored in blocks (see `blocks.rs`): each block carries, per
//! look-up field, the keys of all its rows, under a multi-entry index.

use possum_contract::catalogue::{Category, Product, ProductCombination, User};
use possum_contract::customer::{normalise_plate, Customer, DepositHistory};
use possum_contract::endpoints::PullModule;
use possum_contract::lookup;
use possum_contract::loyalty::{DiscountProgram, Subscription};
use possum_contract::settings::Setting;
use possum_contract::sync::SyncPage;
use serde::{de::DeserializeOwned, Serialize};
use uuid::Uuid;

/// The look-up keys of one row; an absent key leaves the row out of that index.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub article: Option<String>,
    pub barcode: Option<String>,
    pub category: Option<String>,
    pub card: Option<String>,
    pub uid: Option<String>,
    pub plate: Option<String>,
    pub name: Option<String>,
    pub customer: Option<String>,
    pub words: Vec<String>,
}

impl Keys {
    /// The row's keys for the index over `field` (see [`indexes`]).
    pub fn values(&self, field: &str) -> Vec<&str> {
        let one = match field {
            "article" => &self.article,
            "barcode" => &self.barcode,
            "category" => &self.category,
            "card" => &self.card,
            "uid" => &self.uid,
            "plate" => &self.plate,
            "name" => &self.name,
            "customer" => &self.customer,
            "words" => return self.words.iter().map(String::as_str).collect(),
            _ => return Vec::new(),
        };
        one.as_deref().into_iter().collect()
    }
}

/// A contract type the terminal caches: its store and its look-up keys.
pub trait Cached: Serialize + DeserializeOwned + Clone + 'static {
    const MODULE: PullModule;
    fn id(&self) -> Uuid;
    fn keys(&self) -> Keys {
        Keys::default()
    }
}

/// A row as the cache writes it: its id, its look-up keys and its contract
/// JSON. Past the point where a page is read as its module's type, the pull
/// and the block store handle rows in this one form, so the terminal carries
/// one copy of that code rather than one per module.
#[derive(Debug, Clone)]
pub struct StoredRow {
    pub id: Uuid,
    pub keys: Keys,
    pub json: String,
}

impl StoredRow {
    pub fn of<E: Cached>(row: &E) -> Result<Self, String> {
        Ok(Self {
            id: row.id(),
            keys: row.keys(),
            json: serde_json::to_string(row).map_err(|e| e.to_string())?,
        })
    }
}

/// The JSON array of `rows` (how a block and a staged page keep them).
pub fn json_array(rows: &[StoredRow]) -> String {
    let json: Vec<&str> = rows.iter().map(|r| r.json.as_str()).collect();
    format!("[{}]", json.join(","))
}

/// How a module's JSON is read: a page of a pull, or an array of rows (a
/// stored block or staged page). Each checks every row as the module's type.
#[derive(Clone, Copy)]
pub struct Codec {
    pub module: PullModule,
    pub page: fn(&str) -> Result<SyncPage<StoredRow>, String>,
    pub rows: fn(&str) -> Result<Vec<StoredRow>, String>,
}

impl Codec {
    pub fn of(module: PullModule) -> Self {
        match module {
            PullModule::Settings => Self::typed::<Setting>(),
            PullModule::Users => Self::typed::<User>(),
            PullModule::Categories => Self::typed::<Category>(),
            PullModule::Products => Self::typed::<Product>(),
            PullModule::ProductCombinations => Self::typed::<ProductCombination>(),
            PullModule::Customers => Self::typed::<Customer>(),
            PullModule::DepositHistory => Self::typed::<DepositHistory>(),
            PullModule::DiscountPrograms => Self::typed::<DiscountProgram>(),
            PullModule::Subscriptions => Self::typed::<Subscription>(),
        }
    }

    fn typed<E: Cached>() -> Self {
        Self { module: E::MODULE, page: read_page::<E>, rows: read_rows::<E> }
    }
}

/// A page of `E` in the stored form.
pub fn stored_page<E: Cached>(page: SyncPage<E>) -> Result<SyncPage<StoredRow>, String> {
    page.try_map(|row| StoredRow::of(&row))
}

fn read_page<E: Cached>(text: &str) -> Result<SyncPage<StoredRow>, String> {
    stored_page(serde_json::from_str::<SyncPage<E>>(text).map_err(|e| e.to_string())?)
}

fn read_rows<E: Cached>(text: &str) -> Result<Vec<StoredRow>, String> {
    serde_json::from_str::<Vec<E>>(text).map_err(|e| e.to_string())?.iter().map(StoredRow::of).collect()
}

/// The object store of a module's blocks.
pub const fn store_name(module: PullModule) -> &'static str {
    match module {
        PullModule::Settings => "cache:settings",
        PullModule::Users => "cache:users",
        PullModule::Categories => "cache:categories",
        PullModule::Products => "cache:products",
        PullModule::ProductCombinations => "cache:combinations",
        PullModule::Customers => "cache:customers",
        PullModule::DepositHistory => "cache:deposits",
        PullModule::DiscountPrograms => "cache:discount_programs",
        PullModule::Subscriptions => "cache:subscriptions",
    }
}

/// The look-up indexes of each module: (index name, field of the block record).
/// All are multi-entry: a block lists the keys of all its rows.
pub fn indexes(module: PullModule) -> &'static [(&'static str, &'static str)] {
    match module {
        PullModule::Users => &[("by_card", "card")],
        PullModule::Products => &[
            ("by_article", "article"),
            ("by_barcode", "barcode"),
            ("by_category", "category"),
            ("by_word", "words"),
        ],
        PullModule::ProductCombinations => &[("by_article", "article")],
        PullModule::Customers => &[
            ("by_card", "card"),
            ("by_uid", "uid"),
            ("by_plate", "plate"),
            ("by_name", "name"),
            ("by_word", "words"),
        ],
        PullModule::DepositHistory => &[("by_customer", "customer")],
        // A car is identified by its plate or its tag (the sale screen keeps
        // the few plans in memory; the indexes serve a look-up without them).
        PullModule::Subscriptions => &[("by_plate", "plate"), ("by_uid", "uid"), ("by_customer", "customer")],
        PullModule::Settings | PullModule::Categories | PullModule::DiscountPrograms => &[],
    }
}

/// The field an index is over.
pub fn index_field(module: PullModule, index: &str) -> Option<&'static str> {
    indexes(module).iter().find(|(name, _)| *name == index).map(|(_, field)| *field)
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
    fn keys(&self) -> Keys {
        Keys { card: self.cashier_card_number.clone(), ..Keys::default() }
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
    fn keys(&self) -> Keys {
        Keys {
            article: Some(self.article_number.clone()),
            barcode: self.barcode.clone(),
            category: self.category_id.map(|c| c.to_string()),
            words: lookup::product_words(&self.name, &self.article_number, self.barcode.as_deref()),
            ..Keys::default()
        }
    }
}

impl Cached for ProductCombination {
    const MODULE: PullModule = PullModule::ProductCombinations;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Keys {
        Keys { article: Some(self.article_number.clone()), ..Keys::default() }
    }
}

impl Cached for Customer {
    const MODULE: PullModule = PullModule::Customers;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Keys {
        Keys {
            card: self.card_number.clone(),
            uid: self.card_uid.map(|u| u.to_string()),
            plate: self.license_plate.as_deref().map(normalise_plate),
            name: Some(self.name.to_lowercase()),
            words: lookup::words(&self.name),
            ..Keys::default()
        }
    }
}

impl Cached for DepositHistory {
    const MODULE: PullModule = PullModule::DepositHistory;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Keys {
        Keys { customer: Some(self.customer_id.to_string()), ..Keys::default() }
    }
}

impl Cached for DiscountProgram {
    const MODULE: PullModule = PullModule::DiscountPrograms;
    fn id(&self) -> Uuid {
        self.id
    }
}

impl Cached for Subscription {
    const MODULE: PullModule = PullModule::Subscriptions;
    fn id(&self) -> Uuid {
        self.id
    }
    fn keys(&self) -> Keys {
        Keys {
            uid: self.card_uid.map(|u| u.to_string()),
            plate: self.license_plate.as_deref().map(normalise_plate).filter(|p| !p.is_empty()),
            customer: Some(self.customer_id.to_string()),
            ..Keys::default()
        }
    }
}
