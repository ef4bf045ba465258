import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { api } from '../api/endpoints';
import { useSession } from '../auth/session';
import { FamilyTree, OrderBriefLine } from '../components/FamilyTree';
import { Kpi, SEGMENT_COLORS } from '../components/Kpi';
import { CardsSkeleton, EmptyState, ErrorState, Ltr, TableSkeleton } from '../components/States';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';
import { CustomerInteractions, CustomerServiceActions } from './CustomerActivity';

function Families({ phone }: { phone: string }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['hierarchy', 'customer', phone],
    queryFn: ({ signal }) => api.hierarchy.customer(phone, signal),
  });
  if (q.isPending) return <TableSkeleton rows={4} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { families, standalone } = q.data;
  if (!families.length && !standalone.length) return <EmptyState message={t('customer.noOrders')} />;
  return (
    <Stack gap="sm" data-testid="customer-families">
      {families.map((f) => (
        <FamilyTree key={f.rootOrderId} family={f} />
      ))}
      {standalone.length ? (
        <Paper withBorder p="sm" radius="md">
          <Title order={4} size="h6" mb={6}>
            {t('customer.unlinked')}
          </Title>
          <Stack gap={4}>
            {standalone.map((o) => (
              <OrderBriefLine key={o.id} order={o} />
            ))}
          </Stack>
        </Paper>
      ) : null}
    </Stack>
  );
}

/** The customer 360: who they are, their figures, their order families, their addresses. */
export default function CustomerProfilePage() {
  const { ref = '' } = useParams();
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const q = useQuery({
    queryKey: ['customers', 'profile', ref],
    queryFn: ({ signal }) => api.customers.profile(ref, signal),
  });

  if (q.isPending)
    return (
      <Stack>
        <CardsSkeleton count={1} height={80} />
        <CardsSkeleton count={5} />
        <TableSkeleton rows={6} />
      </Stack>
    );
  if (q.isError) {
    const missing = isApiError(q.error) && q.error.status === 404;
    return (
      <Stack>
        <Anchor component={Link} to="/customers">
          {t('customer.back')}
        </Anchor>
        {missing ? (
          <EmptyState message={t('customer.notFound')} />
        ) : (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        )}
      </Stack>
    );
  }
  const c = q.data;
  const k = c.kpis;
  return (
    <Stack gap="md" data-testid="customer-profile">
      <Anchor component={Link} to="/customers" size="sm">
        {t('customer.back')}
      </Anchor>
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={2} data-testid="customer-name">
                {c.name}
              </Title>
              <Badge color={SEGMENT_COLORS[c.segment] ?? 'gray'} variant="light" data-testid="customer-segment">
                {tr('segment', c.segment)}
              </Badge>
            </Group>
            <Text size="sm">
              <Ltr>{c.phone}</Ltr>
              {c.email ? ` · ${c.email}` : ''}
              {c.city ? ` · ${[c.city, c.zone, c.district].filter(Boolean).join(', ')}` : ''}
            </Text>
            {c.phones.length ? (
              <Text size="sm" c="dimmed">
                {t('customer.phones')}:{' '}
                {c.phones.map((p, i) => (
                  <span key={p.phone}>
                    {i ? ', ' : ''}
                    <Ltr>{p.phone}</Ltr>
                  </span>
                ))}
              </Text>
            ) : null}
            {c.tags.length ? (
              <Group gap={4}>
                {c.tags.map((tag) => (
                  <Badge key={tag} size="xs" variant="outline">
                    {tag}
                  </Badge>
                ))}
              </Group>
            ) : null}
          </Stack>
          {c.notes ? (
            <Paper bg="gray.0" p="sm" maw={360}>
              <Text size="xs" c="dimmed">
                {t('customer.notes')}
              </Text>
              <Text size="sm">{c.notes}</Text>
            </Paper>
          ) : null}
        </Group>
        {c.mergedFrom ? (
          <Alert mt="sm" color="blue" variant="light">
            {t('customer.mergedFrom', { phone: c.mergedFrom.phone })}
          </Alert>
        ) : null}
      </Paper>

      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} data-testid="customer-kpis">
        <Kpi testId="ckpi-orders" label={t('customer.kpi.orders')} value={fmt.number(k.orders)} />
        <Kpi
          label={t('customer.kpi.delivered')}
          value={fmt.number(k.delivered)}
          hint={`${t('customer.kpi.returned')}: ${fmt.number(k.returned)}`}
        />
        <Kpi label={t('customer.kpi.returnRate')} value={fmt.percent(k.returnRate)} />
        <Kpi
          testId="ckpi-ltv"
          label={t('customer.kpi.ltv')}
          value={fmt.money(k.lifetimeValue)}
          hint={`${t('customer.kpi.refunds')}: ${fmt.money(k.refunds)}`}
        />
        <Kpi
          label={t('customer.kpi.aov')}
          value={fmt.money(k.averageOrderValue)}
          hint={`${t('customer.kpi.first')}: ${fmt.date(k.firstOrderAt)} · ${t('customer.kpi.last')}: ${fmt.date(k.lastOrderAt)}`}
        />
      </SimpleGrid>

      {can('service:read') || can('interactions:read') ? (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          {can('service:read') ? <CustomerServiceActions customerId={c.id} phone={c.phone} /> : null}
          {can('interactions:read') ? <CustomerInteractions customerId={c.id} /> : null}
        </SimpleGrid>
      ) : null}

      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
        <Stack gap="sm" style={{ gridColumn: 'span 2' }}>
          <div>
            <Title order={3} size="h4">
              {t('customer.families')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('customer.familiesHint')}
            </Text>
          </div>
          <Families phone={c.phone} />
        </Stack>
        <Stack gap="sm">
          <Paper withBorder p="sm" radius="md">
            <Title order={3} size="h5" mb={6}>
              {t('customer.byCategory')}
            </Title>
            <Table fz="sm" verticalSpacing={4}>
              <Table.Tbody>
                {c.byCategory
                  .filter((b) => b.orders > 0)
                  .map((b) => (
                    <Table.Tr key={b.category}>
                      <Table.Th scope="row" fw={500}>
                        {tr('category', b.category)}
                      </Table.Th>
                      <Table.Td ta="end">{fmt.number(b.orders)}</Table.Td>
                      <Table.Td ta="end">{fmt.money(b.cod)}</Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Paper>
          <Paper withBorder p="sm" radius="md">
            <Title order={3} size="h5" mb={6}>
              {t('customer.addresses')}
            </Title>
            <Stack gap="xs">
              {c.addresses.map((a, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: addresses have no id
                <div key={i}>
                  <Text size="sm">{[a.address, a.district, a.zone, a.city].filter(Boolean).join(', ') || '—'}</Text>
                  <Text size="xs" c="dimmed">
                    {t('customer.addressOrders', { count: fmt.number(a.orders), date: fmt.date(a.lastUsedAt) })}
                  </Text>
                </div>
              ))}
            </Stack>
          </Paper>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
