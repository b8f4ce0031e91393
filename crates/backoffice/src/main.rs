//! `possum-backoffice`: serve the back office, or change its data from the shell.

mod cli;

use clap::Parser;
use cli::{AdminAction, Cli, Command};
use possum_backoffice::{admin, demo, AppState, Config};
use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("possum-backoffice: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve {
            addr,
            data_dir,
            database_url,
            demo: with_demo,
            dist,
            token_lifetime,
            faults,
            max_connections,
            pg_connections,
        } => {
            if let Some(plan) = faults {
                tracing::warn!(?plan, "fault mode: API requests will fail on purpose");
            }
            let mut config = Config {
                dist: Some(dist),
                token_lifetime_seconds: token_lifetime,
                faults,
                database_url,
                ..Config::new(data_dir)
            };
            config.limits.pg_connections = pg_connections;
            // Each connection is a file: raise the open-file limit as far as allowed.
            config.limits.max_connections = possum_backoffice::limits::raise_open_file_limit(max_connections);
            let state = AppState::open(config)?;
            if with_demo && demo::ensure_demo(&state.store).map_err(|e| e.to_string())? {
                tracing::info!("created the demo tenant");
            }
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("bind {addr}: {e}"))?;
                let local = listener.local_addr().map_err(|e| e.to_string())?;
                match &state.config.database_url {
                    Some(url) => tracing::info!(database = %possum_backoffice::store::sql::pg::without_password(url), "POSSUM back office listening on http://{local}"),
                    None => tracing::info!(data_dir = %state.config.data_dir.display(), "POSSUM back office listening on http://{local}"),
                }
                possum_backoffice::serve(listener, state, shutdown_signal()).await.map_err(|e| e.to_string())?;
                tracing::info!("stopped");
                Ok(())
            })
        }
        Command::Admin { data_dir, database_url, tenant, action } => {
            if let AdminAction::CopyTenant = action {
                let Some(url) = database_url else {
                    return Err(
                        "copy-tenant copies to PostgreSQL: give --database-url (or POSSUM_DATABASE_URL)"
                            .into(),
                    );
                };
                let source = possum_backoffice::store::Store::open(&data_dir)?;
                let target = AppState::open(Config { database_url: Some(url), ..Config::new(&data_dir) })?;
                let report =
                    admin::copy::copy_tenant(&source, &target.store, &tenant).map_err(|e| e.to_string())?;
                println!("tenant {tenant} copied to PostgreSQL\n{report}");
                return Ok(());
            }
            let state = AppState::open(Config { database_url, ..Config::new(data_dir) })?;
            let store = &state.store;
            let t = tenant.as_str();
            let done = match action {
                AdminAction::SetPrice { article, price, price_group } => {
                    admin::set_price(store, t, &article, price_group, price)
                        .map(|_| format!("{article} costs {price} in price group {price_group}"))
                }
                AdminAction::BlockArticle { article } => {
                    admin::set_blocked(store, t, &article, true).map(|_| format!("{article} blocked"))
                }
                AdminAction::UnblockArticle { article } => {
                    admin::set_blocked(store, t, &article, false).map(|_| format!("{article} unblocked"))
                }
                AdminAction::DeleteProduct { article } => {
                    admin::delete_product(store, t, &article).map(|id| format!("{article} ({id}) deleted"))
                }
                AdminAction::LockCard { card } => {
                    admin::set_locked(store, t, &card, true).map(|_| format!("card {card} locked"))
                }
                AdminAction::UnlockCard { card } => {
                    admin::set_locked(store, t, &card, false).map(|_| format!("card {card} unlocked"))
                }
                AdminAction::Deposit { card, amount } => {
                    admin::deposit(store, t, &card, amount).map(|b| format!("card {card} balance {b}"))
                }
                AdminAction::Orders => {
                    admin::orders(store, t).map(|o| serde_json::Value::Array(o).to_string())
                }
                AdminAction::Records { kind } => {
                    admin::records(store, t, &kind).map(|o| serde_json::Value::Array(o).to_string())
                }
                AdminAction::SetPin { card, pin } => {
                    admin::set_pin(store, t, &card, &pin).map(|_| format!("PIN of {card} set"))
                }
                AdminAction::DeactivateStaff { card } => {
                    admin::set_active(store, t, &card, false).map(|_| format!("{card} deactivated"))
                }
                AdminAction::ActivateStaff { card } => {
                    admin::set_active(store, t, &card, true).map(|_| format!("{card} activated"))
                }
                AdminAction::SetSetting { key, value } => {
                    admin::set_setting(store, t, &key, &value).map(|_| format!("{key} = {value}"))
                }
                AdminAction::SetCampaign { json } => admin::commerce::set_campaign(store, t, &json)
                    .map(|c| format!("campaign {} ({}) set", c.name, c.id)),
                AdminAction::EndCampaign { id } => {
                    admin::commerce::end_campaign(store, t, id).map(|_| format!("campaign {id} ended"))
                }
                AdminAction::SetProgram { json } => admin::commerce::set_program(store, t, &json)
                    .map(|p| format!("program {} ({}) set", p.name, p.id)),
                AdminAction::AddSubscription { card, plan, articles, until, plate, washes_per_day } => {
                    let new = admin::commerce::NewPlan {
                        card: &card,
                        plan: &plan,
                        plate: plate.as_deref(),
                        articles: articles
                            .split(',')
                            .map(|a| a.trim().to_string())
                            .filter(|a| !a.is_empty())
                            .collect(),
                        until,
                        washes_per_day,
                    };
                    admin::commerce::add_subscription(store, t, new)
                        .map(|s| format!("subscription {} added", s.id))
                }
                AdminAction::SubscriptionStatus { id, status } => {
                    let status = match status.to_ascii_lowercase().as_str() {
                        "active" => possum_contract::loyalty::SubscriptionStatus::Active,
                        "paused" => possum_contract::loyalty::SubscriptionStatus::Paused,
                        "ended" => possum_contract::loyalty::SubscriptionStatus::Ended,
                        other => return Err(format!("{other} is not a status: active, paused or ended")),
                    };
                    admin::commerce::set_subscription_status(store, t, id, status)
                        .map(|_| format!("subscription {id} is {status:?}"))
                }
                AdminAction::ExportJournal { register, from, to } => {
                    admin::export_journal(store, t, &register, from, to)
                }
                AdminAction::SetPrinters { desk, json } => {
                    admin::set_printers(store, t, desk, &json).map(|_| format!("printers of desk {desk} set"))
                }
                AdminAction::SetFavourites { desk, articles } => {
                    let list =
                        articles.split(',').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
                    admin::set_favourites(store, t, desk, list)
                        .map(|_| format!("favourites of desk {desk} set"))
                }
                AdminAction::SetCustomerGroup { card, group } => {
                    admin::commerce::set_customer_group(store, t, &card, (group > 0).then_some(group))
                        .map(|_| format!("{card} is in price group {group}"))
                }
                AdminAction::CopyTenant => unreachable!("handled above"),
                AdminAction::Report { name } => {
                    admin::report(store, t, &name).map(|rows| serde_json::Value::Array(rows).to_string())
                }
                AdminAction::Customer { card } => {
                    admin::customer_by_card(store, t, &card).and_then(|c| Ok(serde_json::to_string(&c)?))
                }
                AdminAction::SetPassword { username, password } => {
                    let password = match password {
                        Some(password) => password,
                        None => read_password_line()?,
                    };
                    possum_backoffice::auth::set_password(store, &username, &password)
                        .map(|()| format!("the password of {username} changed; its terminals sign in again"))
                }
            };
            println!("{}", done.map_err(|e| e.to_string())?);
            Ok(())
        }
        Command::Generate { data_dir, database_url, tenant, username, password, products, customers } => {
            let state = AppState::open(Config { database_url, ..Config::new(data_dir) })?;
            let started = std::time::Instant::now();
            let info = demo::generate(&state.store, &tenant, &username, &password, products, customers)
                .map_err(|e| e.to_string())?;
            println!(
                "tenant {} ({}) with {products} products and {customers} customers in {:.1} s; login {username}",
                info.name,
                info.id,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}

/// The new password, one line of standard input.
fn read_password_line() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("read the password from standard input: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
