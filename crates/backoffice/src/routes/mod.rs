//! The HTTP surface: every route, by resource, and the layers around them.

mod approval;
mod body;
mod invoice_counter;
mod pull;
mod push;
mod register;
mod sale;
mod static_files;
mod token;
mod wash_tokens;

use crate::error::ApiError;
use crate::AppState;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use possum_contract::activity::{
    CashDrawerLog, DeviceLog, EmployeeLog, InvoiceCounter, OpenOrder, Order, SwishPayment,
};
use possum_contract::catalogue::{Category, Product, ProductCombination, User};
use possum_contract::customer::{Customer, CustomerChange, DepositHistory};
use possum_contract::endpoints::{
    PullModule, PushKind, APPROVAL, DISCOUNT_PROGRAMS, INVOICE_COUNTER, SALE, SUBSCRIPTIONS, TOKEN,
};
use possum_contract::loyalty::{DiscountProgram, Subscription};
use possum_contract::register::REGISTER;
use possum_contract::settings::Setting;
use possum_contract::wash_token::{VALIDATE_TOKEN, WASH_TOKENS};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

pub fn router(state: AppState) -> Router {
    use pull::pull;
    use push::push;
    let api = Router::new()
        .route(TOKEN, post(token::token))
        .route(PullModule::Settings.path(), get(pull::<Setting>))
        .route(PullModule::Users.path(), get(pull::<User>))
        .route(PullModule::Categories.path(), get(pull::<Category>))
        .route(PullModule::Products.path(), get(pull::<Product>))
        .route(PullModule::ProductCombinations.path(), get(pull::<ProductCombination>))
        .route(PullModule::Customers.path(), get(pull::<Customer>))
        .route(PullModule::DepositHistory.path(), get(pull::<DepositHistory>))
        .route(PushKind::OpenOrder.path(), post(push::<OpenOrder>))
        .route(PushKind::Order.path(), post(push::<Order>))
        .route(PushKind::SwishPayment.path(), post(push::<SwishPayment>))
        .route(PushKind::InvoiceCounter.path(), post(push::<InvoiceCounter>))
        .route(INVOICE_COUNTER, get(invoice_counter::get))
        .route(PushKind::CashDrawerLog.path(), post(push::<CashDrawerLog>))
        .route(PushKind::Customer.path(), post(push::<CustomerChange>))
        .route(PushKind::DeviceLog.path(), post(push::<DeviceLog>))
        .route(PushKind::EmployeeLog.path(), post(push::<EmployeeLog>))
        .route(SALE, post(sale::post_sale))
        .route(APPROVAL, post(approval::post_approval))
        .route(REGISTER, post(register::post_register))
        .route(PushKind::Journal.path(), post(push::<possum_contract::journal::JournalEntry>))
        .route(WASH_TOKENS, get(wash_tokens::pull_reserve))
        .route(DISCOUNT_PROGRAMS, get(pull::<DiscountProgram>))
        .route(SUBSCRIPTIONS, get(pull::<Subscription>))
        .route(VALIDATE_TOKEN, post(wash_tokens::post_validation))
        .route("/health", get(|| async { Json(serde_json::json!({ "Status": "ok" })) }))
        .route(
            "/api/{*rest}",
            axum::routing::any(|| async { ApiError::NotFound("There is no such API endpoint.".into()) }),
        );

    let app = match &state.config.dist {
        Some(dist) if dist.join("index.html").exists() => api.fallback_service(static_files::service(dist)),
        _ => api.fallback(|| async { ApiError::NotFound("Not found.".into()) }),
    };

    // The terminal may be served from another origin than its back office.
    // Tokens travel in the Authorization header, never in cookies, so any origin may call.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("idempotency-key"),
        ])
        // A terminal on another origin may read when to come back after a 429 or 503.
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(3600));

    let faults = state.config.faults.map(crate::faults::Faults::new);
    let body_idle_timeout = state.config.limits.body_idle_timeout;
    app.layer(middleware::from_fn_with_state(faults, crate::faults::layer))
        .layer(middleware::from_fn(static_files::cache_headers))
        .layer(axum::extract::DefaultBodyLimit::max(body::MAX_BODY_BYTES))
        .layer(RequestBodyTimeoutLayer::new(body_idle_timeout))
        // Every answer: no type sniffing (a JSON error is never run as a script), no referrer.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
