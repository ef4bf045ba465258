import { Stack, Tabs, Title } from '@mantine/core';
import { useNavigate, useParams } from 'react-router';
import type { Permission } from '../api/types';
import { useSession } from '../auth/session';
import { type MessageKey, useI18n } from '../i18n';
import { ApiKeysSettings } from './settings/ApiKeysSettings';
import { BostaSettings } from './settings/BostaSettings';
import { TenantSettingsForm } from './settings/TenantSettings';
import { UsersSettings } from './settings/UsersSettings';
import { WebhooksSettings } from './settings/WebhooksSettings';

const TABS: Array<{ value: string; label: MessageKey; permission: Permission; Panel: () => React.JSX.Element }> = [
  { value: 'bosta', label: 'settings.tab.bosta', permission: 'integrations:read', Panel: BostaSettings },
  { value: 'users', label: 'settings.tab.users', permission: 'users:read', Panel: UsersSettings },
  { value: 'api-keys', label: 'settings.tab.apiKeys', permission: 'api_keys:read', Panel: ApiKeysSettings },
  { value: 'webhooks', label: 'settings.tab.webhooks', permission: 'webhooks:read', Panel: WebhooksSettings },
  { value: 'tenant', label: 'settings.tab.tenant', permission: 'tenant:read', Panel: TenantSettingsForm },
];

/** Settings: one tab per area the role may read; the tab is in the URL (`/settings/bosta`). */
export default function SettingsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const { tab } = useParams();
  const tabs = TABS.filter((x) => can(x.permission));
  const active = tabs.find((x) => x.value === tab)?.value ?? tabs[0]?.value;
  return (
    <Stack gap="md">
      <Title order={2}>{t('settings.title')}</Title>
      <Tabs value={active} onChange={(v) => v && navigate(`/settings/${v}`, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          {tabs.map((x) => (
            <Tabs.Tab key={x.value} value={x.value} data-testid={`settings-tab-${x.value}`}>
              {t(x.label)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map(({ value, Panel }) => (
          <Tabs.Panel key={value} value={value}>
            <Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
