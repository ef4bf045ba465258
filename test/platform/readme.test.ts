import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/platform/auth/permissions.js';
import { TRANSITIONS } from '../../src/modules/service/transitions.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README stays true', () => {
  it('names every permission of the table in its roles section', () => {
    const missing = Object.keys(PERMISSIONS).filter((p) => !readme.includes(`\`${p}\``));
    expect(missing).toEqual([]);
  });

  it('shows both commands and the API docs location', () => {
    for (const s of ['npm start', 'npm test', '/docs', '.env.example']) expect(readme).toContain(s);
  });

  it('draws every status of the service cycle', () => {
    const statuses = new Set(TRANSITIONS.flatMap((t) => [...t.from, t.to]));
    for (const s of statuses) expect(readme, s).toContain(s);
  });
});
