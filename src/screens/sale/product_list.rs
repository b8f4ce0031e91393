//! The product grid: search box, category tabs and a virtualised grid of
//! tiles that renders only the rows in view, so 50,000 products scroll
//! without a stall. As many tiles fit in a row as the screen is wide.

use crate::catalogue::{Catalogue, Item};
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
}

#[component]
pub fn ProductList(
    catalogue: RwSignal<Arc<Catalogue>>,
    price_group: Signal<u8>,
    settings: Signal<TerminalSettings>,
    on_pick: impl Fn(Item) + Copy + Send + Sync + 'static,
) -> impl IntoView {
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
    let results = Memo::new(move |_| catalogue.with(|c| c.index.search(&query.get(), category.get())));
    // A new search starts at the top.
    Effect::new(move |_| {
        results.track();
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });
    let rows_total = move || results.with(Vec::len).div_ceil(columns.get());
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
            results.with(|hits| {
                let shown = (rows.start * columns).min(hits.len())..(rows.end * columns).min(hits.len());
                hits[shown.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, i)| {
                        let item = &c.items[*i as usize];
                        let position = shown.start + offset;
                        Tile {
                            row: position / columns,
                            column: position % columns,
                            columns,
                            article: item.article_number().to_string(),
                            name: item.name().to_string(),
                            price: settings.with(|s| c.price_text(item, group, s)),
                            blocked: item.blocked(),
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
        <section class="products card" aria-label="Catalogue">
            <div class="search-row">
                <label for="product-search" class="visually-hidden">
                    "Search products"
                </label>
                <input
                    id="product-search"
                    type="search"
                    autocomplete="off"
                    placeholder="Search: name, article number or barcode"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <span class="hint" role="status" data-testid="result-count">
                    {move || format!("{} found", results.with(Vec::len))}
                </span>
            </div>
            <div class="categories" role="group" aria-label="Categories">
                <button
                    type="button"
                    aria-pressed=move || category.get().is_none().to_string()
                    on:click=move |_| category.set(None)
                >
                    "All"
                </button>
                {move || {
                    catalogue
                        .with(|c| {
                            c
                                .categories
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
                aria-label="Products"
            >
                <div
                    class="product-canvas"
                    style=move || format!("height:{}px", rows_total() as f64 * ROW_PX)
                >
                    <For each=tiles key=Tile::clone let:tile>
                        {
                            let label = if tile.blocked {
                                format!("{}, {}, blocked", tile.name, tile.price)
                            } else {
                                format!("{}, {}", tile.name, tile.price)
                            };
                            let width = 100.0 / tile.columns as f64;
                            let place = format!(
                                "top:{}px;left:{}%;width:{}%",
                                tile.row as f64 * ROW_PX,
                                tile.column as f64 * width,
                                width,
                            );
                            let Tile { article, name, price, blocked, .. } = tile;
                            let (tapped, shown) = (article.clone(), article.clone());
                            view! {
                                <div role="listitem" class="product-row" style=place>
                                    <button
                                        type="button"
                                        class="product"
                                        class:blocked=blocked
                                        data-article=article
                                        aria-label=label
                                        on:click=move |_| pick_article(&tapped)
                                    >
                                        <span class="name">{name}</span>
                                        <span class="article">{shown}</span>
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
