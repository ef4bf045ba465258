import { Anchor, Badge, Button, Group, Paper, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { api } from '../api/endpoints';
import type { Family, FamilyNode, OrderBrief } from '../api/types';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';
import { ErrorState, Ltr } from './States';

export const CATEGORY_BADGE: Record<string, string> = {
  real_sale: 'blue',
  maintenance: 'teal',
  service: 'cyan',
  refund: 'red',
  return: 'orange',
  replacement: 'grape',
  operational: 'gray',
};

/** Whether a family is one (a root with sub-orders, or a main order on its own), not a lone order. */
export function isRealFamily(f: Family): boolean {
  return f.nodes.length > 1 || f.nodes[0]?.order.hierarchyStatus === 'main';
}

/** One order of a family or of a list: tracking link, category, state, date, COD. */
export function OrderBriefLine({ order, current }: { order: OrderBrief; current?: boolean }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const location = useLocation();
  const search = location.pathname.startsWith('/orders') ? location.search : '';
  return (
    <Group gap="xs" wrap="wrap" data-testid="family-order" data-order-id={order.id}>
      <Anchor component={Link} to={`/orders/${order.id}${search}`} fw={current ? 700 : 500} size="sm">
        <Ltr>{order.trackingNumber ?? `#${order.id}`}</Ltr>
      </Anchor>
      <Badge size="xs" variant="light" color={CATEGORY_BADGE[order.category] ?? 'gray'}>
        {tr('category', order.category)}
      </Badge>
      <Text size="xs" c="dimmed">
        {order.stateName} · {fmt.date(order.createdAt)} · {fmt.money(order.cod)}
      </Text>
      {current ? (
        <Badge size="xs" color="dark" variant="outline">
          {t('order.family.current')}
        </Badge>
      ) : null}
    </Group>
  );
}

function UnlinkButton({ node }: { node: FamilyNode }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const unlink = useMutation({
    mutationFn: (reason: string) => api.hierarchy.unlink(node.link!.id, reason || undefined),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['hierarchy'] });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
  });
  return (
    <>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        loading={unlink.isPending}
        data-testid="family-unlink"
        onClick={() => {
          const reason = window.prompt(t('family.unlinkReason'));
          if (reason !== null) unlink.mutate(reason.trim());
        }}
      >
        {t('family.unlink')}
      </Button>
      {unlink.isError ? <ErrorState error={unlink.error} /> : null}
    </>
  );
}

/** A family as a tree: the root (main order) first, each sub-order indented under its parent, with its link. */
export function FamilyTree({ family, currentId }: { family: Family; currentId?: number }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const mayLink = can('orders:link');
  return (
    <Paper withBorder p="sm" radius="md" data-testid="family-tree">
      <ul className="ol-tree" aria-label={t('order.family.main')}>
        {family.nodes.map((node) => (
          <li
            key={node.order.id}
            style={{
              marginInlineStart: node.depth * 22,
              paddingInlineStart: node.depth ? 8 : 0,
              paddingBlock: 4,
              borderInlineStart: node.depth ? '2px solid var(--mantine-color-gray-3)' : undefined,
            }}
          >
            <Group gap={6} wrap="wrap">
              <Badge size="xs" variant={node.depth === 0 ? 'filled' : 'outline'}>
                {node.depth === 0 ? t('order.family.main') : t('order.family.sub')}
              </Badge>
              <OrderBriefLine order={node.order} current={node.order.id === currentId} />
            </Group>
            {node.link ? (
              <Group gap={6} mt={2} wrap="wrap">
                <Text size="xs" c="dimmed">
                  {t('family.linkInfo', {
                    relationship: tr('category', node.link.relationship),
                    by: tr('family.by', node.link.linkedBy),
                    confidence: fmt.percent(node.link.confidence, 0),
                  })}
                  {node.link.reason ? ` · ${node.link.reason}` : ''}
                </Text>
                {mayLink ? <UnlinkButton node={node} /> : null}
              </Group>
            ) : null}
          </li>
        ))}
      </ul>
    </Paper>
  );
}
