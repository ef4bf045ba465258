import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/app.js';
import { testDialects } from '../../../../test/support/databases.js';
import type { OrderRowOf } from '../../../../test/support/order-fixtures.js';
import { encodeCursor } from '../../../platform/http/cursor.js';
import { CSV_COLUMNS } from '../orders-csv.js';
import { ORDER_SORT_NAMES } from '../order-sort.js';
import {
  FORMULA_NAME,
  MAIN_PHONE,
  MAIN_PHONE_FORMATS,
  type OrderBook,
  SPECIAL_NAME,
  seedOrderBook,
  sortedIds,
} from './order-book.fixture.js';

/** RFC 4180 reader: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

describe.each(testDialects())('orders list, filters, sorts and export (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  let book: OrderBook;
  let a: OrderRowOf[];

  const get = (url: string) => t.req({ method: 'GET', url, token });

  /** Every page of a query, checking each page's size and that pages never overlap. */
  async function allPages(query: string, limit = 200): Promise<{ ids: number[]; pages: number }> {
    const ids: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = query ? '&' : '';
      const res = await get(
        `/api/v1/orders?${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.items.length).toBeLessThanOrEqual(limit);
      if (body.nextCursor) expect(body.items.length).toBe(limit);
      ids.push(...body.items.map((o: { id: number }) => o.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(new Set(ids).size).toBe(ids.length);
    return { ids, pages };
  }

  const idsWhere = (pred: (r: OrderRowOf) => boolean) => sortedIds(a.filter(pred), '-createdAt');

  beforeAll(async () => {
    t = await createTestApp(dialect);
    token = await t.tenantA.token('viewer');
    book = await seedOrderBook(t);
    a = book.a;
  });
  afterAll(async () => t?.close());

  it('lists newest first with every field in camelCase, money as decimals, no raw payload', async () => {
    const res = await get('/api/v1/orders?limit=3');
    expect(res.statusCode).toBe(200);
    const { items, nextCursor, total } = res.json();
    expect(items.map((o: { id: number }) => o.id)).toEqual(sortedIds(a, '-createdAt').slice(0, 3));
    expect(nextCursor).toEqual(expect.any(String));
    expect(total).toBeUndefined();
    const row = a.find((r) => r.id === items[0].id)!;
    expect(items[0]).toMatchObject({
      externalId: row.external_id,
      trackingNumber: row.tracking_number,
      cod: Number(row.cod_minor) / 100,
      fees: 50,
      phone: row.phone,
      createdAt: row.created_at,
      hierarchyStatus: row.hierarchy_status,
      customerId: row.customer_id,
    });
    expect(items[0].raw).toBeUndefined();
    expect((await get('/api/v1/orders')).json().items).toHaveLength(25);
  });

  it('finds the same orders by phone in every format, and only the tenant’s own', async () => {
    const expected = idsWhere((r) => r.phone === MAIN_PHONE);
    expect(expected.length).toBeGreaterThan(10);
    for (const format of MAIN_PHONE_FORMATS) {
      const { ids } = await allPages(`phone=${encodeURIComponent(format)}`);
      expect(ids, format).toEqual(expected);
    }
    const bad = await get('/api/v1/orders?phone=12ab');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_phone');
  });

  it('applies each filter, and combinations, exactly', async () => {
    const at = (i: number) => sortedIds(a, 'createdAt').map((id) => a.find((r) => r.id === id)!)[i];
    const from = at(40).created_at;
    const to = at(90).created_at;
    const delivered = a.filter((r) => r.delivered_at).sort((x, y) => x.delivered_at!.localeCompare(y.delivered_at!));
    const dFrom = delivered[10].delivered_at!;
    const dTo = delivered[30].delivered_at!;
    const tracked = a[17];
    // Cairo is UTC+2 in January: its 10 January starts at 9 January 22:00 UTC.
    const dayFrom = '2026-01-09T22:00:00.000Z';
    const dayBefore = '2026-01-12T22:00:00.000Z';
    const hasNotes = (r: OrderRowOf) => Boolean(r.courier_notes) || Boolean(r.local_notes);
    const cases: Array<[string, (r: OrderRowOf) => boolean]> = [
      ['state=46', (r) => r.state_code === 46],
      ['state=45,46', (r) => r.state_code === 45 || r.state_code === 46],
      ['type=25', (r) => r.type_code === 25],
      ['category=refund', (r) => r.category === 'refund'],
      ['category=maintenance', (r) => r.category === 'maintenance'],
      ['city=Giza', (r) => r.city === 'Giza'],
      ['zone=Dokki', (r) => r.zone === 'Dokki'],
      [`tracking=${tracked.tracking_number}`, (r) => r.id === tracked.id],
      [`createdFrom=${from}&createdTo=${to}`, (r) => r.created_at >= from && r.created_at <= to],
      ['createdFrom=2026-01-10&createdTo=2026-01-12', (r) => r.created_at >= dayFrom && r.created_at < dayBefore],
      [
        `deliveredFrom=${dFrom}&deliveredTo=${dTo}`,
        (r) => !!r.delivered_at && r.delivered_at >= dFrom && r.delivered_at <= dTo,
      ],
      ['codMin=300&codMax=1000', (r) => Number(r.cod_minor) >= 30_000 && Number(r.cod_minor) <= 100_000],
      ['codMax=-0.01', (r) => Number(r.cod_minor) < 0],
      ['hierarchy=main', (r) => r.hierarchy_status === 'main'],
      ['hasNotes=true', hasNotes],
      ['hasNotes=false', (r) => !hasNotes(r)],
      [`customerId=${book.customerIds[1]}`, (r) => r.customer_id === book.customerIds[1]],
      ['city=Cairo&state=45&type=10', (r) => r.city === 'Cairo' && r.state_code === 45 && r.type_code === 10],
      [`phone=01001234567&category=real_sale`, (r) => r.phone === MAIN_PHONE && r.category === 'real_sale'],
      ['city=Nowhere', () => false],
    ];
    for (const [query, pred] of cases) {
      const expected = idsWhere(pred);
      const { ids } = await allPages(query);
      expect(ids, query).toEqual(expected);
      const counted = await get(`/api/v1/orders?${query}&limit=1&total=true`);
      expect(counted.json().total, query).toBe(expected.length);
    }
  });

  it('pages through every sort in order: disjoint, complete, ties broken by id, nulls last', async () => {
    for (const sort of ORDER_SORT_NAMES) {
      const { ids, pages } = await allPages(`sort=${encodeURIComponent(sort)}`, 37);
      expect(ids, sort).toEqual(sortedIds(a, sort));
      expect(pages).toBe(Math.ceil(a.length / 37));
    }
    const { ids } = await allPages('sort=-cod&city=Cairo', 7);
    expect(ids).toEqual(
      sortedIds(
        a.filter((r) => r.city === 'Cairo'),
        '-cod',
      ),
    );
    const byPhone = await allPages('sort=deliveredAt&phone=%2B201001234567', 4);
    expect(byPhone.ids).toEqual(
      sortedIds(
        a.filter((r) => r.phone === MAIN_PHONE),
        'deliveredAt',
      ),
    );
  });

  it('rejects a cursor of another sort, a forged cursor and unknown parameters with 400', async () => {
    const first = (await get('/api/v1/orders?limit=5')).json();
    const mismatched = await get(`/api/v1/orders?sort=cod&cursor=${first.nextCursor}`);
    expect(mismatched.statusCode).toBe(400);
    expect(mismatched.json().error.code).toBe('cursor_sort_mismatch');
    const forged: Array<[string, string]> = [
      ['garbage', '-createdAt'],
      [encodeCursor(['-createdAt', 'not-a-date', 5]), '-createdAt'],
      [encodeCursor(['-createdAt', '2026-01-01T00:00:00.000Z', -1]), '-createdAt'],
      [encodeCursor(['cod', 'x', 5]), 'cod'],
      [encodeCursor(['cod', 1.5, 5]), 'cod'],
      [encodeCursor(['-cod', null, 5]), '-cod'],
      [encodeCursor(['-deliveredAt', null, 5, 7]), '-deliveredAt'],
    ];
    for (const [cursor, sort] of forged) {
      const res = await get(`/api/v1/orders?cursor=${cursor}&sort=${sort}`);
      expect(res.statusCode, `${sort} ${cursor}`).toBe(400);
      expect(res.json().error.code).toBe('invalid_cursor');
    }
    const nullCursor = encodeCursor(['-deliveredAt', null, 999_999]);
    expect((await get(`/api/v1/orders?cursor=${nullCursor}&sort=-deliveredAt`)).statusCode).toBe(200);
    for (const q of [
      'sort=name',
      'limit=201',
      'state=4a',
      'createdFrom=yesterday',
      'createdFrom=2026-02-30',
      'page=2',
    ]) {
      expect((await get(`/api/v1/orders?${q}`)).statusCode, q).toBe(400);
    }
  });

  it('exports the filtered orders as CSV with a header, decimals and escaped text', async () => {
    const res = await get('/api/v1/orders/export.csv?city=Cairo&sort=createdAt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const expected = sortedIds(
      a.filter((r) => r.city === 'Cairo'),
      'createdAt',
    );
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(expected);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as never);
    const sample = rows.find((r) => r[col('cod')].includes('.'))!;
    expect((Number(sample[col('cod')]) * 100) % 1).toBe(0);
    const all = parseCsv((await get('/api/v1/orders/export.csv')).body);
    expect(all.length - 1).toBe(a.length);
    const special = all.find((r) => r[col('receiverName')] === SPECIAL_NAME);
    expect(special).toBeTruthy();
    expect(all.some((r) => r[col('receiverName')] === `'${FORMULA_NAME}`)).toBe(true);
    const row = a.find((r) => r.id === Number(special![0]))!;
    expect(special![col('createdAt')]).toBe(row.created_at);
    expect(special![col('phone')]).toBe(row.phone);
    expect(Number(special![col('cod')])).toBe(Number(row.cod_minor) / 100);
    const empty = parseCsv((await get('/api/v1/orders/export.csv?city=Nowhere')).body);
    expect(empty).toEqual([[...CSV_COLUMNS]]);
    expect((await get('/api/v1/orders/export.csv?phone=nope')).statusCode).toBe(400);
  });
});
