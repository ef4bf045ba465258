import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { type ApiError, isApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { ScanResult, ServiceAction, ServiceContext } from '../../api/types';
import { useSession } from '../../auth/session';
import { CardsSkeleton, EmptyState, ErrorState, Ltr } from '../../components/States';
import { type MessageKey, useI18n } from '../../i18n';
import { ContextCard, InspectionView } from './context-views';
import { InspectionForm } from './InspectionForm';
import { ServiceErrorAlert } from './service-errors';

const HUB_KEY = 'orderloop.hub.name';
const AGENT_KEY = 'orderloop.hub.agent';

function stored(key: string, fallback: string): string {
  try {
    return localStorage.getItem(key) || fallback;
  } catch {
    return fallback;
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // remembered for this page only
  }
}

type Outcome =
  | { kind: 'received'; tracking: string; scan: ScanResult }
  | { kind: 'already'; tracking: string; scan: ScanResult }
  | { kind: 'unknown'; tracking: string; error: ApiError }
  | { kind: 'error'; tracking: string; error: unknown };

/** The action's context and, while its return waits for one, the inspection form; the result once recorded. */
function ActionAtHub({
  action,
  context,
  onInspected,
}: {
  action: ServiceAction;
  context: ServiceContext;
  onInspected: (a: ServiceAction) => void;
}) {
  const { t, tr } = useI18n();
  const [result, setResult] = useState<ServiceAction | null>(null);
  const current = result ?? action;
  return (
    <Stack gap="md">
      <ContextCard action={current} context={context} />
      {result ? (
        result.status === 'review_pending' ? (
          <Alert
            color="orange"
            variant="light"
            style={{ borderInlineStart: '4px solid var(--mantine-color-orange-6)' }}
            title={t('hub.reviewRequiredTitle')}
            role="status"
            data-testid="inspection-review-required"
          >
            {t('hub.reviewRequiredText', { number: result.number })}
          </Alert>
        ) : (
          <Alert
            color="green"
            variant="light"
            title={t('hub.inspectedTitle')}
            role="status"
            data-testid="inspection-done"
          >
            {t('hub.inspectedText', { number: result.number, status: tr('svc.status', result.status) })}
          </Alert>
        )
      ) : current.status === 'return_received' ? (
        <InspectionForm
          key={current.id}
          action={current}
          onDone={(a) => {
            setResult(a);
            onInspected(a);
          }}
        />
      ) : context.inspection?.inspectedAt ? (
        <Paper withBorder p="md" radius="md">
          <Title order={3} size="h5" mb="sm">
            {t('svc.inspection')}
          </Title>
          <InspectionView inspection={context.inspection} />
        </Paper>
      ) : (
        <Alert color="gray" variant="light" data-testid="hub-not-inspectable">
          {t('hub.notInspectable', { status: tr('svc.status', current.status) })}
        </Alert>
      )}
    </Stack>
  );
}

/** `/hub/:actionId`: the inspection of one action, opened from its page. */
function HubAction({ id }: { id: number }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['service', 'action', id],
    queryFn: ({ signal }) => api.service.get(id, signal),
  });
  if (q.isPending) return <CardsSkeleton count={1} height={220} />;
  if (q.isError)
    return isApiError(q.error) && q.error.status === 404 ? (
      <EmptyState message={t('svc.notFound')} />
    ) : (
      <ErrorState error={q.error} onRetry={() => void q.refetch()} />
    );
  return <ActionAtHub action={q.data} context={q.data.context} onInspected={() => undefined} />;
}

