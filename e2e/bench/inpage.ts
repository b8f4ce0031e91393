// What runs inside the page. Playwright sends each function's source to the
// browser, so none of them may use anything from this module's scope: shared
// helpers live on `window.__bench`, installed by `install` before any page script.

export type Bench = {
  /** performance.now() when something first showed (0 = navigation start). */
  marks: Record<string, number>;
  longTasks: number[];
  wasmMemory?: WebAssembly.Memory;
  /** Resolves after every microtask queued so far has run (the app's reactive updates included). */
  settle: () => Promise<void>;
  waitFor: (ready: () => boolean, timeoutMs?: number) => Promise<void>;
  button: (name: string, within?: ParentNode) => HTMLButtonElement;
};

declare global {
  interface Window {
    __bench: Bench;
  }
}

/** Installed with addInitScript: marks when the sale screen shows, long tasks, the wasm memory. */
export function install(): void {
  const marks: Record<string, number> = {};
  const longTasks: number[] = [];
  const settle = () =>
    new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  const waitFor = (ready: () => boolean, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if (ready()) return resolve();
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`bench: waited ${timeoutMs} ms in vain`));
      }, timeoutMs);
      const observer = new MutationObserver(() => {
        if (ready()) {
          clearTimeout(timer);
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
  const button = (name: string, within: ParentNode = document) => {
    const found = [...within.querySelectorAll('button')].find((b) => b.textContent?.trim() === name || b.getAttribute('aria-label') === name);
    if (!found) throw new Error(`bench: no button "${name}"`);
    return found as HTMLButtonElement;
  };
  window.__bench = { marks, longTasks, settle, waitFor, button };
  try {
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the figure stays empty.
  }
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__bench.wasmMemory = (e as CustomEvent).detail?.wasm?.memory;
  });
  const mark = (name: string, shown: boolean) => {
    if (shown && marks[name] === undefined) marks[name] = performance.now();
  };
  new MutationObserver(() => {
    mark('tiles', document.querySelector('button[data-article]') !== null);
    mark('cashier', document.querySelector('[data-testid="cashier"]') !== null);
    mark('pulled', document.querySelector('[data-testid="last-pull"]')?.textContent?.startsWith('Last full pull') ?? false);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Types each query into `selector` a key at a time; the time of each keystroke until the app has updated the page. */
export async function typeEachKey({ selector, queries }: { selector: string; queries: string[] }): Promise<number[]> {
  const { settle } = window.__bench;
  const input = document.querySelector(selector) as HTMLInputElement;
  const count = document.querySelector('[data-testid="result-count"]')!;
  const times: number[] = [];
  for (const query of queries) {
    for (let i = 1; i <= query.length; i++) {
      const before = performance.now();
      input.value = query.slice(0, i);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await settle();
      times.push(performance.now() - before);
    }
    if (!count.textContent?.endsWith('found')) throw new Error('bench: the search did not answer');
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
  }
  return times;
}

/** Looks each code up in the customer box; the time until the customer is shown. */
export async function lookUpCustomers(codes: string[]): Promise<number[]> {
  const { settle, waitFor, button } = window.__bench;
  const times: number[] = [];
  for (const code of codes) {
    const input = document.getElementById('customer-code') as HTMLInputElement;
    input.value = code;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    const before = performance.now();
    input.form!.requestSubmit();
    await waitFor(() => document.querySelector('[data-testid="customer"]') !== null, 10_000);
    times.push(performance.now() - before);
    button('Remove customer').click();
    await settle();
  }
  return times;
}

/** Taps product tiles; the time until the cart total in the page has changed. */
export async function tapToCart(taps: number): Promise<number[]> {
  const { settle, waitFor, button } = window.__bench;
  const total = () => document.querySelector('[data-testid="cart-total"]')!.textContent;
  const times: number[] = [];
  for (let i = 0; i < taps; i++) {
    const tiles = document.querySelectorAll<HTMLButtonElement>('button[data-article]:not(.blocked)');
    const before = total();
    const started = performance.now();
    tiles[i % Math.min(tiles.length, 8)].click();
    await waitFor(() => total() !== before, 5_000);
    times.push(performance.now() - started);
    await settle();
    if (i % 10 === 9) {
      button('Clear cart').click();
      await settle();
    }
  }
  button('Clear cart').click();
  await settle();
  return times;
}

/** Rings up `count` one-item card sales through the sale screen; the time of each. */
export async function sell(count: number): Promise<number[]> {
  const { settle, waitFor, button } = window.__bench;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const tile = document.querySelectorAll<HTMLButtonElement>('button[data-article]:not(.blocked)')[i % 8];
    tile.click();
    await settle();
    button('Pay').click();
    await waitFor(() => document.querySelector('[aria-labelledby="pay-title"]') !== null, 10_000);
    button('Card', document.querySelector('[aria-labelledby="pay-title"]')!).click();
    await settle();
    button('Complete sale').click();
    await waitFor(() => document.querySelector('[data-testid="receipt"]') !== null, 30_000);
    button('Close receipt').click();
    await waitFor(() => document.querySelector('[data-testid="receipt"]') === null, 10_000);
    times.push(performance.now() - started);
  }
  return times;
}
