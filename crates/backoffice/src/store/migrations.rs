//! Schema of the master database and of each tenant database. Migrations are
//! append-only: a new version is a new `M::up`, never an edit of an old one.

use rusqlite_migration::{Migrations, M};

/// `master.sqlite`: which tenants exist and which terminal logins belong to them.
pub fn master() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            "CREATE TABLE tenants (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE terminals (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            client_number INTEGER NOT NULL,
            name TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE login_failures (
            username TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL,
            locked_until INTEGER NOT NULL
        );",
        ),
        // Sign-in throttling that keeps bounded state (see `signin.rs`): a login's
        // failures live on its own row, failures by client address in rows pruned
        // after their window, and the addresses a login signed in from before.
        // Every user name ever tried no longer gets a row. The password
        // generation is the token claim a password change moves on.
        M::up(
            "DROP TABLE login_failures;
        ALTER TABLE terminals ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE terminals ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE terminals ADD COLUMN password_generation INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE signin_addresses (
            address TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            window_start INTEGER NOT NULL
        );
        CREATE INDEX signin_addresses_age ON signin_addresses (window_start);
        CREATE TABLE signin_known_addresses (
            terminal_id TEXT NOT NULL REFERENCES terminals(id),
            address TEXT NOT NULL,
            last_success_at INTEGER NOT NULL,
            PRIMARY KEY (terminal_id, address)
        );",
        ),
    ])
}