/** The hub: scan a returned parcel (a barcode scanner types the number and Enter), see its context, inspect it. */
export default function HubPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const { actionId } = useParams();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [hub, setHub] = useState(() => stored(HUB_KEY, t('hub.defaultHub')));
  const [agent, setAgent] = useState(() => stored(AGENT_KEY, me?.user?.name ?? ''));
  const [tracking, setTracking] = useState(params.get('tracking') ?? '');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [missingNames, setMissingNames] = useState(false);
  const scanRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!actionId) scanRef.current?.focus();
  }, [actionId]);

  const scan = useMutation({
    mutationFn: (tn: string) => api.hub.scan({ trackingNumber: tn, hub: hub.trim(), agent: agent.trim() }),
    onSuccess: (result, tn) => {
      setOutcome({ kind: 'received', tracking: tn, scan: result });
      void queryClient.invalidateQueries({ queryKey: ['service'] });
    },
    onError: (error, tn) => {
      if (isApiError(error) && error.code === 'already_received' && error.details) {
        setOutcome({ kind: 'already', tracking: tn, scan: error.details as ScanResult });
      } else if (isApiError(error) && error.status === 404) {
        setOutcome({ kind: 'unknown', tracking: tn, error });
      } else setOutcome({ kind: 'error', tracking: tn, error });
    },
    onSettled: () => {
      setTracking('');
      scanRef.current?.focus();
    },
  });

  const onScan = (e: FormEvent) => {
    e.preventDefault();
    const tn = tracking.trim().replace(/\s+/g, '');
    if (!tn || scan.isPending) return;
    if (!hub.trim() || !agent.trim()) {
      setMissingNames(true);
      return;
    }
    setMissingNames(false);
    scan.mutate(tn);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>{t('hub.title')}</Title>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput
            label={t('hub.hubName')}
            value={hub}
            onChange={(e) => {
              setHub(e.currentTarget.value);
              remember(HUB_KEY, e.currentTarget.value);
            }}
            maxLength={100}
            w={180}
            data-testid="hub-name"
          />
          <TextInput
            label={t('hub.agentName')}
            value={agent}
            onChange={(e) => {
              setAgent(e.currentTarget.value);
              remember(AGENT_KEY, e.currentTarget.value);
            }}
            maxLength={100}
            w={180}
            data-testid="hub-agent"
          />
        </Group>
      </Group>

      {actionId ? (
        <>
          <Anchor component={Link} to="/hub" size="sm">
            {t('hub.backToScan')}
          </Anchor>
          {/^\d+$/.test(actionId) ? <HubAction id={Number(actionId)} /> : <EmptyState message={t('svc.notFound')} />}
        </>
      ) : (
        <>
          <Paper withBorder p="md" radius="md" component="form" onSubmit={onScan} data-testid="hub-scan-form">
            <Group align="flex-end" wrap="wrap">
              <TextInput
                ref={scanRef}
                className="ol-scan"
                label={t('hub.scanLabel')}
                description={t('hub.scanHint')}
                value={tracking}
                onChange={(e) => setTracking(e.currentTarget.value)}
                autoComplete="off"
                inputMode="numeric"
                size="lg"
                style={{ flex: '1 1 280px' }}
                maxLength={32}
                data-testid="hub-scan"
              />
              <Button type="submit" size="lg" loading={scan.isPending} data-testid="hub-scan-submit">
                {t('hub.scan')}
              </Button>
            </Group>
            {missingNames ? (
              <Alert mt="sm" color="orange" variant="light" role="alert">
                {t('hub.namesRequired')}
              </Alert>
            ) : null}
          </Paper>

          {!outcome ? (
            <EmptyState message={t('hub.waiting')} />
          ) : outcome.kind === 'unknown' ? (
            <Alert color="orange" variant="light" role="alert" title={t('hub.unknownTitle')} data-testid="hub-unknown">
              {t(`hub.unknown.${outcome.error.code === 'not_a_service_return' ? 'order' : 'none'}` as MessageKey, {
                tracking: outcome.tracking,
              })}
            </Alert>
          ) : outcome.kind === 'error' ? (
            <ServiceErrorAlert error={outcome.error} />
          ) : (
            <Stack gap="sm" key={`${outcome.scan.action.id}-${outcome.kind}`}>
              {outcome.kind === 'received' ? (
                <Alert
                  color="green"
                  variant="light"
                  role="status"
                  title={t('hub.receivedTitle')}
                  data-testid="hub-received"
                >
                  {t('hub.receivedText', { tracking: outcome.tracking, number: outcome.scan.action.number })}
                </Alert>
              ) : (
                <Alert
                  color="blue"
                  variant="light"
                  role="status"
                  title={t('hub.alreadyTitle')}
                  data-testid="hub-already"
                >
                  {t('hub.alreadyText', { tracking: outcome.tracking })}
                </Alert>
              )}
              <ActionAtHub
                action={outcome.scan.action}
                context={outcome.scan.context}
                onInspected={() => scanRef.current?.focus({ preventScroll: true })}
              />
            </Stack>
          )}
          {outcome ? (
            <Text size="xs" c="dimmed">
              {t('hub.lastScan')} <Ltr>{outcome.tracking}</Ltr>{' '}
              <Badge size="xs" variant="light">
                {t(`hub.outcome.${outcome.kind}` as MessageKey)}
              </Badge>
            </Text>
          ) : null}
        </>
      )}
    </Stack>
  );
}
