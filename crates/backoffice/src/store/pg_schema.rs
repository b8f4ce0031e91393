//! The PostgreSQL schemas: the master tables in `possum`, each tenant's in
//! `tenant_<id>`, with the same tables and columns as the SQLite databases
//! (`migrations.rs`), so every statement runs on both and `admin
//! copy-tenant` copies a table column by column. Integers are BIGINT (SQLite
//! integers are 64 bits); JSON bodies are TEXT, served byte for byte.
//!
//! Migrations are append-only, per schema: each schema records its version,
//! and a migration runs under an advisory lock in one transaction, so
//! instances starting together migrate a schema once. A tenant's schema is
//! migrated by the first instance that opens it after an upgrade (as a
//! SQLite tenant file is), so 1,000 tenants are not all migrated at a start.

use super::sql::{self, pg, OptionalExtension, Tx};

pub const MASTER_SCHEMA: &str = "possum";

pub fn master() -> &'static [&'static str] {
    &["CREATE COLLATION IF NOT EXISTS possum_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
    CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE terminals (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        username TEXT COLLATE possum_nocase NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        client_number BIGINT NOT NULL,
        name TEXT NOT NULL,
        active BIGINT NOT NULL DEFAULT 1,
        failures BIGINT NOT NULL DEFAULT 0,
        locked_until BIGINT NOT NULL DEFAULT 0,
        password_generation BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX terminals_tenant ON terminals (tenant_id);
    CREATE TABLE signin_addresses (
        address TEXT PRIMARY KEY,
        failures BIGINT NOT NULL,
        window_start BIGINT NOT NULL
    );
    CREATE INDEX signin_addresses_age ON signin_addresses (window_start);
    CREATE TABLE signin_known_addresses (
        terminal_id TEXT NOT NULL REFERENCES terminals(id),
        address TEXT NOT NULL,
        last_success_at BIGINT NOT NULL,
        PRIMARY KEY (terminal_id, address)
    );
    -- The key every instance signs and verifies tokens with, made by the first.
    CREATE TABLE signing_key (id BIGINT PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL);"]
}

pub fn tenant() -> &'static [&'static str] {
    &[r#"CREATE TABLE change_clock ("only" BIGINT PRIMARY KEY CHECK ("only" = 1), last_us BIGINT NOT NULL);
    INSERT INTO change_clock VALUES (1, 0);
    CREATE TABLE settings (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE);
    CREATE TABLE users (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        cashier_card_number TEXT, withheld BIGINT NOT NULL DEFAULT 0);
    CREATE TABLE categories (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL);
    CREATE TABLE products (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        article_number TEXT NOT NULL);
    CREATE TABLE combinations (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        article_number TEXT NOT NULL);
    CREATE TABLE customers (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        card_number TEXT, card_uid BIGINT, license_plate TEXT);
    CREATE TABLE deposit_history (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        customer_id TEXT NOT NULL);
    CREATE TABLE discount_programs (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL);
    CREATE TABLE subscriptions (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        customer_id TEXT NOT NULL, license_plate TEXT, card_uid BIGINT);
    CREATE TABLE wash_token_reserve (id TEXT COLLATE "C" PRIMARY KEY, changed_at BIGINT NOT NULL, deleted BIGINT NOT NULL DEFAULT 0, body TEXT NOT NULL,
        terminal_id TEXT NOT NULL, digits TEXT NOT NULL UNIQUE, used_at BIGINT);
    CREATE INDEX settings_sync ON settings (changed_at, id);
    CREATE INDEX users_sync ON users (changed_at, id);
    CREATE INDEX categories_sync ON categories (changed_at, id);
    CREATE INDEX products_sync ON products (changed_at, id);
    CREATE INDEX combinations_sync ON combinations (changed_at, id);
    CREATE INDEX customers_sync ON customers (changed_at, id);
    CREATE INDEX deposit_history_sync ON deposit_history (changed_at, id);
    CREATE INDEX discount_programs_sync ON discount_programs (changed_at, id);
    CREATE INDEX subscriptions_sync ON subscriptions (changed_at, id);
    CREATE INDEX wash_token_reserve_sync ON wash_token_reserve (changed_at, id);
    CREATE UNIQUE INDEX users_card ON users (cashier_card_number) WHERE deleted = 0 AND cashier_card_number IS NOT NULL;
    CREATE UNIQUE INDEX products_article ON products (article_number) WHERE deleted = 0;
    CREATE UNIQUE INDEX combinations_article ON combinations (article_number) WHERE deleted = 0;
    CREATE UNIQUE INDEX customers_card ON customers (card_number) WHERE deleted = 0 AND card_number IS NOT NULL;
    CREATE UNIQUE INDEX customers_uid ON customers (card_uid) WHERE deleted = 0 AND card_uid IS NOT NULL;
    CREATE INDEX customers_plate ON customers (license_plate) WHERE deleted = 0;
    CREATE INDEX subscriptions_plate ON subscriptions (license_plate) WHERE deleted = 0;
    CREATE INDEX subscriptions_uid ON subscriptions (card_uid) WHERE deleted = 0;
    CREATE INDEX subscriptions_customer ON subscriptions (customer_id) WHERE deleted = 0;
    CREATE INDEX wash_token_reserve_terminal ON wash_token_reserve (terminal_id) WHERE deleted = 0;

    CREATE TABLE sales (
        id TEXT PRIMARY KEY, idempotency_key TEXT UNIQUE, request_hash TEXT NOT NULL, client_number BIGINT NOT NULL,
        cashier_id TEXT NOT NULL, customer_id TEXT, payment_method BIGINT NOT NULL, total TEXT NOT NULL, token TEXT,
        feedback_portal_url TEXT, request TEXT NOT NULL, created_at BIGINT NOT NULL);
    CREATE TABLE wash_tokens (token TEXT PRIMARY KEY, order_id TEXT NOT NULL, created_at BIGINT NOT NULL,
        digits TEXT, state TEXT NOT NULL DEFAULT 'Sold', used_at BIGINT);
    CREATE UNIQUE INDEX wash_tokens_digits ON wash_tokens (digits);
    CREATE INDEX wash_tokens_order ON wash_tokens (order_id);
    CREATE TABLE orders (
        id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, invoice_number BIGINT NOT NULL, total TEXT NOT NULL, token TEXT,
        feedback_portal_url TEXT, body TEXT NOT NULL, received_at BIGINT NOT NULL, refund_of TEXT,
        kind TEXT NOT NULL DEFAULT 'Sale', shop_day TEXT, register_id TEXT);
    CREATE INDEX orders_refund_of ON orders (refund_of) WHERE refund_of IS NOT NULL;
    CREATE INDEX orders_unreceipted ON orders (terminal_id, shop_day) WHERE kind = 'Refund' AND refund_of IS NULL;
    CREATE UNIQUE INDEX orders_terminal_receipt ON orders (terminal_id, invoice_number) WHERE register_id IS NULL;
    CREATE UNIQUE INDEX orders_register_receipt ON orders (register_id, invoice_number) WHERE register_id IS NOT NULL;
    CREATE TABLE pushed (kind TEXT NOT NULL, id TEXT NOT NULL, terminal_id TEXT NOT NULL, body TEXT NOT NULL,
        received_at BIGINT NOT NULL, PRIMARY KEY (kind, id));
    CREATE TABLE invoice_counters (terminal_id TEXT PRIMARY KEY, last_invoice_number BIGINT NOT NULL, updated_at BIGINT NOT NULL);

    CREATE TABLE earlier_prices (article_number TEXT NOT NULL, price_group BIGINT NOT NULL, price TEXT NOT NULL,
        vat_percent TEXT NOT NULL, replaced_at BIGINT NOT NULL);
    CREATE INDEX earlier_prices_article ON earlier_prices (article_number, replaced_at);
    CREATE TABLE approvals (order_id TEXT NOT NULL, permission TEXT NOT NULL, user_id TEXT NOT NULL, terminal_id TEXT NOT NULL,
        created_at BIGINT NOT NULL, PRIMARY KEY (order_id, permission));
    CREATE TABLE pin_failures (user_id TEXT PRIMARY KEY, failures BIGINT NOT NULL, locked_until BIGINT NOT NULL);
    CREATE TABLE offline_approvals (order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, terminal_id TEXT NOT NULL, kind TEXT NOT NULL,
        amount TEXT NOT NULL, received_at BIGINT NOT NULL);
    CREATE TABLE stale_prices (order_id TEXT NOT NULL, line BIGINT NOT NULL, terminal_id TEXT NOT NULL, article_number TEXT NOT NULL,
        reason TEXT NOT NULL, quantity BIGINT NOT NULL, sold_price TEXT NOT NULL, catalogue_price TEXT, difference TEXT,
        received_at BIGINT NOT NULL, PRIMARY KEY (order_id, line));
    CREATE TABLE earlier_campaigns (id TEXT NOT NULL, body TEXT NOT NULL, replaced_at BIGINT NOT NULL);
    CREATE INDEX earlier_campaigns_id ON earlier_campaigns (id, replaced_at);

    CREATE TABLE registers (
        id TEXT PRIMARY KEY, number BIGINT NOT NULL UNIQUE, terminal_id TEXT NOT NULL, device_id TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL, control_unit_id TEXT NOT NULL, created_at BIGINT NOT NULL,
        last_seq BIGINT NOT NULL DEFAULT 0, last_hash TEXT NOT NULL, last_z_number BIGINT NOT NULL DEFAULT 0,
        last_z_day TEXT, grand_sales TEXT NOT NULL DEFAULT '0', grand_returns TEXT NOT NULL DEFAULT '0');
    CREATE TABLE journal (
        register_id TEXT NOT NULL REFERENCES registers (id), seq BIGINT NOT NULL, id TEXT NOT NULL UNIQUE, at BIGINT NOT NULL,
        kind TEXT NOT NULL, body TEXT NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (register_id, seq));"#]
}

/// Brings `schema` to the newest of `steps`, once, whoever else is trying.
pub fn migrate(pool: &pg::Pool, schema: &str, steps: &[&str]) -> sql::Result<()> {
    let mut conn = pool.get()?;
    let conn = &mut *conn;
    conn.batch(&format!(
        "BEGIN; SELECT pg_advisory_xact_lock(hashtext('possum-migrate:{schema}'));
         CREATE SCHEMA IF NOT EXISTS {schema}; SET LOCAL search_path TO {schema};
         CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"
    ))?;
    let result = (|| {
        let tx = Tx::postgres(&mut *conn);
        let version: Option<i64> =
            tx.query_row("SELECT version FROM schema_version", &[], |r| r.get(0)).optional()?;
        let version = match version {
            Some(v) => v,
            None => {
                tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
                0
            }
        };
        let done = usize::try_from(version).unwrap_or(0);
        for step in steps.iter().skip(done) {
            tx.execute_batch(step)?;
        }
        if steps.len() > done {
            tx.execute("UPDATE schema_version SET version = ?1", crate::params![steps.len() as i64])?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.batch("COMMIT"),
        Err(e) => {
            conn.rollback();
            Err(e)
        }
    }
}
