import { Badge, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/endpoints';
import type { Role, User } from '../../api/types';
import { useSession } from '../../auth/session';
import { EmptyState, ErrorState, TableSkeleton } from '../../components/States';
import { useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';

export const ROLES: Role[] = ['owner', 'admin', 'manager', 'agent', 'hub_agent', 'team_leader', 'technician', 'viewer'];

/** Roles the signed-in user may hand out: none above their own (the server checks this too). */
export function grantableRoles(myRole: string | undefined): Role[] {
  const mine = ROLES.indexOf((myRole ?? 'viewer') as Role);
  return ROLES.filter((_, i) => i >= mine);
}

function NewUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, tr } = useI18n();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', role: 'agent' as Role, password: '' });
  const create = useMutation({
    mutationFn: () => api.users.create(form),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      setForm({ name: '', email: '', role: 'agent', password: '' });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('users.add')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label={t('common.name')}
            required
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <TextInput
            label={t('common.email')}
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
          <NativeSelect
            label={t('common.role')}
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}
            data={grantableRoles(me?.role).map((r) => ({ value: r, label: tr('role', r) }))}
          />
          <PasswordInput
            label={t('users.password')}
            description={t('users.passwordHint')}
            required
            minLength={10}
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            autoComplete="new-password"
          />
          {create.isError ? <ErrorState error={create.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('common.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function UserRow({ user }: { user: User }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { me, can } = useSession();
  const queryClient = useQueryClient();
  const editable = can('users:write') && grantableRoles(me?.role).includes(user.role as Role);
  const isMe = me?.user?.id === user.id;
  const done = () => void queryClient.invalidateQueries({ queryKey: ['users'] });
  const change = useMutation({
    mutationFn: (body: Parameters<typeof api.users.change>[1]) => api.users.change(user.id, body),
    onSuccess: done,
  });
  const remove = useMutation({ mutationFn: () => api.users.remove(user.id), onSuccess: done });
  return (
    <Table.Tr>
      <Table.Td>
        {user.name}
        {isMe ? (
          <Text span size="xs" c="dimmed">
            {' '}
            ({t('users.you')})
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{user.email}</Table.Td>
      <Table.Td>
        {editable && !isMe ? (
          <NativeSelect
            size="xs"
            aria-label={t('users.changeRole', { name: user.name })}
            value={user.role}
            onChange={(e) => change.mutate({ role: e.currentTarget.value as Role })}
            data={grantableRoles(me?.role).map((r) => ({ value: r, label: tr('role', r) }))}
          />
        ) : (
          tr('role', user.role)
        )}
      </Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={user.active ? 'teal' : 'gray'}>
          {user.active ? t('common.active') : t('common.inactive')}
        </Badge>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {user.lastLoginAt ? fmt.dateTime(user.lastLoginAt) : t('users.never')}
      </Table.Td>
      <Table.Td>
        {editable && !isMe ? (
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => change.mutate({ active: !user.active })}
              loading={change.isPending}
            >
              {user.active ? t('users.deactivate') : t('users.activate')}
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              loading={remove.isPending}
              onClick={() => {
                if (window.confirm(t('users.confirmDelete', { name: user.name }))) remove.mutate();
              }}
            >
              {t('common.delete')}
            </Button>
          </Group>
        ) : null}
        {change.isError || remove.isError ? <ErrorState error={change.error ?? remove.error} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}

export function UsersSettings() {
  const { t } = useI18n();
  const { can } = useSession();
  const [adding, setAdding] = useState(false);
  const q = useQuery({ queryKey: ['users'], queryFn: ({ signal }) => api.users.list(signal) });
  return (
    <Stack gap="sm">
      {can('users:write') ? (
        <Group>
          <Button onClick={() => setAdding(true)}>{t('users.add')}</Button>
        </Group>
      ) : null}
      {q.isPending ? (
        <TableSkeleton rows={4} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <EmptyState />
      ) : (
        <div className="ol-table-scroll">
          <Table fz="sm" verticalSpacing={6} data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('common.name')}</Table.Th>
                <Table.Th scope="col">{t('common.email')}</Table.Th>
                <Table.Th scope="col">{t('common.role')}</Table.Th>
                <Table.Th scope="col">{t('common.status')}</Table.Th>
                <Table.Th scope="col">{t('users.lastLogin')}</Table.Th>
                <Table.Th scope="col">{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((u) => (
                <UserRow key={u.id} user={u} />
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      <NewUserModal opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}
