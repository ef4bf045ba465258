import { Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import type { ServiceAction, ServiceType } from '../../api/types';
import { useSession } from '../../auth/session';
import { Icon } from '../../components/Icons';
import { Kpi } from '../../components/Kpi';
import { CardsSkeleton, EmptyState, ErrorState, Ltr } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { ActionFlags, CustomerName, OPEN_STATUSES, SERVICE_TYPES, TypeBadge } from './badges';

const LIMIT = 200;

function ActionCard({ action }: { action: ServiceAction }) {
  const { t } = useI18n();
  const fmt = useFormat();
  return (
    <Paper
      withBorder
      p="xs"
      radius="sm"
      data-testid="service-card"
      data-action-id={action.id}
      data-status={action.status}
      style={action.overdue ? { borderInlineStart: '3px solid var(--mantine-color-red-6)' } : undefined}
    >
      <Stack gap={4}>
        <Anchor
          component={Link}
          to={`/service/${action.id}`}
          fw={700}
          size="sm"
          aria-label={t('svc.openAction', { number: action.number })}
        >
          <Ltr>{action.number}</Ltr>
        </Anchor>
        <Text size="sm" truncate>
          <CustomerName id={action.customerId} />
        </Text>
        <Group gap={4} wrap="wrap">
          <TypeBadge type={action.type} size="xs" />
          <ActionFlags action={action} size="xs" />
        </Group>
        <Text size="xs" c="dimmed" title={fmt.dateTime(action.createdAt)}>
          {t('svc.age', { ago: fmt.ago(action.createdAt) })}
        </Text>
      </Stack>
    </Paper>
  );
}

/** The service desk: open actions as a board by status, filters, and a way into the new-action wizard. */
export default function ServiceDeskPage() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const type = (params.get('type') as ServiceType | null) ?? undefined;
  const overdue = params.get('overdue') === '1';
  const flagged = params.get('flagged') === '1';
  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const board = useQuery({
    queryKey: ['service', 'board', type, overdue, flagged],
    queryFn: ({ signal }) =>
      api.service.list(
        {
          status: OPEN_STATUSES.join(','),
          limit: LIMIT,
          type,
          overdue: overdue || undefined,
          flagged: flagged || undefined,
        },
        signal,
      ),
    refetchInterval: 60_000,
  });
  const summary = useQuery({
    queryKey: ['service', 'dashboard'],
    queryFn: ({ signal }) => api.service.dashboard(signal),
  });

  const items = board.data?.items ?? [];
  const filtered = Boolean(type || overdue || flagged);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>{t('svc.title')}</Title>
        {can('service:write') ? (
          <Button
            component={Link}
            to="/service/new"
            leftSection={<Icon name="plus" size={16} />}
            data-testid="service-new"
          >
            {t('svc.new')}
          </Button>
        ) : null}
      </Group>

      {summary.isPending ? (
        <CardsSkeleton count={4} height={70} />
      ) : summary.data ? (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Kpi testId="svc-open" label={t('svc.kpi.open')} value={fmt.number(summary.data.open)} />
          <Kpi testId="svc-overdue" label={t('svc.kpi.overdue')} value={fmt.number(summary.data.overdue.count)} />
          <Kpi testId="svc-flagged" label={t('svc.kpi.flagged')} value={fmt.number(summary.data.flagged.count)} />
          <Kpi
            testId="svc-today"
            label={t('svc.kpi.today')}
            value={fmt.number(summary.data.today.created)}
            hint={t('svc.kpi.todayHint', {
              received: fmt.number(summary.data.today.received),
              shipped: fmt.number(summary.data.today.shipped),
            })}
          />
        </SimpleGrid>
      ) : null}

      <Group align="flex-end" wrap="wrap" gap="md">
        <Select
          label={t('svc.filter.type')}
          placeholder={t('common.all')}
          data={SERVICE_TYPES.map((v) => ({ value: v, label: tr('svc.type', v) }))}
          value={type ?? null}
          onChange={(v) => setParam('type', v)}
          clearable
          w={200}
          data-testid="service-filter-type"
        />
        <Switch
          label={t('svc.filter.overdue')}
          checked={overdue}
          onChange={(e) => setParam('overdue', e.currentTarget.checked ? '1' : null)}
          data-testid="service-filter-overdue"
        />
        <Switch
          label={t('svc.filter.flagged')}
          checked={flagged}
          onChange={(e) => setParam('flagged', e.currentTarget.checked ? '1' : null)}
        />
        {board.data ? (
          <Text size="sm" c="dimmed" data-testid="service-count">
            {t('svc.count', { count: fmt.number(items.length) })}
            {board.data.nextCursor ? ` · ${t('svc.newestOnly', { count: fmt.number(LIMIT) })}` : ''}
          </Text>
        ) : null}
      </Group>

      {board.isPending ? (
        <CardsSkeleton count={5} height={220} />
      ) : board.isError ? (
        <ErrorState error={board.error} onRetry={() => void board.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          message={filtered ? t('common.noMatch') : t('svc.empty')}
          action={
            can('service:write') && !filtered ? (
              <Button component={Link} to="/service/new" variant="light">
                {t('svc.new')}
              </Button>
            ) : null
          }
        />
      ) : (
        <section className="ol-board" aria-label={t('svc.board')} data-testid="service-board">
          {OPEN_STATUSES.map((status) => {
            const column = items.filter((a) => a.status === status);
            const headingId = `col-${status}`;
            return (
              <section
                key={status}
                className="ol-board-column"
                aria-labelledby={headingId}
                data-testid="service-column"
                data-status={status}
                data-empty={column.length === 0 || undefined}
              >
                <Group justify="space-between" gap={4} mb={6} wrap="nowrap" align="flex-start">
                  <Title order={3} size="h6" id={headingId}>
                    {tr('svc.status', status)}
                  </Title>
                  <Badge
                    size="sm"
                    variant={column.length ? 'filled' : 'light'}
                    color="gray"
                    style={{ flexShrink: 0 }}
                    miw={24}
                  >
                    {fmt.number(column.length)}
                  </Badge>
                </Group>
                <Stack gap={6}>
                  {column.map((a) => (
                    <ActionCard key={a.id} action={a} />
                  ))}
                </Stack>
              </section>
            );
          })}
        </section>
      )}
    </Stack>
  );
}
