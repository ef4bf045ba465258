import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailability,
  launchBrowser,
  login,
  openPage,
  screenshot,
  type WatchedPage,
} from './support/browser.js';
import { ensureWebBuilt, type RunningServer, startServer } from './support/server.js';

// The after-sales service cycle in headless Chromium against a real server (demo tenant, Bosta simulator): an
// agent opens a service action through the wizard, the hub scans and inspects the return, a team leader approves,
// a technician executes, the owner sees the figures move — once in English, once in Arabic.
const availability = browserAvailability();

// The callbacks given to page.evaluate/waitForFunction run in the browser; the root tsconfig has no DOM library.
declare const document: any;

interface ApiOrder {
  id: number;
  trackingNumber: string | null;
  phone: string | null;
  customerId: number | null;
  receiverName: string | null;
}

interface ApiAction {
  id: number;
  number: string;
  status: string;
  customerId: number;
  returnTrackingNumber: string | null;
  outboundTrackingNumber: string | null;
  allowedEvents: string[];
}

type Role = 'agent' | 'hub_agent' | 'team_leader' | 'technician';
const PASSWORD = 'service-e2e-password';

/** `+201023936974` → `0102 393 6974`: the same phone as a caller would type it. */
function localFormat(e164: string): string {
  const national = `0${e164.replace(/^\+20/, '')}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

/** Visible form controls without an accessible name (label, aria-label or aria-labelledby). */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.getAttribute('aria-hidden') === 'true') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const named =
        (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (!named) out.push(el.outerHTML.slice(0, 160));
    }
    return out;
  });
}

describe.skipIf(!availability.run)('service cycle in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let ownerToken: string;
  const tokens = {} as Record<Role, string>;
  const emails = {} as Record<Role, string>;
  let sales: ApiOrder[] = [];
  let current: WatchedPage | null = null;

  const apiAs = async <T>(token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const r = await fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  const api = <T>(path: string, init?: { method?: string; body?: unknown }) => apiAs<T>(ownerToken, path, init);

  const tokenFor = async (email: string, password: string) => {
    const r = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!r.ok) throw new Error(`login ${email}: ${r.status}`);
    return ((await r.json()) as { accessToken: string }).accessToken;
  };

  /** A fresh page signed in as a role (the owner when none), switched to Arabic from the header when asked. */
  const signIn = async (
    role: Role | 'owner',
    lang: 'en' | 'ar' = 'en',
    viewport?: { width: number; height: number },
  ): Promise<Page> => {
    if (current) await closePage();
    current = await openPage(browser, server.url, viewport);
    const { page } = current;
    await login(page, role === 'owner' ? server.email : emails[role], role === 'owner' ? server.password : PASSWORD);
    if (lang === 'ar') {
      await page.getByTestId('language-select').selectOption('ar');
      await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    }
    return page;
  };

  /** Closes the current page and fails on any console error, page error or failed request it saw. */
  const closePage = async () => {
    const errors = current?.errors ?? [];
    await current?.context.close();
    current = null;
    expect(errors, 'browser console errors').toEqual([]);
  };

  /** Drops the console errors Chromium prints for expected HTTP failures of one endpoint (a 404 or 409 shown). */
  const allowHttpErrors = (urlPart: string, statuses: number[]) => {
    if (!current) return;
    const expected = (e: string) => e.includes(urlPart) && statuses.some((s) => e.includes(`status of ${s}`));
    current.errors.splice(0, current.errors.length, ...current.errors.filter((e) => !expected(e)));
  };

  const expectRtl = async (page: Page, lang: 'en' | 'ar') => {
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(lang === 'ar' ? 'rtl' : 'ltr');
  };

  const statusOf = async (id: number) => (await api<ApiAction>(`/service-actions/${id}`)).status;

  beforeAll(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ownerToken = await tokenFor(server.email, server.password);
    for (const role of ['agent', 'hub_agent', 'team_leader', 'technician'] as Role[]) {
      emails[role] = `${role}@service-e2e.test`;
      await api('/users', {
        method: 'POST',
        body: { email: emails[role], name: `E2E ${role}`, role, password: PASSWORD },
      });
      tokens[role] = await tokenFor(emails[role], PASSWORD);
    }
    // Delivered real sales of two different customers with a phone: one per language.
    const page = await api<{ items: ApiOrder[] }>('/orders?category=real_sale&state=45&limit=40');
    for (const o of page.items) {
      if (o.phone?.startsWith('+20') && o.customerId && !sales.some((s) => s.customerId === o.customerId))
        sales.push(o);
    }
    sales = sales.slice(0, 2);
    expect(sales).toHaveLength(2);
  });

  afterEach(async () => {
    if (current) await closePage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The whole cycle through the screens of each role, in one language; returns the action. */
  async function serviceCycle(sale: ApiOrder, lang: 'en' | 'ar', variant: 'maintenance' | 'replace_full') {
    const suffix = lang === 'ar' ? '-ar' : '';

    // Owner: the service figures before.
    let page = await signIn('owner', lang);
    await page.getByTestId('kpi-svc-open-value').waitFor();
    const before = {
      open: await page.getByTestId('kpi-svc-open-value').textContent(),
      quality: await page.getByTestId('kpi-svc-quality-value').textContent(),
    };
    await closePage();

    // Agent: finds the customer by the phone typed in another format and opens the action through the wizard.
    page = await signIn('agent', lang);
    const nav = page.getByRole('navigation');
    await nav.locator('a[href="/service"]').waitFor();
    expect(await nav.locator('a[href="/hub"], a[href="/reviews"], a[href="/technician"]').count()).toBe(0);
    await page.goto('/service/new');
    await expectRtl(page, lang);
    const phoneField = page.getByTestId('wizard-phone');
    await phoneField.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('wizard-phone');
    await page.keyboard.type(localFormat(sale.phone!));
    await page.keyboard.press('Enter');
    await page.getByTestId('wizard-customer').getByText(sale.phone!).waitFor();
    await page.getByTestId('wizard-next').click();
    const saleRadio = page.locator(`[data-testid="wizard-order"][data-order-id="${sale.id}"]`);
    await saleRadio.check();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId(`wizard-type-${variant}`).check();
    await page
      .getByTestId('wizard-reason')
      .fill(lang === 'ar' ? 'لا يعمل بعد التشغيل' : 'Stopped heating after a week');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-confirm').waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    // A double click creates one action: every create of the wizard session carries the same Idempotency-Key.
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/service-actions')
        keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await page.getByTestId('wizard-create').dblclick();
    const tracking = (await page.getByTestId('wizard-tracking').textContent())?.trim() ?? '';
    expect(tracking).toMatch(/^\d{6,8}$/);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    await screenshot(page, `service-wizard${suffix}`);
    const mine = await api<{ items: ApiAction[] }>(`/service-actions?customerId=${sale.customerId}`);
    expect(mine.items).toHaveLength(1);
    const action = mine.items[0];
    expect(action.returnTrackingNumber).toBe(tracking);
    expect(action.status).toBe('return_ordered');

    // The detail: return timeline, family, audit; the buttons are exactly the agent's allowed events.
    await page.getByTestId('wizard-open').click();
    await page.getByTestId('service-detail').waitFor();
    await expectRtl(page, lang);
    expect((await page.getByTestId('return-timeline-tracking').textContent())?.trim()).toBe(tracking);
    await page.getByTestId('service-family').locator(`a[href="/orders/${sale.id}"]`).waitFor();
    expect(await page.getByTestId('service-event').count()).toBeGreaterThanOrEqual(2);
    const agentView = await apiAs<ApiAction>(tokens.agent, `/service-actions/${action.id}`);
    const buttons = await page
      .getByTestId('action-buttons')
      .locator('[data-testid^="event-"]')
      .evaluateAll((els: any[]) => els.map((e) => e.getAttribute('data-testid').slice(6)));
    expect(buttons.sort()).toEqual([...agentView.allowedEvents].sort());
    await screenshot(page, `service-detail${suffix}`);

    // The board shows the card in its column.
    await page.goto('/service');
    await page
      .locator(`[data-testid="service-column"][data-status="return_ordered"] [data-action-id="${action.id}"]`)
      .waitFor();
    await expectRtl(page, lang);
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await screenshot(page, `service-desk${suffix}`);
    await closePage();

    // Hub agent: the scan field is focused; a scanner types the number and Enter.
    page = await signIn('hub_agent', lang);
    await page.goto('/hub');
    await expectRtl(page, lang);
    await page.getByTestId('hub-scan').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'hub-scan');
    await page.keyboard.type(tracking);
    await page.keyboard.press('Enter');
    await page.getByTestId('hub-received').waitFor();
    await page.getByTestId('context-card').getByTestId('context-customer').waitFor();
    await page.getByTestId('context-card').getByTestId('service-family').waitFor();
    await screenshot(page, `hub-scan${suffix}`);
    if (lang === 'en') {
      // An unknown number says so; the same return again is "already scanned" with the same context.
      await page.keyboard.type('99999999');
      await page.keyboard.press('Enter');
      await page.getByTestId('hub-unknown').waitFor();
      await page.keyboard.type(tracking);
      await page.keyboard.press('Enter');
      await page.getByTestId('hub-already').waitFor();
      await page.getByTestId('context-number').getByText(action.number).waitFor();
      allowHttpErrors('/api/v1/hub/scan', [404, 409]);
    }
    expect(await statusOf(action.id)).toBe('return_received');

    // The inspection with a low score: review required.
    const form = page.getByTestId('inspection-form');
    await form.getByTestId('condition-poor').check();
    await form.getByTestId('functionality-not_working').check();
    await form.getByTestId('quality-score').fill('2');
    await form.getByTestId('inspection-notes').fill(lang === 'ar' ? 'الحرارة لا تعمل' : 'Heating element burnt');
    await form.getByTestId('inspection-review-hint').waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await form.getByTestId('inspection-submit').scrollIntoViewIfNeeded();
    await screenshot(page, `hub-inspection-form${suffix}`);
    await form.getByTestId('inspection-submit').click();
    await page.getByTestId('inspection-review-required').waitFor();
    await page.getByTestId('inspection-review-required').scrollIntoViewIfNeeded();
    await screenshot(page, `hub-inspection${suffix}`);
    expect(await statusOf(action.id)).toBe('review_pending');
    await closePage();

    // Team leader: the review queue, approve with notes.
    page = await signIn('team_leader', lang);
    await page.goto('/reviews');
    await expectRtl(page, lang);
    const item = page.locator(`[data-testid="review-item"][data-action-id="${action.id}"]`);
    await item.waitFor();
    await item.getByTestId('review-notes').fill(lang === 'ar' ? 'موافق على الإصلاح' : 'OK to repair under warranty');
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await screenshot(page, `reviews${suffix}`);
    await item.getByTestId('review-approved').click();
    await page.getByTestId('review-done').waitFor();
    await item.waitFor({ state: 'detached' });
    expect(await statusOf(action.id)).toBe('approved');
    await closePage();

    // Technician: my actions, execute → the delivery back is created.
    page = await signIn('technician', lang);
    await page.goto('/technician');
    await expectRtl(page, lang);
    await page.locator(`[data-testid="tech-item"][data-action-id="${action.id}"] a`).click();
    const panel = page.locator(`[data-testid="tech-panel"][data-action-id="${action.id}"]`);
    await panel.waitFor();
    await panel.getByTestId(`tech-tab-${variant}`).click();
    if (variant === 'maintenance') {
      expect(await panel.getByTestId('tech-name').inputValue()).toBe('E2E technician');
      await panel.getByTestId('part-sku').first().fill('HEAT-EL-01');
      await panel.getByTestId('part-cost').first().fill('85');
      await panel.getByTestId('tech-notes').fill('Replaced the heating element');
    } else {
      await panel.getByTestId('tech-sku').fill('HV-AF65-NEW');
      await panel.getByTestId('tech-unit-cost').fill('1200');
    }
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await screenshot(page, `technician${suffix}`);
    await panel.getByTestId(`tech-submit-${variant}`).click();
    const outbound = (await panel.getByTestId('tech-outbound-tracking').textContent())?.trim() ?? '';
    expect(outbound).toMatch(/^\d{6,8}$/);
    await screenshot(page, `technician-done${suffix}`);
    const shipped = await api<ApiAction>(`/service-actions/${action.id}`);
    expect(shipped.status).toBe('outbound_shipped');
    expect(shipped.outboundTrackingNumber).toBe(outbound);
    await closePage();

    // Owner: the service figures moved.
    page = await signIn('owner', lang);
    await page.getByTestId('kpi-svc-open-value').waitFor();
    // One more open action; the first inspection also gives the average quality score its first value (a second
    // score of 2 leaves the average where it was).
    await page.waitForFunction(
      (b) => {
        const open = document.querySelector('[data-testid="kpi-svc-open-value"]')?.textContent;
        const quality = document.querySelector('[data-testid="kpi-svc-quality-value"]')?.textContent;
        return open !== b.open && (!b.firstScore || quality !== b.quality);
      },
      { ...before, firstScore: lang === 'en' },
      { timeout: 10_000 },
    );
    await page.getByTestId('chart-service-funnel').waitFor();
    await page.getByTestId('dash-service').scrollIntoViewIfNeeded();
    await screenshot(page, `dashboard-service${suffix}`);
    return { action: shipped, outbound, page };
  }

  it('English: agent wizard → hub scan and inspection → review → technician → dashboard, then closed', async () => {
    const { action, outbound, page } = await serviceCycle(sales[0], 'en', 'maintenance');

    // The delivery back reaches the customer (the simulator's control API), the action closes itself.
    const bosta = await api<{ baseUrl: string }>('/integrations/bosta');
    const control = new URL(bosta.baseUrl).origin;
    const advanced = await fetch(`${control}/__control/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trackingNumber: outbound, toState: 45 }),
    });
    expect(advanced.status).toBe(200);
    await fetch(`${control}/__control/flush`, { method: 'POST' });
    let status = await statusOf(action.id);
    for (let i = 0; i < 40 && status !== 'closed'; i++) {
      if (i === 10) await api('/integrations/bosta/sync', { method: 'POST', body: { mode: 'incremental' } });
      await new Promise((r) => setTimeout(r, 250));
      status = await statusOf(action.id);
    }
    expect(status).toBe('closed');
    await page.goto(`/service/${action.id}`);
    await page.locator('[data-testid="service-detail"][data-status="closed"]').waitFor();
    await page.getByTestId('outbound-timeline').waitFor();

    // The customer 360: the action, an interaction logged, a call scheduled.
    await page.goto(`/customers/${action.customerId}`);
    await page.getByTestId('customer-service-action').getByText(action.number).waitFor();
    await page.getByTestId('log-interaction').click();
    await page.getByTestId('interaction-subject').fill('Asked when the repaired fryer arrives');
    await page.getByTestId('interaction-submit').click();
    await page.getByTestId('c360-notice').getByText(/T-/).waitFor();
    await page.getByTestId('interaction').getByText('Asked when the repaired fryer arrives').waitFor();
    await page.getByTestId('schedule-call').click();
    await page.getByTestId('call-purpose').fill('Confirm the repair works');
    await page.getByTestId('call-submit').click();
    await page
      .getByTestId('c360-notice')
      .getByText(/call scheduled/i)
      .waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await page.getByTestId('customer-interactions').scrollIntoViewIfNeeded();
    await screenshot(page, 'customer-service');
    // The hourly sweep (tested on its own) marks missed a call nobody made by the end of its day: here the server's
    // database is changed straight away (the call dated years back, so it heads the desk's oldest-first list),
    // and the desk shows it as overdue and missed.
    const sqlite = new SqliteDatabase(join(server.dataDir, 'orderloop.db'));
    try {
      sqlite.pragma('busy_timeout = 10000');
      const marked = sqlite
        .prepare(
          "update scheduled_calls set status = 'missed', scheduled_at = ? where id = (select max(id) from scheduled_calls where purpose = ?)",
        )
        .run(new Date(Date.now() - 5 * 365 * 86_400_000).toISOString(), 'Confirm the repair works');
      expect(marked.changes).toBe(1);
    } finally {
      sqlite.close();
    }
    await page.goto('/desk');
    await page.getByTestId('desk-ticket').first().waitFor();
    const missed = page.getByTestId('follow-up').filter({ hasText: 'Confirm the repair works' });
    await missed.getByText('Missed', { exact: true }).waitFor();
    await missed.getByText('Overdue', { exact: true }).waitFor();
    await expect(unlabelledControls(page)).resolves.toEqual([]);
    await screenshot(page, 'desk');
  }, 150_000);

  it('Arabic: the same path right to left (replace the product)', async () => {
    const { page } = await serviceCycle(sales[1], 'ar', 'replace_full');
    await expectRtl(page, 'ar');
  }, 150_000);

  it('tablet (768 px): the service pages fit the screen; the board scrolls inside itself', async () => {
    const [action] = (await api<{ items: ApiAction[] }>('/service-actions?limit=1')).items;
    const page = await signIn('owner', 'en', { width: 768, height: 1024 });
    for (const [path, ready] of [
      ['/service', 'service-board'],
      ['/service/new', 'wizard-phone'],
      [`/service/${action.id}`, 'service-detail'],
      ['/hub', 'hub-scan'],
      ['/reviews', 'empty-state'],
      [`/technician/${action.id}`, 'tech-panel'],
      ['/desk', 'desk-kpis'],
    ] as const) {
      await page.goto(path);
      await page.getByTestId(ready).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(768);
    }
    await page.goto('/service');
    await page.getByTestId('service-board').waitFor();
    await screenshot(page, 'service-desk-tablet');
  });
});
