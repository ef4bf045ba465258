import { useMemo } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n';

export interface Formatters {
  currency: string;
  timeZone: string;
  number: (n: number | null | undefined) => string;
  /** A 0..1 ratio as a percentage. */
  percent: (ratio: number | null | undefined, digits?: number) => string;
  money: (amount: number | null | undefined) => string;
  /** Day only, in the tenant's time zone. */
  date: (iso: string | null | undefined) => string;
  /** Day and time, in the tenant's time zone. */
  dateTime: (iso: string | null | undefined) => string;
  /** A `YYYY-MM-DD` day (no time zone shift). */
  day: (day: string) => string;
  /** Seconds or minutes as a short duration. */
  duration: (seconds: number | null | undefined) => string;
  /** How long ago an instant was, in words of the language ("3 hours ago"). */
  ago: (iso: string | null | undefined, now?: number) => string;
}

const DASH = '—';

/** Today's date (YYYY-MM-DD) in a time zone, shifted by `offsetDays`. */
export function dayInZone(timeZone: string, offsetDays = 0, now = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const d = new Date(Date.UTC(get('year'), get('month') - 1, get('day') + offsetDays));
  return d.toISOString().slice(0, 10);
}

export function makeFormatters(locale: string, currency: string, timeZone: string): Formatters {
  const num = new Intl.NumberFormat(locale);
  const pct = (digits: number) =>
    new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 });
  const pct1 = pct(1);
  let moneyFmt: Intl.NumberFormat;
  try {
    moneyFmt = new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 });
  } catch {
    moneyFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  }
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat(locale, { timeZone });
  } catch {
    zone = 'UTC';
  }
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'short' });
  const relativeAuto = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const dateFmt = new Intl.DateTimeFormat(locale, { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric' });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const dayFmt = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' });
  const valid = (iso: string | null | undefined) => (iso ? new Date(iso) : null);
  return {
    currency,
    timeZone: zone,
    number: (n) => (n === null || n === undefined ? DASH : num.format(n)),
    percent: (r, digits = 1) => (r === null || r === undefined ? DASH : (digits === 1 ? pct1 : pct(digits)).format(r)),
    money: (n) => (n === null || n === undefined ? DASH : moneyFmt.format(n)),
    date: (iso) => {
      const d = valid(iso);
      return d && !Number.isNaN(d.getTime()) ? dateFmt.format(d) : DASH;
    },
    dateTime: (iso) => {
      const d = valid(iso);
      return d && !Number.isNaN(d.getTime()) ? dateTimeFmt.format(d) : DASH;
    },
    day: (day) => dayFmt.format(new Date(`${day}T00:00:00Z`)),
    ago: (iso, now = Date.now()) => {
      const d = valid(iso);
      if (!d || Number.isNaN(d.getTime())) return DASH;
      const minutes = Math.max(0, Math.round((now - d.getTime()) / 60_000));
      if (minutes === 0) return relativeAuto.format(0, 'second');
      if (minutes < 60) return relative.format(-minutes, 'minute');
      const hours = Math.round(minutes / 60);
      if (hours < 48) return relative.format(-hours, 'hour');
      return relative.format(-Math.round(hours / 24), 'day');
    },
    duration: (s) => {
      if (s === null || s === undefined) return DASH;
      if (s < 60) return `${num.format(Math.round(s))} s`;
      const m = Math.floor(s / 60);
      return `${num.format(m)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
    },
  };
}

/** Formatters for the current language, the tenant's currency and the tenant's time zone. */
export function useFormat(): Formatters {
  const { locale } = useI18n();
  const { me } = useSession();
  const currency = me?.tenant.currency ?? 'EGP';
  const timeZone = me?.tenant.timeZone ?? 'UTC';
  return useMemo(() => makeFormatters(locale, currency, timeZone), [locale, currency, timeZone]);
}
