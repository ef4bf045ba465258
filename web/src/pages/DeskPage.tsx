import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/endpoints';
import type { InteractionListParams, InteractionType, Priority } from '../api/types';
import { useSession } from '../auth/session';
import { DESK_STATUS_COLOR, INTERACTION_TYPES, PRIORITIES, PRIORITY_COLOR } from '../components/desk';
import { Kpi } from '../components/Kpi';
import { CardsSkeleton, EmptyState, ErrorState, Ltr, TableSkeleton } from '../components/States';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';

const STATUS_FILTERS = ['unresolved', 'open', 'in_progress', 'waiting_customer', 'resolved', 'closed', 'all'] as const;
const UNRESOLVED = 'open,in_progress,waiting_customer';

function FollowUpsPanel() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const q = useQuery({
    queryKey: ['desk', 'follow-ups'],
    queryFn: ({ signal }) => api.desk.followUps({ limit: 50 }, signal),
    refetchInterval: 60_000,
  });
  return (
    <Paper withBorder p="md" radius="md" data-testid="desk-follow-ups">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={3} size="h5">
          {t('desk.followUps')}
        </Title>
        {q.data ? (
          <Text size="xs" c="dimmed">
            {t('desk.followUpsTotals', {
              overdue: fmt.number(q.data.totals.overdue),
              later: fmt.number(q.data.totals.dueLaterToday),
            })}
          </Text>
        ) : null}
      </Group>
      {q.isPending ? (
        <TableSkeleton rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('desk.noFollowUps')}
        </Text>
      ) : (
        <Stack gap={6}>
          {q.data.items.map((f) => (
            <Group key={`${f.kind}-${f.id}`} gap={6} wrap="wrap" data-testid="follow-up">
              <Badge size="xs" variant="light" color={f.kind === 'call' ? 'teal' : 'blue'}>
                {tr('desk.kind', f.kind)}
              </Badge>
              {f.overdue ? (
                <Badge size="xs" color="red">
                  {t('svc.overdue')}
                </Badge>
              ) : null}
              {f.kind === 'call' && f.status === 'missed' ? (
                <Badge size="xs" color="orange" variant="outline">
                  {t('desk.missedCall')}
                </Badge>
              ) : null}
              <Text size="sm" fw={500}>
                {f.title}
              </Text>
              {f.ticketNumber ? (
                <Text size="xs" c="dimmed">
                  <Ltr>{f.ticketNumber}</Ltr>
                </Text>
              ) : null}
              <Anchor component={Link} to={`/customers/${f.customerId}`} size="sm">
                {f.customer.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {fmt.dateTime(f.dueAt)}
                {f.assignee ? ` · ${f.assignee.name}` : ''}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** The customer-service desk: the agent's counts, what is due today, and the tickets list with filters. */
export default function DeskPage() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const statusFilter = (params.get('status') ?? 'unresolved') as (typeof STATUS_FILTERS)[number];
  const type = (params.get('type') as InteractionType | null) ?? undefined;
  const priority = (params.get('priority') as Priority | null) ?? undefined;
  const assignee = params.get('assignee') ?? undefined;
  const [search, setSearch] = useState(params.get('q') ?? '');
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const dash = useQuery({
    queryKey: ['desk', 'dashboard'],
    queryFn: ({ signal }) => api.desk.dashboard(signal),
    refetchInterval: 60_000,
  });
  const filter: InteractionListParams = {
    status: statusFilter === 'all' ? undefined : statusFilter === 'unresolved' ? UNRESOLVED : statusFilter,
    type,
    priority,
    assignee,
    search: params.get('q') || undefined,
    limit: 50,
  };
  const list = useInfiniteQuery({
    queryKey: ['desk', 'interactions', filter],
    queryFn: ({ signal, pageParam }) => api.desk.list({ ...filter, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const d = dash.data;

  return (
    <Stack gap="md">
      <Title order={2}>{t('desk.title')}</Title>
      {dash.isPending ? (
        <CardsSkeleton count={4} height={70} />
      ) : dash.isError ? (
        <ErrorState error={dash.error} onRetry={() => void dash.refetch()} />
      ) : d ? (
        <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="desk-kpis">
          <Kpi
            testId="desk-open"
            label={t('desk.kpi.open')}
            value={fmt.number(d.open.total)}
            hint={t('desk.kpi.openHint', {
              urgent: fmt.number(d.open.byPriority.urgent),
              high: fmt.number(d.open.byPriority.high),
            })}
          />
          <Kpi
            testId="desk-mine"
            label={t('desk.kpi.mine')}
            value={fmt.number(d.mine?.open ?? null)}
            hint={
              d.mine
                ? t('desk.kpi.mineHint', { overdue: fmt.number(d.mine.overdue), calls: fmt.number(d.mine.callsToday) })
                : undefined
            }
          />
          <Kpi
            testId="desk-overdue"
            label={t('desk.kpi.overdue')}
            value={fmt.number(d.overdue.followUps + d.overdue.calls)}
            hint={t('desk.kpi.overdueHint', {
              followUps: fmt.number(d.overdue.followUps),
              calls: fmt.number(d.overdue.calls),
            })}
          />
          <Kpi
            testId="desk-today"
            label={t('desk.kpi.today')}
            value={fmt.number(d.today.created)}
            hint={t('desk.kpi.todayHint', {
              resolved: fmt.number(d.today.resolved),
              calls: fmt.number(d.today.callsCompleted),
              scheduled: fmt.number(d.today.callsScheduled),
              minutes: d.averageResolutionMinutes === null ? '—' : fmt.number(Math.round(d.averageResolutionMinutes)),
            })}
          />
        </SimpleGrid>
      ) : null}

      <FollowUpsPanel />

      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb="sm">
          {t('desk.tickets')}
        </Title>
        <Group align="flex-end" wrap="wrap" gap="sm" mb="sm">
          <Select
            label={t('common.status')}
            data={STATUS_FILTERS.map((s) => ({ value: s, label: tr('desk.filter', s) }))}
            value={statusFilter}
            onChange={(v) => setParam('status', v === 'unresolved' ? null : v)}
            allowDeselect={false}
            w={180}
          />
          <Select
            label={t('desk.type')}
            placeholder={t('common.all')}
            data={INTERACTION_TYPES.map((v) => ({ value: v, label: tr('desk.type', v) }))}
            value={type ?? null}
            onChange={(v) => setParam('type', v)}
            clearable
            w={160}
          />
          <Select
            label={t('desk.priority')}
            placeholder={t('common.all')}
            data={PRIORITIES.map((v) => ({ value: v, label: tr('priority', v) }))}
            value={priority ?? null}
            onChange={(v) => setParam('priority', v)}
            clearable
            w={140}
          />
          <Select
            label={t('desk.assignee')}
            placeholder={t('common.all')}
            data={[
              ...(me?.user ? [{ value: 'me', label: t('desk.assignee.me') }] : []),
              { value: 'none', label: t('desk.assignee.none') },
            ]}
            value={assignee ?? null}
            onChange={(v) => setParam('assignee', v)}
            clearable
            w={160}
          />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setParam('q', search.trim() || null);
            }}
          >
            <TextInput
              label={t('desk.search')}
              description={t('desk.searchHint')}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={240}
            />
          </form>
        </Group>
        {list.isPending ? (
          <TableSkeleton rows={6} />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState message={t('desk.empty')} />
        ) : (
          <div className="ol-table-scroll">
            <Table fz="sm" verticalSpacing={6} data-testid="desk-tickets" miw={820}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('desk.col.ticket')}</Table.Th>
                  <Table.Th>{t('desk.col.customer')}</Table.Th>
                  <Table.Th>{t('desk.col.subject')}</Table.Th>
                  <Table.Th>{t('desk.type')}</Table.Th>
                  <Table.Th>{t('desk.priority')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('desk.col.followUp')}</Table.Th>
                  <Table.Th>{t('common.created')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((i) => (
                  <Table.Tr key={i.id} data-testid="desk-ticket">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Ltr>{i.ticketNumber}</Ltr>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/customers/${i.customerId}`} size="sm">
                        {i.customer.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{i.subject}</Table.Td>
                    <Table.Td>
                      {tr('desk.type', i.type)} · {tr('desk.channel', i.channel)}
                    </Table.Td>
                    <Table.Td>
                      <Badge size="xs" color={PRIORITY_COLOR[i.priority]} variant="light">
                        {tr('priority', i.priority)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="xs" color={DESK_STATUS_COLOR[i.status]} variant="light">
                        {tr('desk.status', i.status)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {i.followUpAt ? fmt.dateTime(i.followUpAt) : '—'}{' '}
                      {i.overdue ? (
                        <Badge size="xs" color="red">
                          {t('svc.overdue')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(i.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
        {list.hasNextPage ? (
          <Group justify="center" mt="sm">
            <Button variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t('common.loadMore')}
            </Button>
          </Group>
        ) : null}
      </Paper>
    </Stack>
  );
}
