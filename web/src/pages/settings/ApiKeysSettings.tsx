import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/endpoints';
import type { Role } from '../../api/types';
import { useSession } from '../../auth/session';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';
import { grantableRoles } from './UsersSettings';

/** A secret shown once, with a copy button. */
export function OnceSecret({ label, secret }: { label: string; secret: string }) {
  const { t } = useI18n();
  return (
    <Alert color="yellow" variant="light" title={label} data-testid="secret-once">
      <Stack gap="xs">
        <Code block dir="ltr" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid="secret-value">
          {secret}
        </Code>
        <Group>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy} color={copied ? 'teal' : 'blue'}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        {t('common.shownOnce')}
      </Stack>
    </Alert>
  );
}

export function ApiKeysSettings() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { me, can } = useSession();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [secret, setSecret] = useState<string | null>(null);
  const q = useQuery({ queryKey: ['api-keys'], queryFn: ({ signal }) => api.apiKeys.list(signal) });
  const create = useMutation({
    mutationFn: () => api.apiKeys.create({ name, role }),
    onSuccess: (out) => {
      setSecret(out.secret);
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.apiKeys.revoke(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
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
      {can('api_keys:write') ? (
        <Group>
          <Button onClick={() => setAdding(true)}>{t('keys.add')}</Button>
        </Group>
      ) : null}
      {revoke.isError ? <ErrorState error={revoke.error} /> : null}
      {q.isPending ? (
        <TableSkeleton rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState message={t('keys.empty')} />
      ) : (
        <div className="ol-table-scroll">
          <Table fz="sm" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('common.name')}</Table.Th>
                <Table.Th scope="col">{t('keys.prefix')}</Table.Th>
                <Table.Th scope="col">{t('common.role')}</Table.Th>
                <Table.Th scope="col">{t('common.created')}</Table.Th>
                <Table.Th scope="col">{t('keys.lastUsed')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>{k.name}</Table.Td>
                  <Table.Td>
                    <Ltr>
                      <Code>{k.prefix}</Code>
                    </Ltr>
                  </Table.Td>
                  <Table.Td>{tr('role', k.role)}</Table.Td>
                  <Table.Td>{fmt.dateTime(k.createdAt)}</Table.Td>
                  <Table.Td>{fmt.dateTime(k.lastUsedAt)}</Table.Td>
                  <Table.Td>
                    {k.revokedAt ? (
                      <Badge color="gray" variant="light">
                        {t('keys.revoked')}
                      </Badge>
                    ) : can('api_keys:write') ? (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          if (window.confirm(t('keys.confirmRevoke', { name: k.name }))) revoke.mutate(k.id);
                        }}
                      >
                        {t('keys.revoke')}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <Modal
        opened={adding}
        onClose={close}
        title={t('keys.add')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {secret ? (
          <Stack>
            <OnceSecret label={t('keys.secret')} secret={secret} />
            <Group justify="flex-end">
              <Button onClick={close}>{t('common.close')}</Button>
            </Group>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack gap="sm">
              <TextInput
                label={t('common.name')}
                required
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                maxLength={100}
              />
              <NativeSelect
                label={t('common.role')}
                value={role}
                onChange={(e) => setRole(e.currentTarget.value as Role)}
                data={grantableRoles(me?.role).map((r) => ({ value: r, label: tr('role', r) }))}
              />
              {create.isError ? <ErrorState error={create.error} /> : null}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
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
