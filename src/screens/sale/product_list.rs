//! The product grid: search box, category tabs and a virtualised grid of
//! tiles that renders only the rows in view, so 50,000 products scroll
//! without a stall. As many tiles fit in a row as the screen is wide. The
//! first rows are the owner's favourites for this cash desk (set at the
//! back office, pulled with the settings), then the rest of the catalogue.

use crate::catalogue::{Catalogue, Item};
use crate::context::TerminalContext;
use crate::i18n::*;
use leptos::prelude::*;
use possum_contract::settings::TerminalSettings;
use std::sync::Arc;
use uuid::Uuid;

/// Height of one row of tiles in pixels (matches `.product-row` in the CSS).
const ROW_PX: f64 = 96.0;
/// The narrowest a tile may be: a name of two short lines and a price.
const TILE_MIN_PX: f64 = 168.0;
/// Rows rendered above and below the visible ones, so a fast flick shows no gap.
const OVERSCAN: usize = 1;

/// One tile in view: where it sits and all it shows (its key in the list).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Tile {
    row: usize,
    column: usize,
    columns: usize,
    article: String,
    name: String,
    price: String,
    blocked: bool,
    favourite: bool,
}

/// What the grid shows, in order: the positions of the items in the
/// catalogue, the first `favourites` of them the desk's favourites.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shown {
    pub items: Vec<u32>,
    pub favourites: usize,
}

impl Shown {
    /// The grid's place of the `n`th item shown: the favourites fill whole
    /// rows of their own, the rest of the catalogue starts on the next row.
    pub fn place(&self, n: usize, columns: usize) -> usize {
        if n < self.favourites {
            n
        } else {
            self.favourites.div_ceil(columns) * columns + (n - self.favourites)
        }
    }

    /// The item at a place of the grid (`None`: the gap after the favourites).
    pub fn at(&self, place: usize, columns: usize) -> Option<u32> {
        let first_other = self.favourites.div_ceil(columns) * columns;
        let n = match place {
            p if p < self.favourites => p,
            p if p < first_other => return None,
            p => self.favourites + (p - first_other),
        };
        self.items.get(n).copied()
    }

    /// How many places of the grid the items take, the gap included.
    pub fn places(&self, columns: usize) -> usize {
        if self.items.is_empty() {
            0
        } else {
            self.place(self.items.len() - 1, columns) + 1
        }
    }
}

/// The desk's favourites first (in the owner's order, those `hits` holds),
/// then every other item of `hits` in its order. `article_of` names an item.
pub fn favourites_first<'a>(
    article_of: impl Fn(u32) -> &'a str,
    favourites: &[String],
    hits: Vec<u32>,
) -> Shown {
    if favourites.is_empty() {
        return Shown { items: hits, favourites: 0 };
    }
    let mut first: Vec<Option<u32>> = vec![None; favourites.len()];
    let mut rest = Vec::with_capacity(hits.len());
    for i in hits {
        let article = article_of(i);
        match favourites.iter().position(|f| f == article) {
            Some(slot) => first[slot] = Some(i),
            None => rest.push(i),
        }
    }
    let mut items: Vec<u32> = first.into_iter().flatten().collect();
    let favourites = items.len();
    items.extend(rest);
    Shown { items, favourites }
}

/// How many products and how many combinations `items` holds.
fn kinds(catalogue: &Catalogue, items: &[u32]) -> (usize, usize) {
    let combinations =
        items.iter().filter(|i| matches!(catalogue.items[**i as usize], Item::Combination(_))).count();
    (items.len() - combinations, combinations)
}

/// How many products and combinations the grid holds, in the words the
/// status strip uses ("13 products"), so the two counts never disagree;
/// "found" when a search or a category narrowed them.
pub fn count_text(products: usize, combinations: usize, filtered: bool) -> String {
    count_in(products, combinations, filtered, Locale::en)
}

/// [`count_text`] in `locale`.
pub fn count_in(products: usize, combinations: usize, filtered: bool, locale: Locale) -> String {
    let products_text = match products {
        1 => td_string!(locale, sale.products.one_product).to_string(),
        n => td_string!(locale, sale.products.products, n = n),
    };
    let combinations_text = match combinations {
        1 => td_string!(locale, sale.products.one_combination).to_string(),
        n => td_string!(locale, sale.products.combinations, n = n),
    };
    let what = match (products, combinations) {
        (0, 0) => return td_string!(locale, sale.products.nothing_found).to_string(),
        (_, 0) => products_text,
        (0, _) => combinations_text,
        _ => format!("{products_text}, {combinations_text}"),
    };
    if filtered {
        td_string!(locale, sale.products.found, what = what)
    } else {
        what
    }
}

