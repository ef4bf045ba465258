import { describe, expect, it } from 'vitest';
import { toE164, toNational } from '../phone.js';

describe('phone numbers to E.164', () => {
  it('reads every common Egyptian form as the same number', () => {
    for (const form of [
      '01001234567',
      '+201001234567',
      '201001234567',
      '00201001234567',
      '+20 100 123 4567',
      '(010) 0123-4567',
    ]) {
      expect(toE164(form, 'EG'), form).toBe('+201001234567');
    }
    expect(toNational('+201001234567')).toBe('01001234567');
  });

  it('refuses what is not a phone number, and keeps refusing it on the second ask', () => {
    for (const bad of ['', '   ', 'abc', '123', null, undefined]) {
      expect(toE164(bad, 'EG')).toBeNull();
      expect(toE164(bad, 'EG')).toBeNull();
    }
  });

  it('answers a national form by the country asked for, whichever country asked first', () => {
    expect(toE164('89161234567', 'RU')).toBe('+79161234567');
    expect(toE164('89161234567', 'EG')).not.toBe('+79161234567');
    expect(toE164('01001234567', 'RU')).not.toBe('+201001234567');
    expect(toE164('01001234567', 'EG')).toBe('+201001234567');
    expect(toE164(201001234567, 'EG')).toBe('+201001234567');
  });

  it('stays right after more distinct numbers than it keeps answers for', () => {
    for (let i = 0; i < 12_000; i++) {
      const national = `010${String(i).padStart(8, '0')}`;
      expect(toE164(national, 'EG')).toBe(`+20${national.slice(1)}`);
    }
    expect(toE164('01001234567', 'EG')).toBe('+201001234567');
    expect(toE164('89161234567', 'RU')).toBe('+79161234567');
  });
});
