import {
  Anchor,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Paper,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/endpoints';
import type { Family, OrderDetail } from '../api/types';
import { useSession } from '../auth/session';
import { CATEGORY_BADGE, FamilyTree, isRealFamily } from '../components/FamilyTree';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../components/States';
import { type MessageKey, useI18n } from '../i18n';
import { useFormat } from '../lib/format';

type Field = [MessageKey, ReactNode];

function Fields({ title, fields }: { title: MessageKey; fields: Field[] }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="sm" radius="md">
      <Title order={4} size="h6" mb={6}>
        {t(title)}
      </Title>
      <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
        <Table.Tbody>
          {fields.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" fw={500} c="dimmed" w="45%" style={{ verticalAlign: 'top' }}>
                {t(label)}
              </Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{value ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function Details({ order }: { order: OrderDetail }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [notes, setNotes] = useState(order.localNotes ?? '');
  useEffect(() => setNotes(order.localNotes ?? ''), [order.localNotes]);
  const save = useMutation({
    mutationFn: () => api.orders.setNotes(order.id, notes.trim() ? notes : null),
    onSuccess: (o) => {
      queryClient.setQueryData(['orders', 'detail', o.id], o);
      void queryClient.invalidateQueries({ queryKey: ['orders', 'timeline', o.id] });
    },
  });
  const ltr = (v: string | null) => (v ? <Ltr>{v}</Ltr> : null);
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Fields
          title="order.section.delivery"
          fields={[
            ['order.field.trackingNumber', ltr(order.trackingNumber)],
            ['order.field.businessReference', ltr(order.businessReference)],
            ['order.field.source', order.source],
            ['order.field.externalId', ltr(order.externalId)],
            ['order.field.type', `${order.typeName} (${order.typeCode})`],
            ['order.field.state', `${order.stateName} (${order.stateCode})`],
            ['order.field.maskedState', order.maskedState],
            ['order.field.attempts', fmt.number(order.attempts)],
            ['order.field.calls', fmt.number(order.calls)],
            ['order.field.exception', [order.exceptionCode, order.exceptionReason].filter(Boolean).join(' · ') || null],
            ['order.field.courierNotes', order.courierNotes],
          ]}
        />
        <Fields
          title="order.section.receiver"
          fields={[
            ['order.field.receiverName', order.receiverName],
            ['order.field.phone', ltr(order.phone)],
            ['order.field.phoneRaw', ltr(order.receiverPhoneRaw)],
            ['order.field.secondPhone', ltr(order.secondPhone)],
            ['order.field.city', order.city],
            ['order.field.zone', order.zone],
            ['order.field.district', order.district],
            ['order.field.address', order.address],
            [
              'order.field.customer',
              order.customerId ? (
                <Anchor
                  key="customer"
                  component={Link}
                  to={`/customers/${order.customerId}`}
                  size="sm"
                  data-testid="order-customer-link"
                >
                  {t('order.openCustomer')}
                </Anchor>
              ) : null,
            ],
          ]}
        />
        <Fields
          title="order.section.money"
          fields={[
            ['order.field.cod', fmt.money(order.cod)],
            ['order.field.fees', fmt.money(order.fees)],
            ['order.field.paymentMethod', order.paymentMethod],
            ['order.field.package', order.packageDescription],
            ['order.field.items', order.itemsCount === null ? null : fmt.number(order.itemsCount)],
          ]}
        />
        <Fields
          title="order.section.classification"
          fields={[
            ['order.field.category', tr('category', order.category)],
            ['order.field.serviceType', order.serviceType],
            ['order.field.level', fmt.number(order.orderLevel)],
            ['order.field.hierarchy', tr('hierarchy', order.hierarchyStatus)],
            [
              'order.field.parent',
              order.parentOrderId ? (
                <Anchor key="parent" component={Link} to={`/orders/${order.parentOrderId}`} size="sm">
                  #{order.parentOrderId}
                </Anchor>
              ) : null,
            ],
          ]}
        />
        <Fields
          title="order.section.dates"
          fields={[
            ['order.field.createdAt', fmt.dateTime(order.createdAt)],
            ['order.field.updatedAt', fmt.dateTime(order.updatedAt)],
            ['order.field.stateChangedAt', fmt.dateTime(order.stateChangedAt)],
            ['order.field.deliveredAt', fmt.dateTime(order.deliveredAt)],
            ['order.field.returnedAt', fmt.dateTime(order.returnedAt)],
            [
              'order.field.deliveryHours',
              order.deliveryHours === null
                ? null
                : t('dash.hours', { hours: fmt.number(Math.round(order.deliveryHours)) }),
            ],
            ['order.field.syncedAt', fmt.dateTime(order.syncedAt)],
          ]}
        />
      </SimpleGrid>
      <Paper withBorder p="sm" radius="md">
        <Stack gap="xs">
          <Textarea
            label={t('order.notes')}
            description={t('order.notesHint')}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={5000}
            readOnly={!can('orders:write')}
          />
          {save.isError ? <ErrorState error={save.error} /> : null}
          {can('orders:write') ? (
            <Group>
              <Button
                size="xs"
                onClick={() => save.mutate()}
                loading={save.isPending}
                disabled={notes === (order.localNotes ?? '')}
              >
                {t('order.saveNotes')}
              </Button>
              {save.isSuccess && notes === (order.localNotes ?? '') ? (
                <Text size="xs" c="teal">
                  {t('common.saved')}
                </Text>
              ) : null}
            </Group>
          ) : null}
        </Stack>
      </Paper>
    </Stack>
  );
}

function OrderTimeline({ orderId }: { orderId: number }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const q = useQuery({
    queryKey: ['orders', 'timeline', orderId],
    queryFn: ({ signal }) => api.orders.timeline(orderId, signal),
  });
  if (q.isPending) return <TableSkeleton rows={5} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { timeline, changes } = q.data;
  return (
    <Stack gap="md" data-testid="order-timeline">
      <Title order={4} size="h6">
        {t('order.states')}
      </Title>
      {timeline.length ? (
        <Timeline active={timeline.length - 1} bulletSize={14} lineWidth={2}>
          {timeline.map((e, i) => (
            <Timeline.Item
              // biome-ignore lint/suspicious/noArrayIndexKey: history entries have no id and never reorder
              key={i}
              title={`${e.stateName} (${e.stateCode})`}
              data-testid="timeline-item"
            >
              <Text size="xs" c="dimmed">
                {fmt.dateTime(e.at)} · {t('order.by', { source: e.source })}
              </Text>
              {e.note ? <Text size="sm">{e.note}</Text> : null}
            </Timeline.Item>
          ))}
        </Timeline>
      ) : (
        <EmptyState message={t('order.noTimeline')} />
      )}
      <Title order={4} size="h6">
        {t('order.changes')}
      </Title>
      {changes.length ? (
        <Stack gap={4}>
          {changes.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: audit rows have no id here and never reorder
            <Text size="sm" key={i}>
              {t('order.change', { field: c.field, from: c.from ?? '—', to: c.to ?? '—' })}{' '}
              <Text span size="xs" c="dimmed">
                {fmt.dateTime(c.at)} · {t('order.by', { source: c.source })}
              </Text>
            </Text>
          ))}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t('order.noChanges')}
        </Text>
      )}
    </Stack>
  );
}

