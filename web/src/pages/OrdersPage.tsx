import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../api/endpoints';
import type { OrderListParams } from '../api/types';
import { CATEGORY_BADGE } from '../components/FamilyTree';
import { Icon } from '../components/Icons';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../components/States';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';
import { OrderDrawer } from './OrderDetail';

const PAGE = 50;
const ROW_HEIGHT = 41;
const CATEGORIES = ['real_sale', 'maintenance', 'service', 'refund', 'return', 'replacement', 'operational'] as const;
const SORTS = ['-createdAt', 'createdAt', '-updatedAt', '-deliveredAt', '-cod', 'cod', 'stateCode'] as const;
const HIERARCHY = ['main', 'linked', 'unlinked'] as const;
type Sort = (typeof SORTS)[number];

/** What the search box holds: a tracking number (7–8 digits), a phone (any format), or neither. */
export function classifySearch(raw: string): { tracking?: string; phone?: string; invalid?: boolean } {
  const s = raw.trim();
  if (!s) return {};
  const digits = s.replace(/[\s\-().]/g, '');
  if (/^\d{7,8}$/.test(digits)) return { tracking: digits };
  if (/^[+\d\s\-().]+$/.test(s) && digits.replace(/^\+/, '').length >= 9) return { phone: s };
  return { invalid: true };
}

/** The page's filters live in the URL, so a reload, a shared link and the detail panel all keep them. */
function useOrderFilters() {
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  return { params, get, set, clear: () => setParams(new URLSearchParams(), { replace: true }) };
}

