// The context of a service action: its card, family tree, courier timelines, audit trail, inspection, parts.
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Inspection, ServiceAction, ServiceContext } from '../../api/types';
import { CATEGORY_BADGE } from '../../components/FamilyTree';
import { SEGMENT_COLORS } from '../../components/Kpi';
import { EmptyState, Ltr } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { StatusBadge, TypeBadge, ActionFlags, Field, WarrantyBadge } from './badges';

type FamilyOrders = NonNullable<ServiceContext['family']>['orders'];

/** The main order's family as an indented tree, with the action's return pickup and delivery back marked. */
export function ServiceFamily({
  family,
  action,
}: {
  family: NonNullable<ServiceContext['family']>;
  action?: Pick<ServiceAction, 'returnOrderId' | 'outboundOrderId'>;
}) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const children = new Map<number, FamilyOrders>();
  for (const o of family.orders) {
    if (o.parentOrderId === null || o.id === family.mainOrderId) continue;
    const list = children.get(o.parentOrderId) ?? [];
    list.push(o);
    children.set(o.parentOrderId, list);
  }
  const rows: Array<{ order: FamilyOrders[number]; depth: number }> = [];
  const visit = (o: FamilyOrders[number], depth: number) => {
    if (depth > 6 || rows.some((r) => r.order.id === o.id)) return;
    rows.push({ order: o, depth });
    for (const c of children.get(o.id) ?? []) visit(c, depth + 1);
  };
  const root = family.orders.find((o) => o.id === family.mainOrderId);
  if (root) visit(root, 0);
  return (
    <ul className="ol-tree" aria-label={t('svc.family')} data-testid="service-family">
      {rows.map(({ order: o, depth }) => (
        <li
          key={o.id}
          style={{
            marginInlineStart: depth * 20,
            paddingInlineStart: depth ? 8 : 0,
            paddingBlock: 3,
            borderInlineStart: depth ? '2px solid var(--mantine-color-gray-3)' : undefined,
          }}
        >
          <Group gap={6} wrap="wrap">
            <Badge size="xs" variant={depth === 0 ? 'filled' : 'outline'}>
              {depth === 0 ? t('order.family.main') : t('order.family.sub')}
            </Badge>
            <Anchor component={Link} to={`/orders/${o.id}`} size="sm" fw={500}>
              <Ltr>{o.trackingNumber ?? `#${o.id}`}</Ltr>
            </Anchor>
            <Badge size="xs" variant="light" color={CATEGORY_BADGE[o.category] ?? 'gray'}>
              {tr('category', o.category)}
            </Badge>
            <Text size="xs" c="dimmed">
              {o.stateName} · {fmt.date(o.createdAt)} · {fmt.money(o.cod)}
            </Text>
            {action?.returnOrderId === o.id ? (
              <Badge size="xs" color="blue">
                {t('svc.returnPickup')}
              </Badge>
            ) : null}
            {action?.outboundOrderId === o.id ? (
              <Badge size="xs" color="grape">
                {t('svc.outbound')}
              </Badge>
            ) : null}
          </Group>
          {depth === 0 && o.packageDescription ? (
            <Text size="xs" c="dimmed" mt={2}>
              {o.packageDescription}
            </Text>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** One courier shipment of an action (return pickup or delivery back) with its state history. */
export function CourierTimeline({
  title,
  shipment,
  testId,
  empty,
}: {
  title: string;
  shipment: ServiceContext['returnPickup'];
  testId: string;
  empty: string;
}) {
  const fmt = useFormat();
  const { t } = useI18n();
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {!shipment ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap="xs">
          <Group gap="xs" wrap="wrap">
            <Anchor component={Link} to={`/orders/${shipment.id}`} fw={600} data-testid={`${testId}-tracking`}>
              <Ltr>{shipment.trackingNumber ?? `#${shipment.id}`}</Ltr>
            </Anchor>
            <Badge variant="light">{shipment.stateName}</Badge>
            <Text size="xs" c="dimmed">
              {shipment.typeName} · {t('svc.cod', { amount: fmt.money(shipment.cod) })}
            </Text>
          </Group>
          {shipment.timeline.length ? (
            <Timeline active={shipment.timeline.length - 1} bulletSize={14} lineWidth={2}>
              {shipment.timeline.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the same state can repeat
                <Timeline.Item key={i} title={<Text size="sm">{s.stateName}</Text>}>
                  <Text size="xs" c="dimmed">
                    {fmt.dateTime(s.at)}
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          ) : null}
        </Stack>
      )}
    </Paper>
  );
}

/** The audit trail: every transition with who made it, from where to where, and the note. */
export function EventsTrail({ events }: { events: ServiceContext['events'] }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  if (!events.length) return <EmptyState message={t('svc.noEvents')} />;
  return (
    <div className="ol-table-scroll">
      <Table fz="sm" verticalSpacing={6} data-testid="service-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('svc.col.at')}</Table.Th>
            <Table.Th>{t('svc.col.event')}</Table.Th>
            <Table.Th>{t('svc.col.change')}</Table.Th>
            <Table.Th>{t('svc.col.actor')}</Table.Th>
            <Table.Th>{t('svc.col.note')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((e) => (
            <Table.Tr key={e.id} data-testid="service-event" data-event={e.event}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(e.at)}</Table.Td>
              <Table.Td>{tr('svc.event', e.event)}</Table.Td>
              <Table.Td>
                {e.from_status ? `${tr('svc.status', e.from_status)} → ` : ''}
                {tr('svc.status', e.to_status)}
              </Table.Td>
              <Table.Td>
                {e.actor_type === 'system' ? t('svc.actor.system') : tr('role', e.actor_role)}
                {e.actor_id ? ` #${e.actor_id}` : ''}
              </Table.Td>
              <Table.Td>{e.note ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** The hub's inspection of the returned product. */
export function InspectionView({ inspection }: { inspection: Inspection }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const checks = Object.entries(inspection.checklist);
  return (
    <Stack gap="sm" data-testid="inspection-view">
      <Group gap="xs" wrap="wrap">
        {inspection.qualityScore !== null ? (
          <Badge
            size="lg"
            color={inspection.qualityScore <= 3 ? 'red' : inspection.qualityScore <= 6 ? 'yellow' : 'green'}
            data-testid="inspection-score"
          >
            {t('hub.scoreOf', { score: fmt.number(inspection.qualityScore), max: fmt.number(10) })}
          </Badge>
        ) : (
          <Badge color="gray">{t('hub.notInspected')}</Badge>
        )}
        {inspection.reviewRequired ? (
          <Badge color="yellow" variant="filled">
            {t('hub.reviewRequiredShort')}
          </Badge>
        ) : null}
        {inspection.reviewDecision ? (
          <Badge color={inspection.reviewDecision === 'approved' ? 'green' : 'red'} variant="light">
            {tr('rev.outcome', inspection.reviewDecision)}
          </Badge>
        ) : null}
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
        <Field label={t('hub.hubName')}>{inspection.hub}</Field>
        <Field label={t('hub.agentName')}>{inspection.agent}</Field>
        <Field label={t('hub.scannedAt')}>{fmt.dateTime(inspection.scannedAt)}</Field>
        <Field label={t('hub.condition')}>
          {inspection.condition ? tr('hub.condition', inspection.condition) : null}
        </Field>
        <Field label={t('hub.functionality')}>
          {inspection.functionality ? tr('hub.functionality', inspection.functionality) : null}
        </Field>
        <Field label={t('hub.recommendation')}>
          {inspection.recommendedAction ? tr('hub.recommend', inspection.recommendedAction) : null}
        </Field>
        <Field label={t('hub.priority')}>{inspection.priority ? tr('priority', inspection.priority) : null}</Field>
        <Field label={t('hub.missingParts')}>{inspection.missingParts.join(', ')}</Field>
        <Field label={t('hub.visibleDamage')}>{inspection.visibleDamage}</Field>
        <Field label={t('hub.quantities')}>
          {t('hub.quantitiesValue', {
            good: fmt.number(inspection.goodQty),
            damaged: fmt.number(inspection.damagedQty),
          })}
        </Field>
        <Field label={t('hub.restockLocation')}>{inspection.restockLocation}</Field>
        <Field label={t('hub.estimate')}>
          {inspection.estimatedCost !== null || inspection.estimatedDays !== null
            ? t('hub.estimateValue', {
                cost: fmt.money(inspection.estimatedCost),
                days: fmt.number(inspection.estimatedDays),
              })
            : null}
        </Field>
        <Field label={t('hub.inspectedAt')}>{fmt.dateTime(inspection.inspectedAt)}</Field>
        <Field label={t('hub.notes')}>{inspection.notes}</Field>
        {inspection.reviewedAt ? <Field label={t('rev.notes')}>{inspection.reviewNotes}</Field> : null}
      </SimpleGrid>
      {checks.length ? (
        <Group gap={6} wrap="wrap" aria-label={t('hub.checklist')}>
          {checks.map(([k, v]) => (
            <Badge key={k} color={v ? 'green' : 'red'} variant="outline" size="sm">
              {v ? '✓' : '✗'} {tr('hub.check', k)}
            </Badge>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}

/** Parts and replacements recorded for the action. */
export function PartsTable({ parts }: { parts: ServiceContext['parts'] }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  if (!parts.length) return <Text size="sm">{t('svc.noParts')}</Text>;
  return (
    <Table fz="sm" verticalSpacing={4} data-testid="service-parts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('svc.col.kind')}</Table.Th>
          <Table.Th>{t('tech.sku')}</Table.Th>
          <Table.Th ta="end">{t('tech.qty')}</Table.Th>
          <Table.Th ta="end">{t('tech.unitCost')}</Table.Th>
          <Table.Th ta="end">{t('svc.col.total')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {parts.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no id in the context
          <Table.Tr key={i}>
            <Table.Td>{tr('svc.partKind', p.kind)}</Table.Td>
            <Table.Td>
              <Ltr>{p.sku}</Ltr>
            </Table.Td>
            <Table.Td ta="end">{fmt.number(p.qty)}</Table.Td>
            <Table.Td ta="end">{fmt.money(p.unitCost)}</Table.Td>
            <Table.Td ta="end">{fmt.money(p.unitCost * p.qty)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Everything the hub and the detail page show about an action: who, what, why, the family, the history. */
export function ContextCard({ action, context }: { action: ServiceAction; context: ServiceContext }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const c = context.customer;
  return (
    <Paper withBorder p="md" radius="md" data-testid="context-card">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={4}>
            <Group gap="xs" wrap="wrap">
              <Anchor component={Link} to={`/service/${action.id}`} fw={700} size="lg" data-testid="context-number">
                <Ltr>{action.number}</Ltr>
              </Anchor>
              <StatusBadge status={action.status} />
              <TypeBadge type={action.type} />
              <ActionFlags action={action} />
            </Group>
            <Text size="sm">
              <Text span fw={600}>
                {t('svc.reason')}:
              </Text>{' '}
              {action.reason}
            </Text>
            {action.product.name || action.product.sku ? (
              <Text size="sm" c="dimmed">
                {t('svc.product')}: {action.product.name ?? ''}{' '}
                {action.product.sku ? <Ltr>({action.product.sku})</Ltr> : null}
              </Text>
            ) : null}
          </Stack>
          <WarrantyBadge warranty={action.warranty} />
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Stack gap={4}>
            <Title order={3} size="h6">
              {t('svc.customer')}
            </Title>
            {c ? (
              <>
                <Group gap="xs" wrap="wrap">
                  <Anchor component={Link} to={`/customers/${c.id}`} fw={600} data-testid="context-customer">
                    {c.name}
                  </Anchor>
                  <Badge size="xs" variant="light" color={SEGMENT_COLORS[c.segment] ?? 'gray'}>
                    {tr('segment', c.segment)}
                  </Badge>
                </Group>
                <Text size="sm">
                  <Ltr>{c.phone}</Ltr>
                  {c.city ? ` · ${c.city}` : ''} · {t('svc.ordersCount', { count: fmt.number(c.ordersCount) })}
                </Text>
              </>
            ) : (
              <Text size="sm">—</Text>
            )}
          </Stack>
          <Stack gap={4}>
            <Title order={3} size="h6">
              {t('svc.history')}
            </Title>
            {context.previousActions.length ? (
              <Stack gap={2} data-testid="context-history">
                {context.previousActions.slice(0, 6).map((p) => (
                  <Group key={p.id} gap={6} wrap="wrap">
                    <Anchor component={Link} to={`/service/${p.id}`} size="sm">
                      <Ltr>{p.number}</Ltr>
                    </Anchor>
                    <Text size="xs">{tr('svc.type', p.type)}</Text>
                    <StatusBadge status={p.status} size="xs" />
                    <Text size="xs" c="dimmed">
                      {fmt.date(p.createdAt)}
                    </Text>
                  </Group>
                ))}
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {t('svc.noHistory')}
              </Text>
            )}
          </Stack>
        </SimpleGrid>
        <Stack gap={4}>
          <Title order={3} size="h6">
            {t('svc.family')}
          </Title>
          {context.family ? (
            <ServiceFamily family={context.family} action={action} />
          ) : (
            <Text size="sm" c="dimmed">
              {t('svc.noMainOrder')}
            </Text>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}
