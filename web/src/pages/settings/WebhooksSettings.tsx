import { Badge, Button, Collapse, Group, Modal, Paper, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/endpoints';
import type { Webhook } from '../../api/types';
import { useSession } from '../../auth/session';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { OnceSecret } from './ApiKeysSettings';

const DELIVERY_COLORS: Record<string, string> = {
  pending: 'gray',
  delivered: 'teal',
  failed: 'red',
  cancelled: 'orange',
};

function Deliveries({ webhookId }: { webhookId: number }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: ['webhooks', webhookId, 'deliveries'],
    queryFn: ({ signal }) => api.webhooks.deliveries(webhookId, { limit: 25 }, signal),
    refetchInterval: 5000,
  });
  const retry = useMutation({
    mutationFn: (id: number) => api.webhooks.retry(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['webhooks', webhookId, 'deliveries'] }),
  });
  if (q.isPending) return <TableSkeleton rows={3} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data.items.length)
    return (
      <Text size="sm" c="dimmed">
        {t('webhooks.noDeliveries')}
      </Text>
    );
  return (
    <div className="ol-table-scroll">
      <Table fz="xs" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('webhooks.col.at')}</Table.Th>
            <Table.Th scope="col">{t('webhooks.col.event')}</Table.Th>
            <Table.Th scope="col">{t('common.status')}</Table.Th>
            <Table.Th scope="col">{t('webhooks.col.attempts')}</Table.Th>
            <Table.Th scope="col">{t('webhooks.col.response')}</Table.Th>
            <Table.Th scope="col">{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.items.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(d.createdAt)}</Table.Td>
              <Table.Td>
                <Ltr>{d.eventType}</Ltr>
              </Table.Td>
              <Table.Td>
                <Badge size="xs" variant="light" color={DELIVERY_COLORS[d.status] ?? 'gray'}>
                  {d.status}
                </Badge>
              </Table.Td>
              <Table.Td>{fmt.number(d.attempts)}</Table.Td>
              <Table.Td>
                <Text size="xs" maw={260} style={{ overflowWrap: 'anywhere' }}>
                  {d.lastStatusCode ?? ''} {d.lastError ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>
                {d.status === 'failed' && can('webhooks:write') ? (
                  <Button size="compact-xs" variant="subtle" onClick={() => retry.mutate(d.id)}>
                    {t('webhooks.retry')}
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function WebhookCard({ webhook, onSecret }: { webhook: Webhook; onSecret: (s: string) => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
  const toggle = useMutation({
    mutationFn: () => api.webhooks.change(webhook.id, { active: !webhook.active }),
    onSuccess: refresh,
  });
  const test = useMutation({ mutationFn: () => api.webhooks.test(webhook.id), onSuccess: refresh });
  const rotate = useMutation({
    mutationFn: () => api.webhooks.rotateSecret(webhook.id),
    onSuccess: (o) => onSecret(o.secret),
  });
  const remove = useMutation({ mutationFn: () => api.webhooks.remove(webhook.id), onSuccess: refresh });
  const writable = can('webhooks:write');
  const failure = [toggle, test, rotate, remove].find((m) => m.isError);
  return (
    <Paper withBorder p="sm" radius="md">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Stack gap={2}>
            <Text fw={600} size="sm">
              <Ltr>{webhook.url}</Ltr>
            </Text>
            <Text size="xs" c="dimmed">
              {webhook.description ? `${webhook.description} · ` : ''}
              <Ltr>{webhook.eventTypes.join(', ')}</Ltr>
            </Text>
          </Stack>
          <Group gap="xs">
            <Switch
              label={t('webhooks.enable')}
              checked={webhook.active}
              disabled={!writable || toggle.isPending}
              onChange={() => toggle.mutate()}
            />
            {writable ? (
              <>
                <Button size="compact-xs" variant="light" onClick={() => test.mutate()} loading={test.isPending}>
                  {t('webhooks.test')}
                </Button>
                <Button size="compact-xs" variant="subtle" onClick={() => rotate.mutate()} loading={rotate.isPending}>
                  {t('webhooks.rotate')}
                </Button>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => {
                    if (window.confirm(t('webhooks.confirmDelete', { url: webhook.url }))) remove.mutate();
                  }}
                >
                  {t('common.delete')}
                </Button>
              </>
            ) : null}
            <Button size="compact-xs" variant="default" onClick={() => setOpen((v) => !v)} aria-expanded={open}>
              {t('webhooks.deliveries')}
            </Button>
          </Group>
        </Group>
        {test.isSuccess ? (
          <Text size="xs" c="teal">
            {t('webhooks.testQueued')}
          </Text>
        ) : null}
        {failure ? <ErrorState error={failure.error} /> : null}
        <Collapse expanded={open}>{open ? <Deliveries webhookId={webhook.id} /> : null}</Collapse>
      </Stack>
    </Paper>
  );
}

export function WebhooksSettings() {
  const { t } = useI18n();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form, setForm] = useState({ url: '', events: 'order.*', description: '' });
  const q = useQuery({ queryKey: ['webhooks'], queryFn: ({ signal }) => api.webhooks.list(signal) });
  const create = useMutation({
    mutationFn: () =>
      api.webhooks.create({
        url: form.url.trim(),
        eventTypes: form.events
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        ...(form.description.trim() ? { description: form.description.trim() } : {}),
      }),
    onSuccess: (out) => {
      setSecret(out.secret);
      setForm({ url: '', events: 'order.*', description: '' });
      void queryClient.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const close = () => {
    setAdding(false);
    setSecret(null);
    create.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack gap="sm">
      {can('webhooks:write') ? (
        <Group>
          <Button onClick={() => setAdding(true)}>{t('webhooks.add')}</Button>
        </Group>
      ) : null}
      {q.isPending ? (
        <TableSkeleton rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState message={t('webhooks.empty')} />
      ) : (
        q.data.items.map((w) => (
          <WebhookCard
            key={w.id}
            webhook={w}
            onSecret={(s) => {
              setSecret(s);
              setAdding(true);
            }}
          />
        ))
      )}
      <Modal
        opened={adding}
        onClose={close}
        title={t('webhooks.add')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {secret ? (
          <Stack>
            <OnceSecret label={t('webhooks.secret')} secret={secret} />
            <Group justify="flex-end">
              <Button onClick={close}>{t('common.close')}</Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack gap="sm">
              <TextInput
                label={t('webhooks.url')}
                type="url"
                required
                placeholder="https://"
                value={form.url}
                onChange={(e) => setForm({ ...form, url: e.currentTarget.value })}
                dir="ltr"
              />
              <TextInput
                label={t('webhooks.events')}
                description={t('webhooks.eventsHint')}
                required
                value={form.events}
                onChange={(e) => setForm({ ...form, events: e.currentTarget.value })}
                dir="ltr"
              />
              <TextInput
                label={t('webhooks.description')}
                value={form.description}
                onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
                maxLength={500}
              />
              {create.isError ? <ErrorState error={create.error} /> : null}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={create.isPending}>
                  {t('common.create')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </Stack>
  );
}
