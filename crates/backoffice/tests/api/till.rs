//! A till for the tests: it pulls the demo catalogue and builds orders with
//! the terminal's own code (`possum-register`), so what these tests push is
//! exactly what a terminal pushes, and each attack bends one thing of it.

#![allow(dead_code)]

use crate::common::*;
use possum_contract::activity::{Order, StaffApproval};
use possum_contract::catalogue::{Product, ProductCombination, User};
use possum_contract::customer::Customer;
use possum_contract::endpoints::PullModule;
use possum_contract::sale::PaymentMethod;
use possum_contract::settings::{Setting, TerminalSettings};
use possum_pricing::article::Article;
use possum_register::cart::{AttachedCustomer, Cart, IdentifiedBy};
use possum_register::order::{refund_order, sale_order, SaleContext};
use possum_register::payment::Checkout;
use rust_decimal::Decimal;
use serde_json::Value;
use std::cell::Cell;
use uuid::Uuid;

pub struct Till {
    pub terminal: Uuid,
    pub client_number: u8,
    pub settings: TerminalSettings,
    pub products: Vec<Product>,
    pub combinations: Vec<ProductCombination>,
    pub users: Vec<User>,
    pub customers: Vec<Customer>,
    invoice: Cell<i64>,
}

async fn pulled<T: serde::de::DeserializeOwned>(server: &Server, t: &Terminal, module: PullModule) -> Vec<T> {
    let (items, _, _) = server.pull_all(t, module.path(), None, 10_000).await;
    items.into_iter().map(|v| serde_json::from_value(v).unwrap()).collect()
}

impl Till {
    pub async fn open(server: &Server, t: &Terminal) -> Self {
        let rows: Vec<Setting> = pulled(server, t, PullModule::Settings).await;
        Self {
            terminal: t.claims.terminal,
            client_number: t.claims.client_number,
            settings: TerminalSettings::from_rows(&rows).0,
            products: pulled(server, t, PullModule::Products).await,
            combinations: pulled(server, t, PullModule::ProductCombinations).await,
            users: pulled(server, t, PullModule::Users).await,
            customers: pulled(server, t, PullModule::Customers).await,
            invoice: Cell::new(0),
        }
    }

    pub fn article(&self, number: &str) -> Article {
        if let Some(p) = self.products.iter().find(|p| p.article_number == number) {
            return Article::from_product(p);
        }
        let c = self.combinations.iter().find(|c| c.article_number == number).expect("a demo article");
        Article::from_combination(c, &self.settings, |n| {
            self.products.iter().find(|p| p.article_number == n).cloned()
        })
        .unwrap()
    }

    /// A cart of `(article, quantity)` at the default price group.
    pub fn cart(&self, items: &[(&str, i32)]) -> Cart {
        let mut cart = Cart::new(self.settings.default_price_group);
        for (number, quantity) in items {
            let key = cart.add(self.article(number), &self.settings).unwrap();
            cart.set_quantity(key, *quantity).unwrap();
        }
        cart
    }

    pub fn customer(&self, card: &str) -> Customer {
        self.customers
            .iter()
            .find(|c| c.card_number.as_deref() == Some(card))
            .cloned()
            .expect("a demo customer")
    }

    /// Puts the customer with `card` on the cart, in their own price group.
    pub fn with_customer(&self, mut cart: Cart, card: &str) -> Cart {
        let customer = self.customer(card);
        if let Some(group) = customer.price_group {
            cart.set_price_group(group, &self.settings);
        }
        cart.customer = Some(AttachedCustomer { customer, by: IdentifiedBy::CardNumber });
        cart
    }

    pub fn user(&self, card: &str) -> User {
        self.users
            .iter()
            .find(|u| u.cashier_card_number.as_deref() == Some(card))
            .cloned()
            .expect("a staff member")
    }

    fn context(&self, cashier: &User) -> SaleContext {
        self.invoice.set(self.invoice.get() + 1);
        SaleContext {
            order_id: Uuid::new_v4(),
            terminal_id: self.terminal,
            client_number: self.client_number,
            invoice_number: self.invoice.get(),
            cashier_id: cashier.id,
            cashier_name: cashier.name.clone(),
            now: chrono::Utc::now(),
        }
    }

    /// The order a terminal pushes for `cart` paid wholly with `method`, sold by Anna (1001).
    pub fn sale(&self, cart: &Cart, method: PaymentMethod) -> Order {
        let mut checkout = Checkout::for_cart(cart, &self.settings);
        let tendered = (method == PaymentMethod::CashPayment).then(|| Decimal::from(100_000));
        // A sale that costs nothing (a free wash) is complete without a payment.
        if !checkout.is_complete(&self.settings) {
            checkout.pay(method, None, tendered, &self.settings).unwrap();
        }
        let mut order = sale_order(cart, &checkout, &self.context(&self.user("1001")), &self.settings);
        order.sold_offline = true;
        order
    }

    /// The whole of `sale` refunded with `method`, approved by Magnus (2001) online or offline.
    pub fn refund(&self, sale: &Order, method: PaymentMethod, offline: bool) -> Order {
        let magnus = self.user("2001");
        let mut refund = refund_order(
            &sale.lines,
            method,
            Some(sale),
            None,
            &self.context(&self.user("1001")),
            &self.settings,
        );
        refund.approval = Some(StaffApproval { user_id: magnus.id, offline });
        refund
    }

    pub fn json(order: &Order) -> Value {
        serde_json::to_value(order).unwrap()
    }
}
