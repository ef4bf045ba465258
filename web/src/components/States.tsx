import { Alert, Button, Center, Group, Paper, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { isApiError } from '../api/client';
import { useI18n } from '../i18n';

/** Placeholder rows while a table loads. */
export function TableSkeleton({ rows = 8, label }: { rows?: number; label?: string }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs" aria-busy="true" aria-label={label ?? t('common.loading')} role="status">
      <Skeleton height={32} radius="sm" />
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <Skeleton key={i} height={24} radius="sm" />
      ))}
    </Stack>
  );
}

/** Placeholder cards while figures load. */
export function CardsSkeleton({ count = 4, height = 90 }: { count?: number; height?: number }) {
  const { t } = useI18n();
  return (
    <Group grow gap="md" aria-busy="true" aria-label={t('common.loading')} role="status" wrap="wrap">
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <Skeleton key={i} height={height} radius="md" miw={160} />
      ))}
    </Group>
  );
}

export function EmptyState({ message, action }: { message?: string; action?: ReactNode }) {
  const { t } = useI18n();
  return (
    <Paper withBorder p="xl" radius="md" data-testid="empty-state">
      <Center>
        <Stack align="center" gap="sm">
          <Text c="dimmed" ta="center">
            {message ?? t('common.empty')}
          </Text>
          {action}
        </Stack>
      </Center>
    </Paper>
  );
}

/** The error of a failed request, with the server's code and request id, and a retry. */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useI18n();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="light" title={title ?? t('common.error')} role="alert" data-testid="error-state">
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {isApiError(error) && error.requestId ? (
          <Text size="xs" c="dimmed">
            {t('common.errorCode', { code: error.code, requestId: error.requestId })}
          </Text>
        ) : null}
        {onRetry ? (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Alert>
  );
}

/** Text that must read left to right inside a right-to-left page: phones, tracking numbers, codes. */
export function Ltr({ children }: { children: ReactNode }) {
  return (
    <bdi dir="ltr" style={{ unicodeBidi: 'isolate' }}>
      {children}
    </bdi>
  );
}
