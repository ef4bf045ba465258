import type { Channel, InteractionType, Priority } from '../api/types';

// The desk's vocabularies (the server's lists), shared by the desk page and the customer profile.
export const INTERACTION_TYPES: InteractionType[] = ['call', 'complaint', 'inquiry', 'follow_up', 'ticket'];
export const CHANNELS: Channel[] = ['phone', 'whatsapp', 'telegram', 'email', 'in_person', 'web'];
export const PRIORITIES: Priority[] = ['low', 'medium', 'high', 'urgent'];
export const PRIORITY_COLOR: Record<string, string> = { low: 'gray', medium: 'blue', high: 'orange', urgent: 'red' };
export const DESK_STATUS_COLOR: Record<string, string> = {
  open: 'blue',
  in_progress: 'violet',
  waiting_customer: 'yellow',
  resolved: 'green',
  closed: 'gray',
};

/** A `datetime-local` value (the browser's time) as an ISO instant; null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `YYYY-MM-DDTHH:mm` in the browser's time, `minutesFromNow` ahead, for a `datetime-local` input. */
export function localInputValue(minutesFromNow: number, now = Date.now()): string {
  const d = new Date(now + minutesFromNow * 60_000);
  d.setSeconds(0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
