// Error messages of the service cycle in the operator's words.
import { Alert, Stack, Text } from '@mantine/core';
import { isApiError } from '../../api/client';
import { type MessageKey, useI18n } from '../../i18n';
import { useFormat } from '../../lib/format';

/** The message of a known API error code in the operator's language; the server's own text otherwise. */
export function useErrorText() {
  const { t, tr } = useI18n();
  const fmt = useFormat();
  return (error: unknown): string => {
    if (!isApiError(error)) return error instanceof Error ? error.message : String(error);
    if (tr('svc.err', error.code) === error.code) return error.message;
    const details = (error.details ?? {}) as Record<string, unknown>;
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(details)) {
      if (typeof v === 'number') params[k] = k === 'paid' || k === 'amount' ? fmt.money(v) : fmt.number(v);
      else if (typeof v === 'string') params[k] = k === 'status' ? tr('svc.status', v) : v;
    }
    return t(`svc.err.${error.code}` as MessageKey, params);
  };
}

/** A failed service request: the reason in words, the server's message, code and request id. */
export function ServiceErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useI18n();
  const text = useErrorText();
  const friendly = text(error);
  const api = isApiError(error) ? error : null;
  return (
    <Alert color="red" variant="light" role="alert" title={title ?? t('common.error')} data-testid="service-error">
      <Stack gap={4}>
        <Text size="sm" data-testid="service-error-text" data-code={api?.code}>
          {friendly}
        </Text>
        {api && friendly !== api.message ? (
          <Text size="xs" c="dimmed">
            {api.message}
          </Text>
        ) : null}
        {api?.requestId ? (
          <Text size="xs" c="dimmed">
            {t('common.errorCode', { code: api.code, requestId: api.requestId })}
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}
