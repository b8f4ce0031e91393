// What a JavaScript team would write instead, run in the same browser on a
// blank page of the back office's origin (Dexie and MiniSearch are loaded into
// it from node_modules). Each function is sent to the page as source: it may
// use nothing from this module's scope.
//
// Fairness: the JavaScript side downloads the same pages (same page size) of
// the same endpoints and stores the same records with the same look-up
// indexes as the terminal (products: article number, barcode, category, words;
// customers: card, RFID UID, plate, name, words), with the browser's default
// durability. Search runs MiniSearch's prefix search; its time is the call
// alone, while ours is the keystroke until the page shows the answer.

declare const Dexie: any;
declare const MiniSearch: any;

export type PullSpec = { base: string; username: string; password: string; pageSize: number; name: string };
export type PullResult = { ms: number; rows: number; longTasks: number };

/**
 * The back office's records of products and customers, page by page, with
 * each page handed to `store`. Installed on the blank page as a global of the
 * same name, which is what the baselines below call there.
 */
export async function walkPages(
  spec: PullSpec,
  store: (kind: 'products' | 'customers', rows: any[]) => Promise<void>,
): Promise<number> {
  const form = new URLSearchParams({ grant_type: 'password', username: spec.username, password: spec.password });
  const token = (await (await fetch(`${spec.base}/Token`, { method: 'POST', body: form })).json()).access_token;
  const terminal = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).terminal;
  const words = (...texts: (string | null)[]) => [...new Set(texts.filter(Boolean).flatMap((t) => t!.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean))];
  let rows = 0;
  for (const [kind, path] of [['products', '/api/Product/GetProducts'], ['customers', '/api/Customer/GetCustomers']] as const) {
    let cursor: string | null = null;
    let after: string | null = null;
    for (;;) {
      const query = new URLSearchParams({ TerminalId: terminal, PageSize: String(spec.pageSize) });
      if (cursor) query.set('LastExecutedDate', cursor);
      if (after) query.set('AfterId', after);
      const page = await (await fetch(`${spec.base}${path}?${query}`, { headers: { Authorization: `Bearer ${token}` } })).json();
      const items = page.Items.map((r: any) =>
        kind === 'products'
          ? { ...r, words: words(r.Name, r.ArticleNumber, r.Barcode) }
          : { ...r, plate: r.LicensePlate?.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase(), name: r.Name.toLowerCase(), words: words(r.Name) },
      );
      await store(kind, items);
      rows += items.length;
      if (!page.HasMore) break;
      cursor = page.NextLastExecutedDate;
      after = page.NextAfterId;
    }
  }
  return rows;
}

/** Dexie's bulkPut, one call per page. */
export async function pullWithDexie(spec: PullSpec): Promise<PullResult> {
  const started = performance.now();
  const tasksBefore = window.__bench.longTasks.length;
  const db = new Dexie(spec.name);
  db.version(1).stores({ products: 'Id, ArticleNumber, Barcode, CategoryId, *words', customers: 'Id, CardNumber, CardUID, plate, name, *words' });
  const rows = await walkPages(spec, (kind, items) => db.table(kind).bulkPut(items));
  db.close();
  return { ms: performance.now() - started, rows, longTasks: window.__bench.longTasks.slice(tasksBefore).filter((d) => d > 50).length };
}

/** A bare IndexedDB loop: one transaction per page, one put per record. */
export async function pullWithPutLoop(spec: PullSpec): Promise<PullResult> {
  const started = performance.now();
  const tasksBefore = window.__bench.longTasks.length;
  const db: IDBDatabase = await new Promise((resolve, reject) => {
    const open = indexedDB.open(spec.name, 1);
    open.onupgradeneeded = () => {
      const products = open.result.createObjectStore('products', { keyPath: 'Id' });
      for (const field of ['ArticleNumber', 'Barcode', 'CategoryId']) products.createIndex(field, field);
      products.createIndex('words', 'words', { multiEntry: true });
      const customers = open.result.createObjectStore('customers', { keyPath: 'Id' });
      for (const field of ['CardNumber', 'CardUID', 'plate', 'name']) customers.createIndex(field, field);
      customers.createIndex('words', 'words', { multiEntry: true });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const rows = await walkPages(spec, (kind, items) => {
    const tx = db.transaction(kind, 'readwrite');
    const store = tx.objectStore(kind);
    for (const item of items) store.put(item);
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  });
  db.close();
  return { ms: performance.now() - started, rows, longTasks: window.__bench.longTasks.slice(tasksBefore).filter((d) => d > 50).length };
}

export type SearchSpec = { productQueries: string[]; customerCodes: string[]; dbName: string };
export type SearchResult = { productBuildMs: number; productKeys: number[]; customerBuildMs: number; customerLookups: number[] };

/** MiniSearch over the records the Dexie run stored: per-keystroke prefix search, and customer look-up by code. */
export async function miniSearch(spec: SearchSpec): Promise<SearchResult> {
  const db = new Dexie(spec.dbName);
  db.version(1).stores({ products: 'Id, ArticleNumber, Barcode, CategoryId, *words', customers: 'Id, CardNumber, CardUID, plate, name, *words' });
  const products = await db.table('products').toArray();
  const customers = await db.table('customers').toArray();
  db.close();

  let started = performance.now();
  const productIndex = new MiniSearch({ idField: 'Id', fields: ['Name', 'ArticleNumber', 'Barcode'], searchOptions: { prefix: true, combineWith: 'AND' } });
  productIndex.addAll(products);
  const productBuildMs = performance.now() - started;
  const productKeys: number[] = [];
  for (const query of spec.productQueries) {
    for (let i = 1; i <= query.length; i++) {
      const before = performance.now();
      productIndex.search(query.slice(0, i));
      productKeys.push(performance.now() - before);
    }
  }

  started = performance.now();
  const customerIndex = new MiniSearch({
    idField: 'Id',
    fields: ['CardNumber', 'plate', 'CardUID'],
    extractField: (doc: any, field: string) => (doc[field] === null || doc[field] === undefined ? '' : String(doc[field])),
  });
  customerIndex.addAll(customers);
  const customerBuildMs = performance.now() - started;
  const customerLookups: number[] = [];
  for (const code of spec.customerCodes) {
    const before = performance.now();
    const hits = customerIndex.search(code.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase(), { prefix: false });
    if (hits.length === 0) throw new Error(`MiniSearch found no customer for ${code}`);
    customerLookups.push(performance.now() - before);
  }
  return { productBuildMs, productKeys, customerBuildMs, customerLookups };
}
