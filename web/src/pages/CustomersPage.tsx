import {
  Anchor,
  Badge,
  Button,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/endpoints';
import type { CustomerListParams } from '../api/types';
import { Icon } from '../components/Icons';
import { SEGMENT_COLORS } from '../components/Kpi';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../components/States';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';

const SORTS = ['-lastOrderAt', '-lifetimeValue', '-ordersCount', 'name'] as const;
export default function CustomersPage() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced value drives this
  useEffect(() => {
    if (debounced !== (params.get('q') ?? '')) set('q', debounced || null);
  }, [debounced]);

  const query: Omit<CustomerListParams, 'limit' | 'cursor'> = {
    search: params.get('q') || undefined,
    segment: (params.get('segment') || undefined) as CustomerListParams['segment'],
    city: params.get('city') || undefined,
    sort: (params.get('sort') || '-lastOrderAt') as CustomerListParams['sort'],
  };
  const key = JSON.stringify(query);
  const list = useInfiniteQuery({
    queryKey: ['customers', 'list', key],
    queryFn: ({ pageParam, signal }) => api.customers.list({ ...query, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const segments = useQuery({
    queryKey: ['customers', 'segments'],
    queryFn: ({ signal }) => api.customers.segments(signal),
  });
  const analytics = useQuery({
    queryKey: ['customers', 'analytics'],
    queryFn: ({ signal }) => api.customers.analytics(signal),
    select: (a) => a.byCity.filter((c) => c.city).map((c) => c.city),
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const segmentValue = params.get('segment') ?? '';

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('customers.title')}</Title>
        {segments.data ? (
          <Text size="sm" c="dimmed">
            {t('customers.count', { count: fmt.number(segments.data.total) })}
          </Text>
        ) : null}
      </Group>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="segment-label">
          {t('customers.segment')}
        </Text>
        <SegmentedControl
          aria-labelledby="segment-label"
          value={segmentValue}
          onChange={(v) => set('segment', v || null)}
          data={[
            { value: '', label: `${t('common.all')}${segments.data ? ` · ${fmt.number(segments.data.total)}` : ''}` },
            ...(
              segments.data?.items ??
              ['new', 'regular', 'vip', 'problematic'].map((s) => ({ segment: s, customers: null }))
            ).map((s) => ({
              value: s.segment,
              label: `${tr('segment', s.segment)}${s.customers !== null ? ` · ${fmt.number(s.customers)}` : ''}`,
            })),
          ]}
          data-testid="segment-control"
          style={{ alignSelf: 'flex-start', maxWidth: '100%', overflowX: 'auto' }}
        />
      </Stack>
      <Group align="flex-end" gap="sm" wrap="wrap" role="search" aria-label={t('common.filters')}>
        <TextInput
          label={t('customers.search')}
          description={t('customers.searchHint')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          leftSection={<Icon name="search" size={16} />}
          w={300}
          data-testid="customers-search"
        />
        <Select
          label={t('customers.city')}
          placeholder={t('common.all')}
          data={analytics.data ?? []}
          value={params.get('city')}
          onChange={(v) => set('city', v)}
          clearable
          searchable
          w={180}
        />
        <Select
          label={t('customers.sort')}
          data={SORTS.map((s) => ({ value: s, label: t(`customers.sort.${s}` as const) }))}
          value={params.get('sort') || '-lastOrderAt'}
          onChange={(v) => set('sort', v === '-lastOrderAt' ? null : v)}
          allowDeselect={false}
          w={180}
        />
      </Group>
      {list.isPending ? (
        <TableSkeleton rows={12} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState message={t('customers.empty')} />
      ) : (
        <div className="ol-table-scroll" data-testid="customers-table">
          <Table verticalSpacing={6} fz="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('customers.col.name')}</Table.Th>
                <Table.Th scope="col">{t('customers.col.phone')}</Table.Th>
                <Table.Th scope="col">{t('customers.col.city')}</Table.Th>
                <Table.Th scope="col">{t('customers.col.segment')}</Table.Th>
                <Table.Th scope="col" ta="end">
                  {t('customers.col.orders')}
                </Table.Th>
                <Table.Th scope="col" ta="end">
                  {t('customers.col.returnRate')}
                </Table.Th>
                <Table.Th scope="col" ta="end">
                  {t('customers.col.ltv')}
                </Table.Th>
                <Table.Th scope="col">{t('customers.col.lastOrder')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr
                  key={c.id}
                  className="ol-row"
                  onClick={() => navigate(`/customers/${c.id}`)}
                  data-testid="customer-row"
                >
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/customers/${c.id}`}
                      size="sm"
                      onClick={(e) => e.stopPropagation()}
                      aria-label={t('customers.open', { name: c.name })}
                    >
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Ltr>{c.phone}</Ltr>
                  </Table.Td>
                  <Table.Td>{c.city ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={SEGMENT_COLORS[c.segment] ?? 'gray'}>
                      {tr('segment', c.segment)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="end">{fmt.number(c.ordersCount)}</Table.Td>
                  <Table.Td ta="end">{fmt.percent(c.returnRate)}</Table.Td>
                  <Table.Td ta="end" style={{ whiteSpace: 'nowrap' }}>
                    {fmt.money(c.lifetimeValue)}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.date(c.lastOrderAt)}</Table.Td>
                </Table.Tr>
              ))}
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
    </Stack>
  );
}
