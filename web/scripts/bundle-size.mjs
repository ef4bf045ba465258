#!/usr/bin/env node
// The gzipped size of the JavaScript a first visit loads: what `web/dist/index.html` names (the entry script and
// every module it preloads), and, followed through Vite's manifest, the landing page (the dashboard at `/`) with
// the chunks it imports statically (its lazily loaded charts are not counted). Stylesheets are reported apart.
// Exits 1 when either is over the budget (350 KB gzipped by default; `--budget-kb N` to change it).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const budgetArg = process.argv.indexOf('--budget-kb');
const budgetKb = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 350;
const json = process.argv.includes('--json');

/** Sizes of the initial assets named by index.html. */
export function measure(distDir = dist) {
  const indexFile = join(distDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} is missing: build the dashboard first (npm run build)`);
  const html = readFileSync(indexFile, 'utf8');
  const attr = (tag, name) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const js = new Set();
  const css = new Set();
  for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) {
    const src = attr(tag, 'src');
    if (src && /type="module"/.test(tag)) js.add(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const rel = attr(tag, 'rel');
    const href = attr(tag, 'href');
    if (!href) continue;
    if (rel === 'modulepreload') js.add(href);
    if (rel === 'stylesheet') css.add(href);
  }
  const size = (href) => {
    const buf = readFileSync(join(distDir, href.replace(/^\//, '')));
    return { file: href, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
  };
  const scripts = [...js].map(size);
  const styles = [...css].map(size);
  const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
  const landing = landingChunks(distDir, new Set(scripts.map((f) => f.file.replace(/^\//, ''))));
  const landingScripts = [...landing].map((f) => size(`/${f}`));
  return {
    scripts,
    styles,
    jsGzip: sum(scripts, 'gzip'),
    jsRaw: sum(scripts, 'raw'),
    cssGzip: sum(styles, 'gzip'),
    landingScripts,
    landingGzip: sum(scripts, 'gzip') + sum(landingScripts, 'gzip'),
  };
}

/** The landing page's own chunks (beyond the initial ones): its module and its static imports, transitively. */
function landingChunks(distDir, initial) {
  const manifestFile = join(distDir, '.vite', 'manifest.json');
  const out = new Set();
  if (!existsSync(manifestFile)) return out;
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  const key = Object.keys(manifest).find((k) => /pages\/DashboardPage\.tsx$/.test(k));
  const visit = (k) => {
    const entry = manifest[k];
    if (!entry || initial.has(entry.file) || out.has(entry.file)) return;
    out.add(entry.file);
    for (const i of entry.imports ?? []) visit(i);
  };
  if (key) visit(key);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  try {
    const m = measure();
    const over = m.jsGzip > budgetKb * 1024 || m.landingGzip > budgetKb * 1024;
    if (json) console.log(JSON.stringify({ ...m, budgetKb, over }));
    else {
      for (const f of [...m.scripts, ...m.styles])
        console.log(`${f.file.padEnd(48)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)} gz`);
      console.log(`first-load JavaScript: ${kb(m.jsGzip)} gzipped (${kb(m.jsRaw)} raw); budget ${budgetKb} KB`);
      console.log(`with the landing page (dashboard, charts excluded): ${kb(m.landingGzip)} gzipped`);
      console.log(`first-load CSS: ${kb(m.cssGzip)} gzipped`);
      if (over) console.error(`over the ${budgetKb} KB budget`);
    }
    process.exit(over ? 1 : 0);
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
}
