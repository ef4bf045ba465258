import '@mantine/dates/styles.css';
import 'dayjs/locale/ar';
import 'dayjs/locale/ru';
import { Group, Select, SimpleGrid, Stack, Title } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { api } from '../api/endpoints';
import { useSession } from '../auth/session';
import type { OrderAnalytics } from '../api/types';
import { Kpi } from '../components/Kpi';
import { CardsSkeleton, EmptyState, ErrorState } from '../components/States';
import { useI18n } from '../i18n';
import { dayInZone, useFormat } from '../lib/format';
import { DashboardService } from './DashboardService';

// The charts (recharts) are a chunk of their own: the figures show before the charts library arrives.
const DashboardCharts = lazy(() => import('./DashboardCharts'));

function sumDays(a: OrderAnalytics | undefined, fromDay: string): number | undefined {
  return a?.byDay.filter((d) => d.day >= fromDay).reduce((n, d) => n + d.orders, 0);
}

export default function DashboardPage() {
  const { t, lang } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const today = dayInZone(fmt.timeZone);
  const [range, setRange] = useState<[string | null, string | null]>([dayInZone(fmt.timeZone, -29), today]);
  const [city, setCity] = useState<string | null>(null);
  const from = range[0] ?? undefined;
  const to = range[1] ?? range[0] ?? undefined;
  const cityParam = city ?? undefined;

  const recent = useQuery({
    queryKey: ['orders', 'analytics', dayInZone(fmt.timeZone, -29), today, cityParam],
    queryFn: ({ signal }) =>
      api.orders.analytics({ from: dayInZone(fmt.timeZone, -29), to: today, city: cityParam }, signal),
  });
  const analytics = useQuery({
    queryKey: ['orders', 'analytics', from, to, cityParam],
    queryFn: ({ signal }) => api.orders.analytics({ from, to, city: cityParam }, signal),
  });
  const cities = useQuery({
    queryKey: ['orders', 'analytics', from, to, undefined],
    queryFn: ({ signal }) => api.orders.analytics({ from, to }, signal),
    select: (a) => a.byCity.filter((c) => c.city).map((c) => c.city),
  });
  const stats = useQuery({
    queryKey: ['orders', 'stats', from, to, cityParam],
    queryFn: ({ signal }) => api.orders.stats({ from, to, city: cityParam }, signal),
  });

  const a = analytics.data;
  const failed = [analytics, recent, stats].find((q) => q.isError);

  return (
    <DatesProvider settings={{ locale: lang, firstDayOfWeek: lang === 'ar' ? 6 : 1 }}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Title order={2}>{t('dash.title')}</Title>
          <Group align="flex-end" wrap="wrap">
            <DatePickerInput
              type="range"
              label={t('dash.range')}
              value={range}
              onChange={(v) => setRange(v as [string | null, string | null])}
              maxDate={today}
              w={260}
              valueFormat="D MMM YYYY"
              allowSingleDateInRange
              data-testid="dash-range"
            />
            <Select
              label={t('dash.city')}
              placeholder={t('dash.allCities')}
              data={cities.data ?? []}
              value={city}
              onChange={setCity}
              clearable
              searchable
              w={200}
              data-testid="dash-city"
            />
          </Group>
        </Group>

        {failed ? <ErrorState error={failed.error} onRetry={() => void failed.refetch()} /> : null}

        {recent.isPending ? (
          <CardsSkeleton count={3} />
        ) : (
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Kpi testId="kpi-today" label={t('dash.ordersToday')} value={fmt.number(sumDays(recent.data, today))} />
            <Kpi
              testId="kpi-7d"
              label={t('dash.orders7')}
              value={fmt.number(sumDays(recent.data, dayInZone(fmt.timeZone, -6)))}
            />
            <Kpi testId="kpi-30d" label={t('dash.orders30')} value={fmt.number(recent.data?.totals.orders)} />
          </SimpleGrid>
        )}

        {analytics.isPending ? (
          <CardsSkeleton count={4} />
        ) : a ? (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            <Kpi testId="kpi-range-orders" label={t('dash.ordersInRange')} value={fmt.number(a.totals.orders)} />
            <Kpi testId="kpi-success" label={t('dash.successRate')} value={fmt.percent(a.totals.successRate)} />
            <Kpi
              testId="kpi-returns"
              label={t('dash.returns')}
              value={fmt.number(a.totals.returned)}
              hint={t('dash.returnRate', { rate: fmt.percent(a.totals.returnRate) })}
            />
            <Kpi
              testId="kpi-cod"
              label={t('dash.codCollected')}
              value={fmt.money(a.totals.codRevenue)}
              hint={`${t('dash.refunds')}: ${fmt.money(a.totals.refunds)} · ${t('dash.net')}: ${fmt.money(a.totals.net)}`}
            />
          </SimpleGrid>
        ) : null}

        {analytics.isPending ? (
          <CardsSkeleton count={2} height={280} />
        ) : a && a.totals.orders === 0 ? (
          <EmptyState message={t('dash.noData')} />
        ) : a ? (
          <Suspense fallback={<CardsSkeleton count={2} height={280} />}>
            <DashboardCharts analytics={a} stats={stats.data} />
          </Suspense>
        ) : null}

        {can('service:read') ? <DashboardService /> : null}
      </Stack>
    </DatesProvider>
  );
}