/** Link this order under a main order of the same customer, or (a main order) a sub-order under it. */
function LinkForm({ order, family }: { order: OrderDetail; family: Family }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [other, setOther] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const isMain = family.rootOrderId === order.id && isRealFamily(family);
  const inFamily = new Set(family.nodes.map((n) => n.order.id));
  const candidates = useQuery({
    queryKey: ['customers', 'orders', order.customerId, 'all'],
    queryFn: ({ signal }) => api.customers.orders(order.customerId as number, { limit: 200 }, signal),
    enabled: order.customerId !== null,
    // A main order takes sub-orders from outside its family; any other order goes under a main order (or a sale).
    select: (p) =>
      p.items.filter((o) =>
        isMain
          ? !inFamily.has(o.id) && o.hierarchyStatus !== 'main'
          : o.id !== order.id && !inFamily.has(o.id) && (o.hierarchyStatus === 'main' || o.category === 'real_sale'),
      ),
  });
  const link = useMutation({
    mutationFn: () =>
      api.hierarchy.link(
        isMain
          ? { mainOrderId: order.id, subOrderId: Number(other), reason: reason.trim() }
          : { mainOrderId: Number(other), subOrderId: order.id, reason: reason.trim() },
      ),
    onSuccess: () => {
      setOther(null);
      setReason('');
      void queryClient.invalidateQueries({ queryKey: ['hierarchy'] });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      void queryClient.invalidateQueries({ queryKey: ['customers', 'orders'] });
    },
  });
  if (order.customerId === null) return null;
  const options = (candidates.data ?? []).map((o) => ({
    value: String(o.id),
    label: `${o.trackingNumber ?? `#${o.id}`} · ${tr('category', o.category)} · ${fmt.date(o.createdAt)} · ${fmt.money(o.cod)}`,
  }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    link.mutate();
  };
  return (
    <Paper withBorder p="sm" radius="md">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={4} size="h6">
            {t('family.linkTitle')}
          </Title>
          {candidates.isSuccess && options.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('family.noCandidates')}
            </Text>
          ) : (
            <>
              <Select
                label={isMain ? t('family.addSub') : t('family.linkUnder')}
                data={options}
                value={other}
                onChange={setOther}
                searchable
                required
                data-testid="family-link-order"
              />
              <TextInput
                label={t('family.reason')}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                required
                maxLength={500}
                data-testid="family-link-reason"
              />
              {link.isError ? <ErrorState error={link.error} /> : null}
              <Group>
                <Button
                  type="submit"
                  size="xs"
                  loading={link.isPending}
                  disabled={!other || !reason.trim()}
                  data-testid="family-link-submit"
                >
                  {t('family.link')}
                </Button>
                {link.isSuccess ? (
                  <Text size="xs" c="teal">
                    {t('family.linked')}
                  </Text>
                ) : null}
              </Group>
            </>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function OrderFamilyTab({ order }: { order: OrderDetail }) {
  const { t } = useI18n();
  const { can } = useSession();
  const q = useQuery({
    queryKey: ['hierarchy', 'family', order.id],
    queryFn: ({ signal }) => api.hierarchy.family(order.id, signal),
  });
  if (q.isPending) return <TableSkeleton rows={4} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const family = q.data.family;
  return (
    <Stack gap="sm" data-testid="order-family">
      {isRealFamily(family) ? (
        <FamilyTree family={family} currentId={order.id} />
      ) : (
        <EmptyState message={order.customerId === null ? t('order.family.noCustomer') : t('order.family.none')} />
      )}
      {can('orders:link') ? <LinkForm order={order} family={family} /> : null}
    </Stack>
  );
}

/** The order panel: every field, the timeline and the family, over the orders table. */
export function OrderDrawer({ orderId, onClose }: { orderId: number | null; onClose: () => void }) {
  const { t, tr } = useI18n();
  const [tab, setTab] = useState<string | null>('details');
  const q = useQuery({
    queryKey: ['orders', 'detail', orderId],
    queryFn: ({ signal }) => api.orders.get(orderId as number, signal),
    enabled: orderId !== null,
  });
  const order = q.data;
  return (
    <Drawer
      opened={orderId !== null}
      onClose={onClose}
      // Mantine mirrors the side in right-to-left: the panel opens from the left in Arabic.
      position="right"
      size="xl"
      title={t('order.title', { tracking: order?.trackingNumber ?? (orderId ? `#${orderId}` : '') })}
      closeButtonProps={{ 'aria-label': t('order.close') }}
      scrollAreaComponent={ScrollArea.Autosize}
      data-testid="order-drawer"
    >
      {q.isPending && orderId !== null ? (
        <TableSkeleton rows={10} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : order ? (
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Group gap="xs" mb="sm">
            <Badge variant="light">{order.stateName}</Badge>
            <Badge variant="light" color={CATEGORY_BADGE[order.category] ?? 'gray'}>
              {tr('category', order.category)}
            </Badge>
            {order.hierarchyStatus !== 'unlinked' ? (
              <Badge variant="outline">{tr('hierarchy', order.hierarchyStatus)}</Badge>
            ) : null}
          </Group>
          <Tabs.List mb="sm">
            <Tabs.Tab value="details">{t('order.tab.details')}</Tabs.Tab>
            <Tabs.Tab value="timeline" data-testid="tab-timeline">
              {t('order.tab.timeline')}
            </Tabs.Tab>
            <Tabs.Tab value="family" data-testid="tab-family">
              {t('order.tab.family')}
            </Tabs.Tab>
            <Tabs.Tab value="raw">{t('order.tab.raw')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="details">
            <Details order={order} />
          </Tabs.Panel>
          <Tabs.Panel value="timeline">
            <OrderTimeline orderId={order.id} />
          </Tabs.Panel>
          <Tabs.Panel value="family">
            <OrderFamilyTab order={order} />
          </Tabs.Panel>
          <Tabs.Panel value="raw">
            <Code block dir="ltr" style={{ maxHeight: 480, overflow: 'auto' }}>
              {JSON.stringify(order.raw, null, 2)}
            </Code>
          </Tabs.Panel>
        </Tabs>
      ) : null}
    </Drawer>
  );
}
