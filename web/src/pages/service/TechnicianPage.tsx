import { Anchor, Badge, Grid, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import { useSession } from '../../auth/session';
import { CardsSkeleton, EmptyState, ErrorState, Ltr, TableSkeleton } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { ActionFlags, CustomerName, StatusBadge, TypeBadge } from './badges';
import { ExecutePanel, type Form } from './ExecutePanel';

const WORK_STATUSES = ['inspected', 'approved', 'in_progress'];

function SelectedAction({ id, form }: { id: number; form: Form | null }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['service', 'action', id],
    queryFn: ({ signal }) => api.service.get(id, signal),
  });
  if (q.isPending) return <CardsSkeleton count={1} height={260} />;
  if (q.isError)
    return isApiError(q.error) && q.error.status === 404 ? (
      <EmptyState message={t('svc.notFound')} />
    ) : (
      <ErrorState error={q.error} onRetry={() => void q.refetch()} />
    );
  return <ExecutePanel action={q.data} initialForm={form} />;
}

/** The technician's work: actions inspected, approved or in progress, and the forms to execute them. */
export default function TechnicianPage() {
  const { t } = useI18n();
  const fmt = useFormat();
  const { me } = useSession();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const mine = params.get('mine') === '1';
  const form = params.get('form') as Form | null;
  const userId = me?.user?.id;
  const list = useQuery({
    queryKey: ['service', 'technician', mine ? userId : null],
    queryFn: ({ signal }) =>
      api.service.list(
        { status: WORK_STATUSES.join(','), limit: 100, assigneeId: mine && userId ? userId : undefined },
        signal,
      ),
    refetchInterval: 60_000,
  });
  const selected = id && /^\d+$/.test(id) ? Number(id) : null;
  const keep = mine ? '?mine=1' : '';

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>{t('tech.title')}</Title>
        {userId ? (
          <Switch
            label={t('tech.onlyMine')}
            checked={mine}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.currentTarget.checked) next.set('mine', '1');
              else next.delete('mine');
              setParams(next, { replace: true });
            }}
            data-testid="tech-mine"
          />
        ) : null}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="xs" data-testid="tech-list">
            <Title order={3} size="h5">
              {t('tech.queue')}
            </Title>
            {list.isPending ? (
              <TableSkeleton rows={5} />
            ) : list.isError ? (
              <ErrorState error={list.error} onRetry={() => void list.refetch()} />
            ) : list.data.items.length === 0 ? (
              <EmptyState message={mine ? t('tech.emptyMine') : t('tech.empty')} />
            ) : (
              list.data.items.map((a) => (
                <Paper
                  key={a.id}
                  withBorder
                  p="xs"
                  radius="sm"
                  data-testid="tech-item"
                  data-action-id={a.id}
                  bg={selected === a.id ? 'blue.0' : undefined}
                >
                  <Group justify="space-between" gap={4} wrap="nowrap">
                    <Anchor
                      component={Link}
                      to={`/technician/${a.id}${keep}`}
                      fw={700}
                      size="sm"
                      aria-current={selected === a.id ? 'true' : undefined}
                    >
                      <Ltr>{a.number}</Ltr>
                    </Anchor>
                    <StatusBadge status={a.status} size="xs" />
                  </Group>
                  <Text size="sm" truncate>
                    <CustomerName id={a.customerId} />
                  </Text>
                  <Group gap={4} wrap="wrap">
                    <TypeBadge type={a.type} size="xs" />
                    <ActionFlags action={a} size="xs" />
                    <Badge size="xs" variant="transparent" color="gray">
                      {fmt.ago(a.statusChangedAt)}
                    </Badge>
                  </Group>
                </Paper>
              ))
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {selected ? (
            <SelectedAction key={selected} id={selected} form={form} />
          ) : (
            <EmptyState message={t('tech.pick')} />
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
