//! The cached catalogue: what the terminal can sell, straight from IndexedDB.

use crate::storage::Storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::catalogue::Product;
use possum_contract::endpoints::PullModule;
use possum_contract::settings::{Setting, TerminalSettings};

#[component]
pub fn Catalogue(version: RwSignal<u32>) -> impl IntoView {
    let products = RwSignal::new(Vec::<Product>::new());
    let customers = RwSignal::new(0u32);
    let default_group = RwSignal::new(1u8);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        version.get();
        spawn_local(async move {
            let loaded = async {
                let storage = Storage::open_default().await?;
                let mut all: Vec<Product> = storage.all().await?;
                all.sort_by(|a, b| (a.sort_order, &a.name).cmp(&(b.sort_order, &b.name)));
                let settings: Vec<Setting> = storage.all().await?;
                Ok::<_, crate::error::AppError>((all, storage.count(PullModule::Customers).await?, TerminalSettings::from_rows(&settings).0))
            }
            .await;
            match loaded {
                Ok((all, customer_count, settings)) => {
                    products.set(all);
                    customers.set(customer_count);
                    default_group.set(settings.default_price_group);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    // Until the sale screen (with its virtualised grid) exists, show the first rows only.
    const SHOWN: usize = 200;
    view! {
        <section class="card" aria-labelledby="catalogue-title">
            <h2 id="catalogue-title">"Catalogue"</h2>
            <p data-testid="catalogue-counts">
                {move || format!("{} products, {} customers cached", products.with(Vec::len), customers.get())}
            </p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <table class="catalogue">
                <thead><tr><th scope="col">"Article"</th><th scope="col">"Name"</th><th scope="col" class="amount">"Price"</th></tr></thead>
                <tbody>
                    {move || products.with(|all| all.iter().take(SHOWN).map(|p| {
                        let price = p.price(default_group.get_untracked(), default_group.get_untracked()).map(|d| d.to_string()).unwrap_or_default();
                        view! {
                            <tr data-article=p.article_number.clone() class:blocked=p.blocked>
                                <td>{p.article_number.clone()}</td>
                                <td>{p.name.clone()}</td>
                                <td class="amount">{price}</td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
        </section>
    }
}
