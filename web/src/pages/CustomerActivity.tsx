// The customer 360's service side: the customer's service actions, the interactions timeline, and the two
// things an agent does from here — log an interaction, schedule a call.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/endpoints';
import type { Channel, InteractionType, NewInteraction, Priority } from '../api/types';
import { useSession } from '../auth/session';
import {
  CHANNELS,
  DESK_STATUS_COLOR,
  INTERACTION_TYPES,
  localInputToIso,
  localInputValue,
  PRIORITIES,
  PRIORITY_COLOR,
} from '../components/desk';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../components/States';
import { useI18n } from '../i18n';
import { useFormat } from '../lib/format';
import { ActionFlags, StatusBadge, TypeBadge } from './service/badges';

/** The customer's service actions, newest first, with a way to open a new one for them. */
export function CustomerServiceActions({ customerId, phone }: { customerId: number; phone: string }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const q = useQuery({
    queryKey: ['service', 'customer', customerId],
    queryFn: ({ signal }) => api.service.list({ customerId, limit: 50 }, signal),
  });
  return (
    <Paper withBorder p="md" radius="md" data-testid="customer-service">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={3} size="h5">
          {t('c360.service')}
        </Title>
        {can('service:write') ? (
          <Button
            size="xs"
            variant="light"
            component={Link}
            to={`/service/new?phone=${encodeURIComponent(phone)}`}
            data-testid="customer-new-service"
          >
            {t('svc.new')}
          </Button>
        ) : null}
      </Group>
      {q.isPending ? (
        <TableSkeleton rows={2} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('c360.noService')}
        </Text>
      ) : (
        <Stack gap={6}>
          {q.data.items.map((a) => (
            <Group key={a.id} gap={6} wrap="wrap" data-testid="customer-service-action">
              <Anchor component={Link} to={`/service/${a.id}`} fw={600} size="sm">
                <Ltr>{a.number}</Ltr>
              </Anchor>
              <TypeBadge type={a.type} size="xs" />
              <StatusBadge status={a.status} size="xs" />
              <ActionFlags action={a} size="xs" />
              <Text size="xs" c="dimmed" lineClamp={1}>
                {fmt.date(a.createdAt)} · {a.reason}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function LogInteractionModal({
  customerId,
  opened,
  onClose,
  onDone,
}: {
  customerId: number;
  opened: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t, tr } = useI18n();
  const queryClient = useQueryClient();
  const [type, setType] = useState<InteractionType>('call');
  const [channel, setChannel] = useState<Channel>('phone');
  const [priority, setPriority] = useState<Priority>('medium');
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [resolution, setResolution] = useState('');
  const [followUp, setFollowUp] = useState('');
  const log = useMutation({
    mutationFn: (body: NewInteraction) => api.desk.log(customerId, body),
    onSuccess: (i) => {
      void queryClient.invalidateQueries({ queryKey: ['desk'] });
      setSubject('');
      setDescription('');
      setResolution('');
      setFollowUp('');
      onDone(t('c360.logged', { ticket: i.ticketNumber }));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!subject.trim()) return;
    const followUpAt = localInputToIso(followUp);
    log.mutate({
      type,
      channel,
      priority,
      status,
      subject: subject.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(status === 'resolved' && resolution.trim() ? { resolution: resolution.trim() } : {}),
      ...(followUpAt && status === 'open' ? { followUpAt } : {}),
    });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('c360.log')} centered size="lg">
      <form onSubmit={submit} data-testid="log-interaction-form">
        <Stack gap="sm">
          <Group grow wrap="wrap" align="flex-start">
            <NativeSelect
              label={t('desk.type')}
              value={type}
              onChange={(e) => setType(e.currentTarget.value as InteractionType)}
              data={INTERACTION_TYPES.map((v) => ({ value: v, label: tr('desk.type', v) }))}
            />
            <NativeSelect
              label={t('desk.channel')}
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value as Channel)}
              data={CHANNELS.map((v) => ({ value: v, label: tr('desk.channel', v) }))}
            />
            <NativeSelect
              label={t('desk.priority')}
              value={priority}
              onChange={(e) => setPriority(e.currentTarget.value as Priority)}
              data={PRIORITIES.map((v) => ({ value: v, label: tr('priority', v) }))}
            />
          </Group>
          <TextInput
            label={t('desk.subject')}
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            required
            maxLength={200}
            data-autofocus
            data-testid="interaction-subject"
          />
          <Textarea
            label={t('desk.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={10_000}
          />
          <NativeSelect
            label={t('common.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as 'open' | 'resolved')}
            data={[
              { value: 'open', label: tr('desk.status', 'open') },
              { value: 'resolved', label: t('c360.resolvedNow') },
            ]}
          />
          {status === 'resolved' ? (
            <Textarea
              label={t('desk.resolution')}
              value={resolution}
              onChange={(e) => setResolution(e.currentTarget.value)}
              autosize
              minRows={1}
              maxLength={10_000}
            />
          ) : (
            <TextInput
              type="datetime-local"
              label={t('desk.followUpAt')}
              description={t('c360.localTime')}
              value={followUp}
              onChange={(e) => setFollowUp(e.currentTarget.value)}
            />
          )}
          {log.isError ? <ErrorState error={log.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={log.isPending} disabled={!subject.trim()} data-testid="interaction-submit">
              {t('c360.logSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ScheduleCallModal({
  customerId,
  opened,
  onClose,
  onDone,
}: {
  customerId: number;
  opened: boolean;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useI18n();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [when, setWhen] = useState(() => localInputValue(60));
  const [purpose, setPurpose] = useState('');
  const schedule = useMutation({
    mutationFn: () =>
      api.desk.scheduleCall({ customerId, scheduledAt: localInputToIso(when)!, purpose: purpose.trim() }),
    onSuccess: (call) => {
      void queryClient.invalidateQueries({ queryKey: ['desk'] });
      setPurpose('');
      onDone(t('c360.scheduled', { at: fmt.dateTime(call.scheduledAt) }));
    },
  });
  const valid = Boolean(localInputToIso(when)) && purpose.trim().length > 0;
  return (
    <Modal opened={opened} onClose={onClose} title={t('c360.schedule')} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) schedule.mutate();
        }}
        data-testid="schedule-call-form"
      >
        <Stack gap="sm">
          <TextInput
            type="datetime-local"
            label={t('c360.callAt')}
            description={t('c360.localTime')}
            value={when}
            onChange={(e) => setWhen(e.currentTarget.value)}
            required
          />
          <TextInput
            label={t('c360.purpose')}
            value={purpose}
            onChange={(e) => setPurpose(e.currentTarget.value)}
            required
            maxLength={500}
            data-autofocus
            data-testid="call-purpose"
          />
          {schedule.isError ? <ErrorState error={schedule.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={schedule.isPending} disabled={!valid} data-testid="call-submit">
              {t('c360.scheduleSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The interactions timeline (newest first, more on demand) with "log interaction" and "schedule call". */
export function CustomerInteractions({ customerId }: { customerId: number }) {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const [logOpen, setLogOpen] = useState(false);
  const [callOpen, setCallOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const q = useInfiniteQuery({
    queryKey: ['desk', 'customer', customerId],
    queryFn: ({ signal, pageParam }) => api.desk.ofCustomer(customerId, { limit: 20, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const mayWrite = can('interactions:write');
  return (
    <Paper withBorder p="md" radius="md" data-testid="customer-interactions">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={3} size="h5">
          {t('c360.interactions')}
        </Title>
        {mayWrite ? (
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={() => setLogOpen(true)} data-testid="log-interaction">
              {t('c360.log')}
            </Button>
            <Button
              size="xs"
              variant="light"
              color="teal"
              onClick={() => setCallOpen(true)}
              data-testid="schedule-call"
            >
              {t('c360.schedule')}
            </Button>
          </Group>
        ) : null}
      </Group>
      {notice ? (
        <Alert
          color="green"
          variant="light"
          mb="sm"
          role="status"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setNotice(null)}
          data-testid="c360-notice"
        >
          {notice}
        </Alert>
      ) : null}
      {q.isPending ? (
        <TableSkeleton rows={3} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState message={t('c360.noInteractions')} />
      ) : (
        <Timeline bulletSize={12} lineWidth={2} active={items.length}>
          {items.map((i) => (
            <Timeline.Item
              key={i.id}
              data-testid="interaction"
              title={
                <Group gap={6} wrap="wrap">
                  <Text size="sm" fw={600}>
                    {i.subject}
                  </Text>
                  <Badge size="xs" color={DESK_STATUS_COLOR[i.status]} variant="light">
                    {tr('desk.status', i.status)}
                  </Badge>
                  <Badge size="xs" color={PRIORITY_COLOR[i.priority]} variant="outline">
                    {tr('priority', i.priority)}
                  </Badge>
                  {i.overdue ? (
                    <Badge size="xs" color="red">
                      {t('svc.overdue')}
                    </Badge>
                  ) : null}
                </Group>
              }
            >
              <Text size="xs" c="dimmed">
                <Ltr>{i.ticketNumber}</Ltr> · {tr('desk.type', i.type)} · {tr('desk.channel', i.channel)} ·{' '}
                {fmt.dateTime(i.createdAt)}
                {i.followUpAt ? ` · ${t('c360.followUp', { at: fmt.dateTime(i.followUpAt) })}` : ''}
              </Text>
              {i.description ? (
                <Text size="sm" lineClamp={3}>
                  {i.description}
                </Text>
              ) : null}
              {i.resolution ? (
                <Text size="sm" c="green.8">
                  {i.resolution}
                </Text>
              ) : null}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {q.hasNextPage ? (
        <Group justify="center" mt="sm">
          <Button size="xs" variant="subtle" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </Group>
      ) : null}
      {mayWrite ? (
        <>
          <LogInteractionModal
            customerId={customerId}
            opened={logOpen}
            onClose={() => setLogOpen(false)}
            onDone={(m) => {
              setLogOpen(false);
              setNotice(m);
            }}
          />
          <ScheduleCallModal
            customerId={customerId}
            opened={callOpen}
            onClose={() => setCallOpen(false)}
            onDone={(m) => {
              setCallOpen(false);
              setNotice(m);
            }}
          />
        </>
      ) : null}
    </Paper>
  );
}
