import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { api } from '../api/endpoints';
import { Kpi } from '../components/Kpi';
import { CardsSkeleton, ErrorState } from '../components/States';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';

// The funnel draws with the charts library: a chunk of its own, after the figures.
const ServiceFunnel = lazy(() => import('./ServiceFunnel'));

const STAGES = [
  'requested',
  'return_ordered',
  'return_in_transit',
  'return_received',
  'inspected',
  'review_pending',
  'approved',
  'rejected',
  'in_progress',
  'outbound_shipped',
  'completed',
] as const;

/** The service cycle on the dashboard: open actions by stage, overdue, hub quality, completion, the funnel. */
export function DashboardService() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const dash = useQuery({
    queryKey: ['service', 'dashboard'],
    queryFn: ({ signal }) => api.service.dashboard(signal),
  });
  const analytics = useQuery({
    queryKey: ['service', 'analytics'],
    queryFn: ({ signal }) => api.service.analytics({}, signal),
  });
  const failed = [dash, analytics].find((q) => q.isError);
  const d = dash.data;
  const a = analytics.data;
  return (
    <Stack gap="sm" data-testid="dash-service">
      <Title order={3} size="h4">
        {t('dsvc.title')}
      </Title>
      {failed ? <ErrorState error={failed.error} onRetry={() => void failed.refetch()} /> : null}
      {dash.isPending || analytics.isPending ? (
        <CardsSkeleton count={4} />
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          <Kpi
            testId="kpi-svc-open"
            label={t('dsvc.open')}
            value={fmt.number(d?.open)}
            hint={d ? t('dsvc.openHint', { today: fmt.number(d.today.created) }) : undefined}
          />
          <Kpi
            testId="kpi-svc-overdue"
            label={t('dsvc.overdue')}
            value={fmt.number(d?.overdue.count)}
            hint={d ? t('dsvc.flaggedHint', { count: fmt.number(d.flagged.count) }) : undefined}
          />
          <Kpi
            testId="kpi-svc-quality"
            label={t('dsvc.quality')}
            value={
              d?.averageQualityScore === null || d?.averageQualityScore === undefined
                ? '—'
                : t('dsvc.qualityValue', { score: fmt.number(d.averageQualityScore), max: fmt.number(10) })
            }
            hint={
              a
                ? t('dsvc.qualityHint', {
                    inspections: fmt.number(a.hub.inspections),
                    rate: fmt.percent(a.hub.reviewRate, 0),
                  })
                : undefined
            }
          />
          <Kpi
            testId="kpi-svc-completion"
            label={t('dsvc.completion')}
            value={fmt.percent(a?.completionRate)}
            hint={
              a
                ? t('dsvc.cycleHint', {
                    hours: a.averageCycleHours === null ? '—' : fmt.number(Math.round(a.averageCycleHours)),
                  })
                : undefined
            }
          />
        </SimpleGrid>
      )}
      {d && a ? (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Paper withBorder p="md" radius="md" data-testid="dash-service-stages">
            <Title order={4} size="h5" mb="sm">
              {t('dsvc.byStage')}
            </Title>
            <Group gap={6} wrap="wrap">
              {STAGES.map((s) => {
                const n = d.byStage[s] ?? 0;
                return (
                  <Badge key={s} variant={n ? 'light' : 'outline'} color={n ? 'blue' : 'gray'} size="lg" tt="none">
                    {tr('svc.status', s)}: {fmt.number(n)}
                  </Badge>
                );
              })}
            </Group>
            <Text size="xs" c="dimmed" mt="sm">
              {t('dsvc.todayLine', {
                received: fmt.number(d.today.received),
                inspected: fmt.number(d.today.inspected),
                reviewed: fmt.number(d.today.reviewed),
                shipped: fmt.number(d.today.shipped),
                closed: fmt.number(d.today.closed),
              })}
            </Text>
          </Paper>
          <Suspense fallback={<CardsSkeleton count={1} height={260} />}>
            <ServiceFunnel analytics={a} />
          </Suspense>
        </SimpleGrid>
      ) : null}
    </Stack>
  );
}
