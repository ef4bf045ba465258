import '@mantine/charts/styles.css';
import { BarChart, DonutChart } from '@mantine/charts';
import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { OrderAnalytics, OrderStats } from '../api/types';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';

const CATEGORY_COLORS: Record<string, string> = {
  real_sale: 'blue.6',
  maintenance: 'teal.6',
  service: 'cyan.5',
  refund: 'red.6',
  return: 'orange.6',
  replacement: 'grape.6',
  operational: 'gray.5',
};

/** The dashboard's charts: orders per day by outcome, delivery success by city, orders by category. */
export default function DashboardCharts({ analytics: a, stats }: { analytics: OrderAnalytics; stats?: OrderStats }) {
  const { t, tr, dir } = useI18n();
  const rtl = dir === 'rtl';
  const fmt = useFormat();
  const perDay = useMemo(
    () =>
      a.byDay.map((d) => ({
        day: fmt.day(d.day),
        [t('dash.delivered')]: d.delivered,
        [t('dash.returned')]: d.returned,
        [t('dash.failed')]: d.failed,
        [t('dash.inProgress')]: Math.max(0, d.orders - d.delivered - d.returned - d.failed),
      })),
    [a, fmt, t],
  );
  const byCity = useMemo(
    () =>
      a.byCity
        .filter((c) => c.city && c.delivered + c.returned + c.failed > 0)
        .sort((x, y) => y.orders - x.orders)
        .slice(0, 12)
        .map((c) => ({ city: c.city, rate: Math.round(c.successRate * 1000) / 10 })),
    [a],
  );
  const byCategory = useMemo(
    () =>
      (stats?.byCategory ?? [])
        .filter((c) => c.orders > 0)
        .map((c) => ({
          name: tr('category', c.category),
          value: c.orders,
          color: CATEGORY_COLORS[c.category] ?? 'gray.5',
        })),
    [stats, tr],
  );

  return (
    <>
      <Paper withBorder p="md" radius="md">
        <Title order={3} size="h5" mb="sm" id="chart-per-day">
          {t('dash.perDay')}
        </Title>
        <figure aria-labelledby="chart-per-day" style={{ margin: 0 }} data-testid="chart-per-day">
          <BarChart
            h={260}
            data={perDay}
            dataKey="day"
            type="stacked"
            xAxisProps={{ reversed: rtl }}
            yAxisProps={{ orientation: rtl ? 'right' : 'left' }}
            withLegend
            valueFormatter={(v) => fmt.number(v)}
            series={[
              { name: t('dash.delivered'), color: 'teal.6' },
              { name: t('dash.returned'), color: 'orange.6' },
              { name: t('dash.failed'), color: 'red.6' },
              { name: t('dash.inProgress'), color: 'gray.4' },
            ]}
          />
        </figure>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm" id="chart-by-city">
            {t('dash.byCity')}
          </Title>
          <figure aria-labelledby="chart-by-city" style={{ margin: 0 }} data-testid="chart-by-city">
            <BarChart
              h={300}
              data={byCity}
              dataKey="city"
              orientation="vertical"
              yAxisProps={{ width: 96, interval: 0, orientation: rtl ? 'right' : 'left' }}
              xAxisProps={{ domain: [0, 100], reversed: rtl }}
              valueFormatter={(v) => fmt.percent(v / 100)}
              series={[{ name: 'rate', label: t('dash.successRate'), color: 'teal.6' }]}
            />
          </figure>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm" id="chart-by-category">
            {t('dash.byCategory')}
          </Title>
          <figure aria-labelledby="chart-by-category" style={{ margin: 0 }} data-testid="chart-by-category">
            <Group justify="center" wrap="wrap" gap="lg">
              <DonutChart data={byCategory} withTooltip withLabelsLine={false} size={200} thickness={28} />
              <Stack gap={4}>
                {byCategory.map((c) => (
                  <Group key={c.name} gap={6} wrap="nowrap">
                    <span
                      aria-hidden="true"
                      style={{
                        width: 10,
                        height: 10,
                        borderRadius: 2,
                        background: `var(--mantine-color-${c.color.replace('.', '-')})`,
                      }}
                    />
                    <Text size="sm">
                      {c.name}: {fmt.number(c.value)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            </Group>
          </figure>
        </Paper>
      </SimpleGrid>
    </>
  );
}