#[component]
pub fn ProductList(
    catalogue: RwSignal<Arc<Catalogue>>,
    price_group: Signal<u8>,
    settings: Signal<TerminalSettings>,
    on_pick: impl Fn(Item) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let category = RwSignal::new(None::<Uuid>);
    let scroll_top = RwSignal::new(0.0f64);
    // The grid's size: measured when it appears, scrolls or the screen turns.
    let size = RwSignal::new((800.0f64, 600.0f64));
    let list = NodeRef::<leptos::html::Div>::new();
    let measure = move || {
        if let Some(el) = list.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            size.set((
                f64::from(el.client_width()).max(TILE_MIN_PX),
                f64::from(el.client_height()).max(ROW_PX),
            ));
        }
    };
    list.on_load(move |_| measure());
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let columns = Memo::new(move |_| ((size.get().0 / TILE_MIN_PX).floor() as usize).max(1));
    // The owner's favourites for this desk lead the whole catalogue (not a search or a category).
    let desk = use_context::<TerminalContext>().map(|ctx| ctx.session);
    let favourites = Memo::new(move |_| {
        let client_number = desk.map(|session| session.with(|s| s.client_number));
        settings.with(|s| {
            client_number.and_then(|n| s.cash_desk(n)).map(|d| d.favourites.clone()).unwrap_or_default()
        })
    });
    let filtered = move || !query.with(|q| q.trim().is_empty()) || category.with(Option::is_some);
    let results = Memo::new(move |_| {
        catalogue.with(|c| {
            let hits = c.index.search(&query.get(), category.get());
            if filtered() {
                Shown { items: hits, favourites: 0 }
            } else {
                favourites.with(|f| favourites_first(|i| c.items[i as usize].article_number(), f, hits))
            }
        })
    });
    // A new search starts at the top.
    Effect::new(move |_| {
        results.track();
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });
    let rows_total = move || results.with(|r| r.places(columns.get())).div_ceil(columns.get());
    let visible = move || {
        let first = ((scroll_top.get() / ROW_PX) as usize).saturating_sub(OVERSCAN);
        let count = (size.get().1 / ROW_PX) as usize + 2 * OVERSCAN + 1;
        let n = rows_total();
        first.min(n)..(first + count).min(n)
    };
    // The tiles in view, keyed by everything they show: a scroll or a reloaded
    // catalogue keeps the DOM of every tile that did not change, so a tap that
    // lands while the grid updates still reaches its button.
    let tiles = move || {
        let (rows, columns) = (visible(), columns.get());
        let group = price_group.get();
        catalogue.with(|c| {
            results.with(|shown| {
                (rows.start * columns..rows.end * columns)
                    .filter_map(|place| shown.at(place, columns).map(|i| (place, i)))
                    .map(|(place, i)| {
                        let item = &c.items[i as usize];
                        Tile {
                            row: place / columns,
                            column: place % columns,
                            columns,
                            article: item.article_number().to_string(),
                            name: item.name().to_string(),
                            price: settings.with(|s| c.price_text_in(item, group, s, i18n.get_locale())),
                            blocked: item.blocked(),
                            favourite: place < shown.favourites,
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    // The tile's item as the catalogue has it now, not as it was when the tile was made.
    let pick_article = move |article: &str| {
        if let Some(item) = catalogue.with_untracked(|c| c.by_article(article).cloned()) {
            on_pick(item);
        }
    };
    view! {
        <section class="products card" aria-label=move || t_string!(i18n, sale.products.catalogue)>
            <div class="search-row">
                <label for="product-search" class="visually-hidden">
                    {t!(i18n, sale.products.search)}
                </label>
                <input
                    id="product-search"
                    type="search"
                    autocomplete="off"
                    placeholder=move || t_string!(i18n, sale.products.placeholder)
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <span class="hint" role="status" data-testid="result-count">
                    {move || {
                        let (products, combinations) = catalogue
                            .with(|c| results.with(|r| kinds(c, &r.items)));
                        count_in(products, combinations, filtered(), i18n.get_locale())
                    }}
                </span>
            </div>
            <div class="categories" role="group" aria-label=move || t_string!(i18n, sale.products.categories)>
                <button
                    type="button"
                    aria-pressed=move || category.get().is_none().to_string()
                    on:click=move |_| category.set(None)
                >
                    {t!(i18n, sale.products.all)}
                </button>
                {move || {
                    catalogue
                        .with(|c| {
                            c.categories
                                .iter()
                                .map(|cat| {
                                    let id = cat.id;
                                    view! {
                                        <button
                                            type="button"
                                            aria-pressed=move || (category.get() == Some(id)).to_string()
                                            on:click=move |_| category.set(Some(id))
                                        >
                                            {cat.name.clone()}
                                        </button>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </div>
            <div
                class="product-list"
                node_ref=list
                on:scroll=move |_| measure()
                role="list"
                aria-label=move || t_string!(i18n, sale.products.list)
            >
                <div
                    class="product-canvas"
                    style=move || format!("height:{}px", rows_total() as f64 * ROW_PX)
                >
                    <For each=tiles key=Tile::clone let:tile>
                        {
                            let width = 100.0 / tile.columns as f64;
                            let place = format!(
                                "top:{}px;left:{}%;width:{}%",
                                tile.row as f64 * ROW_PX,
                                tile.column as f64 * width,
                                width,
                            );
                            let Tile { article, name, price, blocked, favourite, .. } = tile;
                            let (tapped, shown) = (article.clone(), article.clone());
                            // The name a screen reader or voice control uses is what the tile shows.
                            view! {
                                <div role="listitem" class="product-row" style=place>
                                    <button
                                        type="button"
                                        class="product"
                                        class:blocked=blocked
                                        class:favourite=favourite
                                        data-article=article
                                        on:click=move |_| pick_article(&tapped)
                                    >
                                        <span class="name">{name}</span>
                                        " "
                                        <span class="article">
                                            {shown}
                                            {blocked
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <span class="flag">{t!(i18n, sale.products.blocked)}</span>
                                                    }
                                                })}
                                        </span>
                                        " "
                                        <span class="price">{price}</span>
                                    </button>
                                </div>
                            }
                        }
                    </For>
                </div>
            </div>
        </section>
    }
}