/// `tenants/<id>.sqlite`: one tenant's catalogue, customers and activity.
///
/// Every table a terminal pulls has the same sync columns: `changed_at` (the
/// tenant's change clock, microseconds, see `clock.rs`), `deleted` (a
/// tombstone) and `body` (the row's contract JSON, served as it is).
pub fn tenant() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
        "CREATE TABLE change_clock (only INTEGER PRIMARY KEY CHECK (only = 1), last_us INTEGER NOT NULL);
        INSERT INTO change_clock VALUES (1, 0);

        CREATE TABLE settings (
            id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
            key TEXT NOT NULL UNIQUE
        );
        CREATE TABLE users (
            id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
            cashier_card_number TEXT
        );
        CREATE TABLE categories (
            id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL
        );
        CREATE TABLE products (
            id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
            article_number TEXT NOT NULL
        );
        CREATE TABLE combinations (
            id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
            article_number TEXT NOT NULL
        );
        CREATE TABLE customers (
            id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
            card_number TEXT, card_uid INTEGER, license_plate TEXT
        );
        CREATE TABLE deposit_history (
            id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
            customer_id TEXT NOT NULL
        );
        CREATE INDEX settings_sync ON settings (changed_at, id);
        CREATE INDEX users_sync ON users (changed_at, id);
        CREATE INDEX categories_sync ON categories (changed_at, id);
        CREATE INDEX products_sync ON products (changed_at, id);
        CREATE INDEX combinations_sync ON combinations (changed_at, id);
        CREATE INDEX customers_sync ON customers (changed_at, id);
        CREATE INDEX deposit_history_sync ON deposit_history (changed_at, id);
        CREATE UNIQUE INDEX users_card ON users (cashier_card_number) WHERE deleted = 0 AND cashier_card_number IS NOT NULL;
        CREATE UNIQUE INDEX products_article ON products (article_number) WHERE deleted = 0;
        CREATE UNIQUE INDEX combinations_article ON combinations (article_number) WHERE deleted = 0;
        CREATE UNIQUE INDEX customers_card ON customers (card_number) WHERE deleted = 0 AND card_number IS NOT NULL;
        CREATE UNIQUE INDEX customers_uid ON customers (card_uid) WHERE deleted = 0 AND card_uid IS NOT NULL;
        CREATE INDEX customers_plate ON customers (license_plate) WHERE deleted = 0;

        -- api/Sale: one row per completed sale; the idempotency key is the terminal's order id.
        CREATE TABLE sales (
            id TEXT PRIMARY KEY,
            idempotency_key TEXT UNIQUE,
            request_hash TEXT NOT NULL,
            client_number INTEGER NOT NULL,
            cashier_id TEXT NOT NULL,
            customer_id TEXT,
            payment_method INTEGER NOT NULL,
            total TEXT NOT NULL,
            token TEXT,
            feedback_portal_url TEXT,
            request TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        -- Wash tokens are unique within the tenant, forever.
        CREATE TABLE wash_tokens (token TEXT PRIMARY KEY, order_id TEXT NOT NULL, created_at INTEGER NOT NULL);

        -- Pushed orders: the id is the terminal's, stored once forever.
        CREATE TABLE orders (
            id TEXT PRIMARY KEY,
            terminal_id TEXT NOT NULL,
            invoice_number INTEGER NOT NULL,
            total TEXT NOT NULL,
            token TEXT,
            feedback_portal_url TEXT,
            body TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            UNIQUE (terminal_id, invoice_number)
        );
        -- Every other pushed record, by kind; (kind, id) is a permanent unique key.
        CREATE TABLE pushed (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            terminal_id TEXT NOT NULL,
            body TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE invoice_counters (
            terminal_id TEXT PRIMARY KEY,
            last_invoice_number INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );",
        ),
        // Refunds point at the sale they refund, to check they never exceed it.
        M::up(
            "ALTER TABLE orders ADD COLUMN refund_of TEXT;
            UPDATE orders SET refund_of = json_extract(body, '$.RefundOf');
            CREATE INDEX orders_refund_of ON orders (refund_of) WHERE refund_of IS NOT NULL;",
        ),
        // The money rules (docs/openapi.yaml, "What the back office checks of an order").
        M::up(
            "-- Each price an article had until it changed, so an order sold offline with
            -- an older catalogue is recognised (and reported), not taken for a made-up price.
            CREATE TABLE earlier_prices (
                article_number TEXT NOT NULL,
                price_group INTEGER NOT NULL,
                price TEXT NOT NULL,
                vat_percent TEXT NOT NULL,
                replaced_at INTEGER NOT NULL
            );
            CREATE INDEX earlier_prices_article ON earlier_prices (article_number, replaced_at);

            -- Approvals a manager gave online (PIN checked here), by the order they are for.
            CREATE TABLE approvals (
                order_id TEXT NOT NULL,
                permission TEXT NOT NULL,
                user_id TEXT NOT NULL,
                terminal_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (order_id, permission)
            );
            -- Wrong PINs in a row per staff member, for the approval endpoint's lock.
            CREATE TABLE pin_failures (
                user_id TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                locked_until INTEGER NOT NULL
            );
            -- What the owner reviews: approvals given offline, and lines sold with an older catalogue.
            CREATE TABLE offline_approvals (
                order_id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                terminal_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                amount TEXT NOT NULL,
                received_at INTEGER NOT NULL
            );
            CREATE TABLE stale_prices (
                order_id TEXT NOT NULL,
                line INTEGER NOT NULL,
                terminal_id TEXT NOT NULL,
                article_number TEXT NOT NULL,
                reason TEXT NOT NULL,
                quantity INTEGER NOT NULL,
                sold_price TEXT NOT NULL,
                catalogue_price TEXT,
                difference TEXT,
                received_at INTEGER NOT NULL,
                PRIMARY KEY (order_id, line)
            );

            -- Orders by kind and by the shop's day, for the limits on refunds without a receipt.
            ALTER TABLE orders ADD COLUMN kind TEXT NOT NULL DEFAULT 'Sale';
            UPDATE orders SET kind = coalesce(json_extract(body, '$.Kind'), 'Sale');
            ALTER TABLE orders ADD COLUMN shop_day TEXT;
            CREATE INDEX orders_unreceipted ON orders (terminal_id, shop_day) WHERE kind = 'Refund' AND refund_of IS NULL;

            -- Staff a terminal must not hold (deactivated, or back-office only) are served as
            -- deleted to terminals, and kept for the back office's own checks.
            ALTER TABLE users ADD COLUMN withheld INTEGER NOT NULL DEFAULT 0;
            UPDATE users SET withheld = 1, deleted = 1
             WHERE deleted = 0 AND (json_extract(body, '$.Active') = 0 OR json_extract(body, '$.Role') = 'Admin');

            -- Card numbers are compared without spaces or dashes, in capitals, everywhere.
            UPDATE OR IGNORE customers SET card_number = upper(replace(replace(replace(card_number, ' ', ''), '-', ''), char(9), ''))
             WHERE card_number IS NOT NULL;",
        ),
        // Wash tokens for every wash sold: each terminal's reserve, and a token's life (see wash_tokens.rs).
        M::up(
            "CREATE TABLE wash_token_reserve (
                id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
                terminal_id TEXT NOT NULL,
                digits TEXT NOT NULL UNIQUE,
                used_at INTEGER
            );
            CREATE INDEX wash_token_reserve_sync ON wash_token_reserve (changed_at, id);
            CREATE INDEX wash_token_reserve_terminal ON wash_token_reserve (terminal_id) WHERE deleted = 0;
            ALTER TABLE wash_tokens ADD COLUMN digits TEXT;
            UPDATE wash_tokens SET digits = substr(token, 4, 9);
            CREATE UNIQUE INDEX wash_tokens_digits ON wash_tokens (digits);
            ALTER TABLE wash_tokens ADD COLUMN state TEXT NOT NULL DEFAULT 'Sold';
            ALTER TABLE wash_tokens ADD COLUMN used_at INTEGER;
            CREATE INDEX wash_tokens_order ON wash_tokens (order_id);",
        ),
        // The commercial half: discount programs, subscriptions, earlier campaign versions.
        M::up(
            "CREATE TABLE discount_programs (
                id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL
            );
            CREATE INDEX discount_programs_sync ON discount_programs (changed_at, id);
            CREATE TABLE subscriptions (
                id TEXT PRIMARY KEY, changed_at INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL,
                customer_id TEXT NOT NULL, license_plate TEXT, card_uid INTEGER
            );
            CREATE INDEX subscriptions_sync ON subscriptions (changed_at, id);
            CREATE INDEX subscriptions_plate ON subscriptions (license_plate) WHERE deleted = 0;
            CREATE INDEX subscriptions_uid ON subscriptions (card_uid) WHERE deleted = 0;
            CREATE INDEX subscriptions_customer ON subscriptions (customer_id) WHERE deleted = 0;
            -- A campaign as it was before each change, so an offline sale under it is recognised.
            CREATE TABLE earlier_campaigns (id TEXT NOT NULL, body TEXT NOT NULL, replaced_at INTEGER NOT NULL);
            CREATE INDEX earlier_campaigns_id ON earlier_campaigns (id, replaced_at);",
        ),
        // Registers (one per tablet), their journals and Z reports (SKVFS 2014:9).
        M::up(
            "CREATE TABLE registers (
                id TEXT PRIMARY KEY,
                number INTEGER NOT NULL UNIQUE,
                terminal_id TEXT NOT NULL,
                device_id TEXT NOT NULL UNIQUE,
                public_key TEXT NOT NULL,
                control_unit_id TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                last_seq INTEGER NOT NULL DEFAULT 0,
                last_hash TEXT NOT NULL,
                last_z_number INTEGER NOT NULL DEFAULT 0,
                last_z_day TEXT,
                grand_sales TEXT NOT NULL DEFAULT '0',
                grand_returns TEXT NOT NULL DEFAULT '0'
            );
            CREATE TABLE journal (
                register_id TEXT NOT NULL REFERENCES registers (id),
                seq INTEGER NOT NULL,
                id TEXT NOT NULL UNIQUE,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                body TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                PRIMARY KEY (register_id, seq)
            );
            -- Receipt numbers are unique per register now, per terminal login only for
            -- terminals without one: the table is rebuilt without its old UNIQUE.
            CREATE TABLE orders_v2 (
                id TEXT PRIMARY KEY,
                terminal_id TEXT NOT NULL,
                invoice_number INTEGER NOT NULL,
                total TEXT NOT NULL,
                token TEXT,
                feedback_portal_url TEXT,
                body TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                refund_of TEXT,
                kind TEXT NOT NULL DEFAULT 'Sale',
                shop_day TEXT,
                register_id TEXT
            );
            INSERT INTO orders_v2 (id, terminal_id, invoice_number, total, token, feedback_portal_url, body, received_at, refund_of, kind, shop_day)
                SELECT id, terminal_id, invoice_number, total, token, feedback_portal_url, body, received_at, refund_of, kind, shop_day FROM orders;
            DROP TABLE orders;
            ALTER TABLE orders_v2 RENAME TO orders;
            CREATE INDEX orders_refund_of ON orders (refund_of) WHERE refund_of IS NOT NULL;
            CREATE INDEX orders_unreceipted ON orders (terminal_id, shop_day) WHERE kind = 'Refund' AND refund_of IS NULL;
            CREATE UNIQUE INDEX orders_terminal_receipt ON orders (terminal_id, invoice_number) WHERE register_id IS NULL;
            CREATE UNIQUE INDEX orders_register_receipt ON orders (register_id, invoice_number) WHERE register_id IS NOT NULL;",
        ),
    ])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::master().validate().unwrap();
        super::tenant().validate().unwrap();
    }
}
