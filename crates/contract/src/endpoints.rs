//! The paths of the API and the order the seed gives for pulling and pushing.

/// `POST /Token`, form-encoded password grant.
pub const TOKEN: &str = "/Token";
/// `POST /api/Sale`, the direct sale of `003_31318fdf26626ad2.txt`.
pub const SALE: &str = "/api/Sale";
/// `GET /api/Setting/GetInvoiceCounter?TerminalId=…`: the highest invoice
/// number the back office has seen from the terminal (a project decision, the
/// counterpart of the seed's `PostInvoiceCounter`; see docs/openapi.yaml).
pub const INVOICE_COUNTER: &str = "/api/Setting/GetInvoiceCounter";

/// `POST /api/Admin/PostApproval`: a manager's PIN checked by the back office,
/// recorded as the approval of one order (a project decision, see
/// docs/openapi.yaml, "Staff approvals").
pub const APPROVAL: &str = "/api/Admin/PostApproval";

/// `GET /api/DiscountProgram/GetDiscountPrograms`: customers' discount programs, as a delta pull
/// (seed 000: "Reuse the same token to fetch subscriptions, deposits and discount programs").
pub const DISCOUNT_PROGRAMS: &str = "/api/DiscountProgram/GetDiscountPrograms";
/// `GET /api/Subscription/GetSubscriptions`: wash-club plans per vehicle, as a delta pull.
pub const SUBSCRIPTIONS: &str = "/api/Subscription/GetSubscriptions";

/// The reference data a terminal pulls, in the order of one sync cycle (seed 000, step 2).
/// Each module keeps its own window and its own `Last_Executed` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PullModule {
    Settings,
    Users,
    Categories,
    Products,
    ProductCombinations,
    Customers,
    DepositHistory,
    DiscountPrograms,
    Subscriptions,
}

impl PullModule {
    pub const ALL: [PullModule; 9] = [
        PullModule::Settings,
        PullModule::Users,
        PullModule::Categories,
        PullModule::Products,
        PullModule::ProductCombinations,
        PullModule::Customers,
        PullModule::DepositHistory,
        PullModule::DiscountPrograms,
        PullModule::Subscriptions,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            PullModule::Settings => "/api/Setting/GetSettings",
            PullModule::Users => "/api/Admin/GetUsers",
            PullModule::Categories => "/api/Category/GetCategories",
            PullModule::Products => "/api/Product/GetProducts",
            PullModule::ProductCombinations => "/api/Product/GetProductCombinations",
            PullModule::Customers => "/api/Customer/GetCustomers",
            PullModule::DepositHistory => "/api/DepositHistory/GetDepositHistory",
            PullModule::DiscountPrograms => DISCOUNT_PROGRAMS,
            PullModule::Subscriptions => SUBSCRIPTIONS,
        }
    }

    /// A stable name: the terminal's object store and marker key, and the status area's label.
    /// Changing one needs a schema upgrade on the terminal.
    pub const fn name(self) -> &'static str {
        match self {
            PullModule::Settings => "settings",
            PullModule::Users => "users",
            PullModule::Categories => "categories",
            PullModule::Products => "products",
            PullModule::ProductCombinations => "combinations",
            PullModule::Customers => "customers",
            PullModule::DepositHistory => "deposits",
            PullModule::DiscountPrograms => "discount_programs",
            PullModule::Subscriptions => "subscriptions",
        }
    }
}

/// What a terminal pushes, in the order of the seed (000, step 3): orders and
/// payments, invoice counters, cash drawer, customers, diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum PushKind {
    OpenOrder,
    Order,
    SwishPayment,
    InvoiceCounter,
    CashDrawerLog,
    Customer,
    DeviceLog,
    EmployeeLog,
    Journal,
}

impl PushKind {
    pub const ALL: [PushKind; 9] = [
        PushKind::OpenOrder,
        PushKind::Order,
        PushKind::SwishPayment,
        PushKind::InvoiceCounter,
        PushKind::CashDrawerLog,
        PushKind::Customer,
        PushKind::DeviceLog,
        PushKind::EmployeeLog,
        PushKind::Journal,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            PushKind::OpenOrder => "/api/Order/PostOpenOrder",
            PushKind::Order => "/api/Order/PostOrder",
            PushKind::SwishPayment => "/api/Order/PostSwishPayment",
            PushKind::InvoiceCounter => "/api/Setting/PostInvoiceCounter",
            PushKind::CashDrawerLog => "/api/CashDrawerLog/PostCashDrawerLog",
            PushKind::Customer => "/api/Customer/PostCustomer",
            PushKind::DeviceLog => "/api/Callback/PostDeviceLog",
            PushKind::EmployeeLog => "/api/Callback/PostEmployeeLog",
            PushKind::Journal => "/api/Journal/PostJournal",
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            PushKind::OpenOrder => "open orders",
            PushKind::Order => "orders",
            PushKind::SwishPayment => "Swish payments",
            PushKind::InvoiceCounter => "invoice counters",
            PushKind::CashDrawerLog => "cash drawer",
            PushKind::Customer => "customers",
            PushKind::DeviceLog => "device logs",
            PushKind::EmployeeLog => "staff hours",
            PushKind::Journal => "journal entries",
        }
    }

    /// One record of the kind, as staff read it ("Order 8c1f…").
    pub const fn record_name(self) -> &'static str {
        match self {
            PushKind::OpenOrder => "Open order",
            PushKind::Order => "Order",
            PushKind::SwishPayment => "Swish payment",
            PushKind::InvoiceCounter => "Invoice counter",
            PushKind::CashDrawerLog => "Cash drawer event",
            PushKind::Customer => "Customer",
            PushKind::DeviceLog => "Device log",
            PushKind::EmployeeLog => "Staff time",
            PushKind::Journal => "Journal entry",
        }
    }
}

/// The most records one push request may carry; larger batches answer 400.
pub const MAX_PUSH_BATCH: usize = 500;
/// Default and largest page of a pull.
pub const DEFAULT_PAGE_SIZE: u32 = 2_000;
pub const MAX_PAGE_SIZE: u32 = 10_000;
