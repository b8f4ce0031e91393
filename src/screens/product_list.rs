//! The product grid: search box, category tabs and a virtualised list that
//! renders only the rows in view, so 50,000 products scroll without a stall.

use crate::catalogue::{Catalogue, Item};
use leptos::prelude::*;
use std::sync::Arc;
use uuid::Uuid;

/// Height of one product row in pixels (matches `.product-row` in the CSS).
const ROW_PX: f64 = 64.0;
/// Rows rendered above and below the visible ones, so a fast flick shows no gap.
const OVERSCAN: usize = 6;

/// One tile in view: where it sits and all it shows (its key in the list).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Tile {
    position: usize,
    article: String,
    name: String,
    price: String,
    blocked: bool,
}

#[component]
pub fn ProductList(catalogue: RwSignal<Arc<Catalogue>>, price_group: Signal<u8>, on_pick: impl Fn(Item) + Copy + Send + Sync + 'static) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let category = RwSignal::new(None::<Uuid>);
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(800.0f64);
    let list = NodeRef::<leptos::html::Div>::new();
    let results = Memo::new(move |_| catalogue.with(|c| c.index.search(&query.get(), category.get())));
    // A new search starts at the top.
    Effect::new(move |_| {
        results.track();
        if let Some(el) = list.get_untracked() {
            el.set_scroll_top(0);
        }
        scroll_top.set(0.0);
    });
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()).max(ROW_PX));
        }
    };
    let visible = move || {
        let n = results.with(Vec::len);
        let first = ((scroll_top.get() / ROW_PX) as usize).saturating_sub(OVERSCAN);
        let count = (viewport.get() / ROW_PX) as usize + 2 * OVERSCAN + 1;
        first.min(n)..(first + count).min(n)
    };
    // The rows in view, keyed by everything they show: a scroll or a reloaded
    // catalogue keeps the DOM of every row that did not change, so a tap that
    // lands while the list updates still reaches its button.
    let rows = move || {
        let range = visible();
        let group = price_group.get();
        catalogue.with(|c| {
            results.with(|hits| {
                hits[range.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, i)| {
                        let item = &c.items[*i as usize];
                        Tile {
                            position: range.start + offset,
                            article: item.article_number().to_string(),
                            name: item.name().to_string(),
                            price: c.price_text(item, group),
                            blocked: item.blocked(),
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    // The tile's item as the catalogue has it now, not as it was when the row was made.
    let pick_article = move |article: &str| {
        if let Some(item) = catalogue.with_untracked(|c| c.by_article(article).cloned()) {
            on_pick(item);
        }
    };
    view! {
        <section class="products card" aria-labelledby="catalogue-title">
            <h2 id="catalogue-title">"Catalogue"</h2>
            <p data-testid="catalogue-counts">
                {move || catalogue.with(|c| format!("{} products, {} customers cached", c.products(), c.customers))}
            </p>
            <label for="product-search">"Search products"</label>
            <input id="product-search" type="search" autocomplete="off" placeholder="Name, article number or barcode"
                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
            <div class="categories" role="group" aria-label="Categories">
                <button type="button" aria-pressed=move || category.get().is_none().to_string() on:click=move |_| category.set(None)>"All"</button>
                {move || catalogue.with(|c| c.categories.iter().map(|cat| {
                    let id = cat.id;
                    view! {
                        <button type="button" aria-pressed=move || (category.get() == Some(id)).to_string() on:click=move |_| category.set(Some(id))>
                            {cat.name.clone()}
                        </button>
                    }
                }).collect_view())}
            </div>
            <p class="hint" role="status" data-testid="result-count">{move || format!("{} found", results.with(Vec::len))}</p>
            <div class="product-list" node_ref=list on:scroll=on_scroll role="list" aria-label="Products">
                <div class="product-canvas" style=move || format!("height:{}px", results.with(Vec::len) as f64 * ROW_PX)>
                    <For each=rows key=Tile::clone let:tile>
                        {
                            let label = if tile.blocked { format!("{}, {}, blocked", tile.name, tile.price) } else { format!("{}, {}", tile.name, tile.price) };
                            let Tile { position, article, name, price, blocked } = tile;
                            let (tapped, shown) = (article.clone(), article.clone());
                            view! {
                                <div role="listitem" class="product-row" style=format!("top:{}px", position as f64 * ROW_PX)>
                                    <button type="button" class="product" class:blocked=blocked data-article=article aria-label=label
                                        on:click=move |_| pick_article(&tapped)>
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
