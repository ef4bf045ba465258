import type { ApiError } from '../../api/client';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints';
import type { SyncRun } from '../../api/types';
import { useSession } from '../../auth/session';
import { Icon } from '../../components/Icons';
import { EmptyState, ErrorState, Ltr, TableSkeleton } from '../../components/States';
import { type MessageKey, useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';

const LIVE = new Set(['queued', 'running']);
const STATUS_COLORS: Record<string, string> = {
  queued: 'gray',
  running: 'blue',
  completed: 'teal',
  failed: 'red',
  interrupted: 'orange',
};

function RunStatus({ status }: { status: string }) {
  const { tr } = useI18n();
  return (
    <Badge size="sm" variant="light" color={STATUS_COLORS[status] ?? 'gray'}>
      {tr('bosta.status', status)}
    </Badge>
  );
}

/** The live progress of one run: polled every 700 ms until it finishes. */
function RunProgress({ runId, onDone }: { runId: number; onDone: (run: SyncRun) => void }) {
  const { t } = useI18n();
  const fmt = useFormat();
  const q = useQuery({
    queryKey: ['bosta', 'run', runId],
    queryFn: ({ signal }) => api.bosta.run(runId, signal),
    refetchInterval: (query) => (query.state.data && !LIVE.has(query.state.data.status) ? false : 700),
  });
  const run = q.data;
  const reported = useRef<number | null>(null);
  useEffect(() => {
    if (run && !LIVE.has(run.status) && reported.current !== run.id) {
      reported.current = run.id;
      onDone(run);
    }
  }, [run, onDone]);
  if (q.isError) return <ErrorState error={q.error} />;
  const percent = run?.percent ?? (run?.pagesTotal ? Math.round((run.pagesDone / run.pagesTotal) * 100) : null);
  const live = !run || LIVE.has(run.status);
  return (
    <Paper withBorder p="md" radius="md" data-testid="sync-progress">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} id="sync-progress-label">
            {t('bosta.progress')}
          </Text>
          {run ? <RunStatus status={run.status} /> : null}
        </Group>
        <Progress
          value={percent ?? 100}
          striped={live}
          animated={live}
          color={run?.status === 'failed' ? 'red' : run?.status === 'completed' ? 'teal' : 'blue'}
          size="lg"
          aria-labelledby="sync-progress-label"
          aria-valuenow={percent ?? undefined}
          data-testid="sync-progress-bar"
          data-percent={percent ?? ''}
          data-status={run?.status ?? 'queued'}
        />
        {run ? (
          <Text size="sm" c="dimmed" aria-live="polite">
            {run.pagesTotal
              ? t('bosta.progressText', {
                  done: fmt.number(run.pagesDone),
                  total: fmt.number(run.pagesTotal),
                  seen: fmt.number(run.deliveriesSeen),
                })
              : t('bosta.progressTextUnknown', {
                  done: fmt.number(run.pagesDone),
                  seen: fmt.number(run.deliveriesSeen),
                })}
            {run.etaSeconds && live ? ` · ${t('bosta.eta', { seconds: fmt.number(run.etaSeconds) })}` : ''}
          </Text>
        ) : null}
        {run?.status === 'completed' ? (
          <Text size="sm" c="teal.8" data-testid="sync-done">
            {t('bosta.runDone', {
              created: fmt.number(run.created),
              updated: fmt.number(run.updated),
              unchanged: fmt.number(run.unchanged),
            })}
          </Text>
        ) : null}
        {run?.status === 'failed' ? (
          <Text size="sm" c="red" role="alert">
            {t('bosta.runFailed', { error: run.error ?? '' })}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

function Runs() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  const q = useQuery({ queryKey: ['bosta', 'runs'], queryFn: ({ signal }) => api.bosta.runs({ limit: 20 }, signal) });
  if (q.isPending) return <TableSkeleton rows={5} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data.items.length) return <EmptyState message={t('bosta.noRuns')} />;
  return (
    <div className="ol-table-scroll">
      <Table fz="sm" verticalSpacing={6} data-testid="sync-runs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('bosta.col.started')}</Table.Th>
            <Table.Th scope="col">{t('bosta.col.mode')}</Table.Th>
            <Table.Th scope="col">{t('bosta.col.trigger')}</Table.Th>
            <Table.Th scope="col">{t('bosta.col.status')}</Table.Th>
            <Table.Th scope="col" ta="end">
              {t('bosta.col.pages')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('bosta.col.deliveries')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('bosta.col.changes')}
            </Table.Th>
            <Table.Th scope="col" ta="end">
              {t('bosta.col.duration')}
            </Table.Th>
            <Table.Th scope="col">{t('bosta.col.error')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(r.startedAt)}</Table.Td>
              <Table.Td>{tr('bosta.mode', r.mode)}</Table.Td>
              <Table.Td>
                <Ltr>{r.trigger}</Ltr>
              </Table.Td>
              <Table.Td>
                <RunStatus status={r.status} />
              </Table.Td>
              <Table.Td ta="end">
                {fmt.number(r.pagesDone)}
                {r.pagesTotal ? ` / ${fmt.number(r.pagesTotal)}` : ''}
              </Table.Td>
              <Table.Td ta="end">{fmt.number(r.deliveriesSeen)}</Table.Td>
              <Table.Td ta="end">
                {fmt.number(r.created)} / {fmt.number(r.updated)}
              </Table.Td>
              <Table.Td ta="end">
                {r.finishedAt ? fmt.duration((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000) : '—'}
              </Table.Td>
              <Table.Td>
                {r.error ? (
                  <Text size="xs" c="red" maw={280} style={{ overflowWrap: 'anywhere' }}>
                    {r.error}
                  </Text>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

export function BostaSettings() {
  const { t } = useI18n();
  const fmt = useFormat();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['bosta', 'status'], queryFn: ({ signal }) => api.bosta.status(signal) });
  const [mode, setMode] = useState<'incremental' | 'full'>('incremental');
  const [runId, setRunId] = useState<number | null>(null);
  const [apiKey, setApiKey] = useState('');

  // A run already going when the page opens is followed too.
  useEffect(() => {
    const last = status.data?.lastRun;
    if (runId === null && last && LIVE.has(last.status)) setRunId(last.id);
  }, [status.data, runId]);

  const test = useMutation({ mutationFn: () => api.bosta.test() });
  const sync = useMutation({
    mutationFn: () => api.bosta.sync(mode),
    onSuccess: (run) => setRunId(run.id),
    // A run already under way (a scheduled one, another user's): follow it instead of showing an error.
    onError: (e) => {
      const runningId = (e as ApiError).code === 'sync_already_running' ? (e as ApiError).details : null;
      if (runningId && typeof runningId === 'object' && 'runId' in runningId) setRunId(Number(runningId.runId));
    },
  });
  const configure = useMutation({
    mutationFn: () => api.bosta.configure({ apiKey }),
    onSuccess: (s) => {
      queryClient.setQueryData(['bosta', 'status'], s);
      setApiKey('');
    },
  });
  const onDone = (run: SyncRun) => {
    void queryClient.invalidateQueries({ queryKey: ['bosta', 'runs'] });
    void queryClient.invalidateQueries({ queryKey: ['bosta', 'status'] });
    if (run.status === 'completed') void queryClient.invalidateQueries({ queryKey: ['orders'] });
  };

  if (status.isPending) return <TableSkeleton rows={6} />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data;
  const row = (label: MessageKey, value: React.ReactNode) => (
    <Table.Tr key={label}>
      <Table.Th scope="row" fw={500} c="dimmed" w="40%">
        {t(label)}
      </Table.Th>
      <Table.Td>{value ?? '—'}</Table.Td>
    </Table.Tr>
  );
  const submitKey = (e: FormEvent) => {
    e.preventDefault();
    configure.mutate();
  };

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h5">
              {t('bosta.connection')}
            </Title>
            <Group gap={6}>
              {s.simulator ? (
                <Badge color="grape" variant="light">
                  {t('bosta.simulator')}
                </Badge>
              ) : null}
              <Badge color={s.configured ? 'teal' : 'gray'} data-testid="bosta-configured">
                {s.configured ? t('bosta.configured') : t('bosta.notConfigured')}
              </Badge>
            </Group>
          </Group>
          <Table fz="sm" verticalSpacing={4} withRowBorders={false}>
            <Table.Tbody>
              {row('bosta.baseUrl', s.baseUrl ? <Ltr>{s.baseUrl}</Ltr> : null)}
              {row('bosta.webhookPath', <Ltr>{s.webhookPath}</Ltr>)}
              {row('bosta.webhookHeader', s.webhookHeader ? <Ltr>{s.webhookHeader}</Ltr> : null)}
              {row('bosta.webhookSecret', s.hasWebhookSecret ? t('common.yes') : t('common.no'))}
              {row(
                'bosta.interval',
                s.syncIntervalMinutes ? t('bosta.minutes', { minutes: fmt.number(s.syncIntervalMinutes) }) : null,
              )}
              {row('bosta.watermark', fmt.dateTime(s.watermark))}
            </Table.Tbody>
          </Table>
          {can('integrations:write') ? (
            <form onSubmit={submitKey}>
              <Stack gap="xs" mt="sm">
                <PasswordInput
                  label={t('bosta.apiKey')}
                  description={t('bosta.apiKeyHint')}
                  value={apiKey}
                  onChange={(e) => setApiKey(e.currentTarget.value)}
                  minLength={8}
                  autoComplete="off"
                />
                {configure.isError ? <ErrorState error={configure.error} /> : null}
                <Group>
                  <Button type="submit" variant="light" disabled={apiKey.length < 8} loading={configure.isPending}>
                    {t('bosta.saveConnection')}
                  </Button>
                  <Button
                    variant="default"
                    onClick={() => test.mutate()}
                    loading={test.isPending}
                    disabled={!s.configured}
                    data-testid="bosta-test"
                  >
                    {t('bosta.test')}
                  </Button>
                </Group>
                {test.data ? (
                  <Alert color={test.data.ok ? 'teal' : 'red'} variant="light" data-testid="bosta-test-result">
                    {test.data.ok
                      ? t('bosta.testOk', { count: fmt.number(test.data.deliveries ?? 0) })
                      : t('bosta.testFailed', { error: test.data.error ?? '' })}
                  </Alert>
                ) : null}
                {test.isError ? <ErrorState error={test.error} /> : null}
              </Stack>
            </form>
          ) : null}
        </Paper>
        <Stack gap="md">
          {can('integrations:sync') ? (
            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Text fw={600} id="sync-mode-label">
                  {t('bosta.syncMode')}
                </Text>
                <SegmentedControl
                  aria-labelledby="sync-mode-label"
                  value={mode}
                  onChange={(v) => setMode(v as 'incremental' | 'full')}
                  data={[
                    { value: 'incremental', label: t('bosta.mode.incremental') },
                    { value: 'full', label: t('bosta.mode.full') },
                  ]}
                />
                <Group>
                  <Button
                    onClick={() => sync.mutate()}
                    loading={sync.isPending}
                    disabled={!s.configured}
                    leftSection={<Icon name="refresh" size={16} />}
                    data-testid="bosta-sync"
                  >
                    {t('bosta.syncNow')}
                  </Button>
                </Group>
                {sync.isError && (sync.error as ApiError).code !== 'sync_already_running' ? (
                  <ErrorState error={sync.error} />
                ) : null}
              </Stack>
            </Paper>
          ) : null}
          {runId !== null ? <RunProgress key={runId} runId={runId} onDone={onDone} /> : null}
        </Stack>
      </SimpleGrid>
      <Title order={3} size="h5">
        {t('bosta.history')}
      </Title>
      <Runs />
    </Stack>
  );
}
