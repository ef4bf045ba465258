/**
 * Writing JSON text directly. Search pages carry hundreds of deliveries; rendering them as strings instead of
 * building object graphs for JSON.stringify keeps the simulator several times faster than any client of it.
 */
import type { BostaAddress } from '../types.js';
import type { SimLocation } from './geography.js';
import { BOSTA_EGYPT_COUNTRY_ID } from '../codes.js';

// Quotes, backslashes, control characters and (lone) surrogates need escaping; everything else is copied.
// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point here.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal. */
export function q(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A JSON string literal, or `null`. */
export function qn(s: string | null | undefined): string {
  return s === null || s === undefined ? 'null' : q(s);
}

/** Object text from `[key, jsonText]` pairs; pairs whose value is undefined are left out. */
export function object(fields: ReadonlyArray<readonly [string, string | undefined]>): string {
  let out = '';
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    out += out === '' ? `"${key}":${value}` : `,"${key}":${value}`;
  }
  return `{${out}}`;
}

export const COUNTRY_JSON = `{"_id":"${BOSTA_EGYPT_COUNTRY_ID}","name":"Egypt","code":"EG"}`;

const locationFragments = new Map<string, string>();

/** `"country":…,"city":…,"zone":…,"district":…` of a district, memoised (the geography is fixed). */
export function locationFragment(loc: SimLocation): string {
  let text = locationFragments.get(loc.district._id);
  if (text === undefined) {
    const { city, zone, district } = loc;
    text =
      `"country":${COUNTRY_JSON},` +
      `"city":{"_id":${q(city._id)},"name":${q(city.name)},"nameAr":${q(city.nameAr)},"sector":${city.sector}},` +
      `"zone":{"_id":${q(zone._id)},"name":${q(zone.name)},"nameAr":${q(zone.nameAr)}},` +
      `"district":{"_id":${q(district._id)},"name":${q(district.name)},"nameAr":${q(district.nameAr)},"fmCode":${q(district.fmCode)}}`;
    locationFragments.set(loc.district._id, text);
  }
  return text;
}

/** Any stored address object (created deliveries, PUT patches). */
export function addressJson(address: BostaAddress | null | undefined): string {
  return address ? JSON.stringify(address) : 'null';
}

/** Where rendered JSON pieces go: an array of strings, or a growing UTF-8 buffer. */
export interface TextSink {
  push(text: string): unknown;
}

type Utf8Writable = Buffer & { utf8Write(text: string, offset: number): number };

/**
 * Collects JSON pieces straight into UTF-8 bytes. Cheaper than joining strings (no rope flattening, no second
 * encoding when the socket writes the answer).
 */
export class Utf8Sink implements TextSink {
  private buffer: Buffer;
  private length = 0;

  constructor(initialBytes = 1 << 20) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  push(text: string): void {
    const worst = text.length * 3;
    if (this.length + worst > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + worst));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    // utf8Write skips Buffer#write's argument juggling, which dominates for many small pieces.
    this.length += (this.buffer as Utf8Writable).utf8Write(text, this.length);
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
