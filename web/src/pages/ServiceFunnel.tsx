import '@mantine/charts/styles.css';
import { FunnelChart } from '@mantine/charts';
import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { ServiceAnalytics } from '../api/types';
import { type MessageKey, useI18n } from '../i18n';
import { useFormat } from '../lib/format';

/** How far along the cycle each status is: an action in a status has passed every stage of a lower rank. */
const RANK: Record<string, number> = {
  requested: 0,
  return_ordered: 1,
  return_in_transit: 2,
  return_received: 3,
  inspected: 4,
  review_pending: 5,
  approved: 5,
  rejected: 5,
  in_progress: 6,
  outbound_shipped: 7,
  completed: 8,
  closed: 9,
};

const STEPS: Array<{ key: MessageKey; rank: number; color: string }> = [
  { key: 'dsvc.funnel.opened', rank: 0, color: 'blue.3' },
  { key: 'dsvc.funnel.returnOrdered', rank: 1, color: 'blue.5' },
  { key: 'dsvc.funnel.received', rank: 3, color: 'cyan.6' },
  { key: 'dsvc.funnel.inspected', rank: 4, color: 'teal.6' },
  { key: 'dsvc.funnel.executed', rank: 6, color: 'violet.6' },
  { key: 'dsvc.funnel.completed', rank: 8, color: 'lime.7' },
  { key: 'dsvc.funnel.closed', rank: 9, color: 'dark.4' },
];

/** The service-cycle funnel: how many actions reached each stage (cancelled ones count as opened only). */
export default function ServiceFunnel({ analytics }: { analytics: ServiceAnalytics }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const data = useMemo(() => {
    const entries = Object.entries(analytics.byStatus);
    return STEPS.map((s) => ({
      name: t(s.key),
      color: s.color,
      value:
        s.rank === 0
          ? analytics.total
          : entries.reduce((n, [status, count]) => n + ((RANK[status] ?? -1) >= s.rank ? count : 0), 0),
    }));
  }, [analytics, t]);
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} size="h5" mb="sm" id="chart-service-funnel">
        {t('dsvc.funnel')}
      </Title>
      <figure aria-labelledby="chart-service-funnel" style={{ margin: 0 }} data-testid="chart-service-funnel">
        {analytics.total === 0 ? (
          <Text size="sm" c="dimmed">
            {t('dsvc.noActions')}
          </Text>
        ) : (
          <Group align="center" wrap="wrap" gap="lg">
            <FunnelChart
              data={data.filter((d) => d.value > 0)}
              size={200}
              withLabels
              labelsPosition="inside"
              valueFormatter={(v) => fmt.number(v)}
              withTooltip
            />
            <Stack gap={4}>
              {data.map((d) => (
                <Group key={d.name} gap={6} wrap="nowrap">
                  <span
                    aria-hidden="true"
                    style={{
                      width: 10,
                      height: 10,
                      borderRadius: 2,
                      background: `var(--mantine-color-${d.color.replace('.', '-')})`,
                    }}
                  />
                  <Text size="sm" data-testid="funnel-step">
                    {d.name}: {fmt.number(d.value)}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Group>
        )}
      </figure>
    </Paper>
  );
}