export default function OrdersPage() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const navigate = useNavigate();
  const { orderId } = useParams();
  const filters = useOrderFilters();
  const [search, setSearch] = useState(filters.get('q'));
  const [debounced] = useDebouncedValue(search, 300);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // Keep the URL in step with the debounced search box.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced value drives this
  useEffect(() => {
    if (debounced.trim() !== filters.get('q')) filters.set('q', debounced.trim() || null);
  }, [debounced]);

  const q = filters.get('q');
  const found = classifySearch(q);
  const query: Omit<OrderListParams, 'limit' | 'cursor' | 'total'> = {
    tracking: found.tracking,
    phone: found.phone,
    state: filters.get('state') || undefined,
    category: (filters.get('category') || undefined) as OrderListParams['category'],
    city: filters.get('city') || undefined,
    hierarchy: (filters.get('hierarchy') || undefined) as OrderListParams['hierarchy'],
    createdFrom: filters.get('from') || undefined,
    createdTo: filters.get('to') || undefined,
    sort: (filters.get('sort') || '-createdAt') as Sort,
  };
  const key = JSON.stringify(query);

  const list = useInfiniteQuery({
    queryKey: ['orders', 'list', key],
    queryFn: ({ pageParam, signal }) => api.orders.list({ ...query, limit: PAGE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !found.invalid,
  });
  // The count comes apart from the rows: on a large table it may take longer, and the rows must not wait for it.
  const count = useQuery({
    queryKey: ['orders', 'count', key],
    queryFn: ({ signal }) => api.orders.list({ ...query, limit: 1, total: true }, signal),
    // Asked once the rows are in: on SQLite a long count would otherwise hold the rows' request up.
    enabled: !found.invalid && list.isSuccess,
    staleTime: 60_000,
  });
  // The filters' choices come after the first rows too: the rows are what the user waits for.
  const states = useQuery({
    queryKey: ['orders', 'states'],
    queryFn: ({ signal }) => api.orders.states({}, signal),
    enabled: list.isSuccess,
  });
  const cities = useQuery({
    queryKey: ['orders', 'analytics', undefined, undefined, undefined],
    queryFn: ({ signal }) => api.orders.analytics({}, signal),
    select: (a) => a.byCity.filter((c) => c.city).map((c) => c.city),
    enabled: list.isSuccess,
  });

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (lastIndex >= rows.length - 10 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [lastIndex, rows.length, list.hasNextPage, list.isFetchingNextPage, list.fetchNextPage]);

  useEffect(() => {
    searchRef.current?.focus();
  }, []);

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const blob = await api.orders.exportCsv(query);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `orders-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(e);
    } finally {
      setExporting(false);
    }
  };

  const open = (id: number) => navigate({ pathname: `/orders/${id}`, search: filters.params.toString() });
  const paddingTop = items.length ? items[0].start : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const COLS = 8;
  const hasFilters = [...filters.params.keys()].some((k) => k !== 'sort');

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="center">
        <Title order={2}>{t('orders.title')}</Title>
        <Group gap="sm">
          <Text size="sm" c="dimmed" data-testid="orders-total" aria-live="polite">
            {count.data?.total !== undefined ? t('orders.total', { count: fmt.number(count.data.total) }) : ''}
          </Text>
          <Button
            variant="light"
            onClick={() => void exportCsv()}
            loading={exporting}
            leftSection={<Icon name="download" size={16} />}
            data-testid="orders-export"
          >
            {t('orders.export')}
          </Button>
        </Group>
      </Group>

      <Group align="flex-end" gap="sm" wrap="wrap" role="search" aria-label={t('common.filters')}>
        <TextInput
          ref={searchRef}
          label={t('orders.search')}
          description={t('orders.searchHint')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          leftSection={<Icon name="search" size={16} />}
          w={320}
          inputMode="tel"
          data-testid="orders-search"
          error={found.invalid ? t('orders.searchInvalid') : undefined}
        />
        <Select
          label={t('orders.state')}
          placeholder={t('common.all')}
          data={(states.data?.byState ?? []).map((s) => ({ value: String(s.stateCode), label: s.stateName }))}
          value={filters.get('state') || null}
          onChange={(v) => filters.set('state', v)}
          clearable
          w={190}
        />
        <Select
          label={t('orders.category')}
          placeholder={t('common.all')}
          data={CATEGORIES.map((c) => ({ value: c, label: tr('category', c) }))}
          value={filters.get('category') || null}
          onChange={(v) => filters.set('category', v)}
          clearable
          w={160}
        />
        <Select
          label={t('orders.city')}
          placeholder={t('common.all')}
          data={cities.data ?? []}
          value={filters.get('city') || null}
          onChange={(v) => filters.set('city', v)}
          clearable
          searchable
          w={160}
        />
        <Select
          label={t('orders.hierarchy')}
          placeholder={t('common.all')}
          data={HIERARCHY.map((h) => ({ value: h, label: tr('hierarchy', h) }))}
          value={filters.get('hierarchy') || null}
          onChange={(v) => filters.set('hierarchy', v)}
          clearable
          w={140}
        />
        <TextInput
          type="date"
          label={t('orders.createdFrom')}
          value={filters.get('from')}
          onChange={(e) => filters.set('from', e.currentTarget.value)}
          w={150}
        />
        <TextInput
          type="date"
          label={t('orders.createdTo')}
          value={filters.get('to')}
          onChange={(e) => filters.set('to', e.currentTarget.value)}
          w={150}
        />
        <Select
          label={t('orders.sort')}
          data={SORTS.map((s) => ({ value: s, label: t(`orders.sort.${s}` as const) }))}
          value={filters.get('sort') || '-createdAt'}
          onChange={(v) => filters.set('sort', v === '-createdAt' ? null : v)}
          allowDeselect={false}
          w={180}
        />
        {hasFilters ? (
          <Button
            variant="subtle"
            onClick={() => {
              setSearch('');
              filters.clear();
            }}
          >
            {t('common.clearFilters')}
          </Button>
        ) : null}
      </Group>
      {q && !found.invalid ? (
        <Text size="xs" c="dimmed" data-testid="orders-search-mode">
          {found.tracking
            ? t('orders.searchAsTracking', { value: found.tracking })
            : t('orders.searchAsPhone', { value: found.phone ?? '' })}
        </Text>
      ) : null}
      {exportError ? <ErrorState error={exportError} /> : null}

      {found.invalid ? null : list.isPending ? (
        <TableSkeleton rows={12} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState message={hasFilters ? t('orders.empty') : t('common.empty')} />
      ) : (
        <div
          ref={scrollRef}
          className="ol-table-scroll"
          style={{ height: 'calc(100vh - 300px)', minHeight: 360 }}
          data-testid="orders-table"
        >
          <Table verticalSpacing={6} horizontalSpacing="sm" fz="sm" aria-rowcount={count.data?.total ?? -1}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('orders.col.tracking')}</Table.Th>
                <Table.Th scope="col">{t('orders.col.created')}</Table.Th>
                <Table.Th scope="col">{t('orders.col.receiver')}</Table.Th>
                <Table.Th scope="col">{t('orders.col.phone')}</Table.Th>
                <Table.Th scope="col">{t('orders.col.city')}</Table.Th>
                <Table.Th scope="col">{t('orders.col.state')}</Table.Th>
                <Table.Th scope="col">{t('orders.col.category')}</Table.Th>
                <Table.Th scope="col" ta="end">
                  {t('orders.col.cod')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {paddingTop > 0 ? (
                <tr>
                  <td colSpan={COLS} style={{ height: paddingTop, padding: 0, border: 0 }} />
                </tr>
              ) : null}
              {items.map((vi) => {
                const o = rows[vi.index];
                return (
                  <Table.Tr
                    key={o.id}
                    className="ol-row"
                    onClick={() => open(o.id)}
                    data-testid="order-row"
                    aria-selected={String(o.id) === orderId}
                    style={{ height: ROW_HEIGHT }}
                  >
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={{ pathname: `/orders/${o.id}`, search: filters.params.toString() }}
                        onClick={(e) => e.stopPropagation()}
                        aria-label={t('orders.open', { tracking: o.trackingNumber ?? o.id })}
                        size="sm"
                      >
                        <Ltr>{o.trackingNumber ?? `#${o.id}`}</Ltr>
                      </Anchor>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(o.createdAt)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" truncate maw={180}>
                        {o.receiverName ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Ltr>{o.phone ?? '—'}</Ltr>
                    </Table.Td>
                    <Table.Td>{o.city ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="sm" truncate maw={170}>
                        {o.stateName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={CATEGORY_BADGE[o.category] ?? 'gray'}>
                        {tr('category', o.category)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="end" style={{ whiteSpace: 'nowrap' }}>
                      {fmt.money(o.cod)}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
              {paddingBottom > 0 ? (
                <tr>
                  <td colSpan={COLS} style={{ height: paddingBottom, padding: 0, border: 0 }} />
                </tr>
              ) : null}
            </Table.Tbody>
          </Table>
          {list.hasNextPage ? (
            <Group justify="center" p="xs">
              <Button
                variant="subtle"
                size="xs"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                {t('common.loadMore')}
              </Button>
            </Group>
          ) : null}
        </div>
      )}
      <OrderDrawer
        orderId={orderId ? Number(orderId) : null}
        onClose={() => navigate({ pathname: '/orders', search: filters.params.toString() })}
      />
    </Stack>
  );
}
