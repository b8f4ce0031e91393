//! Creating a customer at the till: cached at once (found by card or plate,
//! can buy straight away) and queued for `PostCustomer`.

use crate::error::AppError;
use crate::i18n::*;
use crate::screens::modal::Modal;
use crate::storage::Storage;
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use possum_contract::customer::Customer;
use possum_register::new_customer::{creation, CustomerForm, Field, FieldError};
use uuid::Uuid;

/// The form's fields: which one, its id (after its English label) and its input type.
const FIELDS: [(Field, &str, &str); 6] = [
    (Field::Name, "name", "text"),
    (Field::CardNumber, "card-number", "text"),
    (Field::LicensePlate, "licence-plate", "text"),
    (Field::Email, "e-mail", "email"),
    (Field::Phone, "phone", "tel"),
    (Field::Birthday, "birthday", "date"),
];

/// A field's label in `locale`.
fn label(field: Field, locale: Locale) -> &'static str {
    match field {
        Field::Name => td_string!(locale, sale.new_customer.name),
        Field::CardNumber => td_string!(locale, sale.new_customer.card_number),
        Field::LicensePlate => td_string!(locale, sale.new_customer.licence_plate),
        Field::Email => td_string!(locale, sale.new_customer.email),
        Field::Phone => td_string!(locale, sale.new_customer.phone),
        Field::Birthday => td_string!(locale, sale.new_customer.birthday),
    }
}

fn slot(form: &mut CustomerForm, field: Field) -> &mut String {
    match field {
        Field::Name => &mut form.name,
        Field::CardNumber => &mut form.card_number,
        Field::LicensePlate => &mut form.license_plate,
        Field::Email => &mut form.email,
        Field::Phone => &mut form.phone,
        Field::Birthday => &mut form.birthday,
    }
}

/// Card numbers and plates are unique: one already cached is refused here, before the back office would.
async fn taken(storage: &Storage, customer: &Customer, locale: Locale) -> Result<Vec<FieldError>, AppError> {
    let mut errors = Vec::new();
    for (field, index, key) in [
        (Field::CardNumber, "by_card", &customer.card_number),
        (Field::LicensePlate, "by_plate", &customer.license_plate),
    ] {
        if let Some(key) = key {
            if let Some(owner) = storage.find::<Customer>(index, key).await? {
                let message = td_string!(locale, sale.new_customer.taken, key = key, name = &owner.name);
                errors.push(FieldError { field, message });
            }
        }
    }
    Ok(errors)
}

#[component]
pub fn NewCustomerDialog(
    on_created: impl Fn(Customer) + Copy + Send + Sync + 'static,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = RwSignal::new(CustomerForm::default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let save = move || {
        let customer = match form.get_untracked().customer(Uuid::new_v4(), Utc::now().date_naive()) {
            Ok(c) => c,
            Err(e) => return errors.set(e),
        };
        busy.set(true);
        spawn_local(async move {
            let stored = async {
                let storage = Storage::open_default().await?;
                let clashes = taken(&storage, &customer, i18n.get_locale_untracked()).await?;
                if clashes.is_empty() {
                    storage
                        .create_customer(&customer, &creation(&customer, Uuid::new_v4(), Utc::now()))
                        .await?;
                }
                Ok::<_, AppError>(clashes)
            }
            .await;
            busy.set(false);
            match stored {
                Ok(clashes) if clashes.is_empty() => on_created(customer),
                Ok(clashes) => errors.set(clashes),
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <Modal
            labelled_by="new-customer-title"
            on_cancel=Callback::new(move |_| {
                if !busy.get_untracked() {
                    on_cancel()
                }
            })
        >
            <form
                class="card new-customer"
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    save()
                }
            >
                <h2 id="new-customer-title">{t!(i18n, sale.customer.create)}</h2>
                {FIELDS
                    .into_iter()
                    .map(|(field, slug, kind)| {
                        let id = format!("new-customer-{slug}");
                        let error_id = format!("{id}-error");
                        let message = move || {
                            errors.with(|e| e.iter().find(|e| e.field == field).map(|e| e.message.clone()))
                        };
                        view! {
                            <label for=id.clone()>{move || label(field, i18n.get_locale())}</label>
                            <input
                                id=id
                                type=kind
                                autocomplete="off"
                                aria-invalid=move || message().is_some().to_string()
                                aria-describedby=error_id.clone()
                                on:input=move |ev| form.update(|f| *slot(f, field) = event_target_value(&ev))
                            />
                            <p class="field-error" id=error_id aria-live="polite">
                                {message}
                            </p>
                        }
                    })
                    .collect_view()}
                {move || {
                    failure
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
                <div class="actions">
                    <button type="button" on:click=move |_| on_cancel() disabled=busy>
                        {t!(i18n, sale.new_customer.cancel)}
                    </button>
                    <button type="submit" class="primary" disabled=busy>
                        {t!(i18n, sale.new_customer.save)}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
