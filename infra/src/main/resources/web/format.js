// Text, phone numbers and times as an agent reads them. Pure functions (no DOM), so node's test runner
// checks them; the page turns parseWhatsApp's tree into DOM nodes with textContent only.

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence more often than a URL: "see https://x.test/a." links without the dot.
const URL_TRAILING = /[.,;:!?*_~)\]}'"»”’]+$/;

// WhatsApp's markers: the opening one at the start or after a space/punctuation and followed by a
// non-space; the closing one after a non-space and followed by the end, a space or punctuation.
const MARKERS = [
  ['bold', '*'],
  ['italic', '_'],
  ['strike', '~'],
].map(([type, mark]) => {
  const m = mark === '*' ? '\\*' : mark; // outside a class; inside one the mark needs no escape
  return { type, regex: new RegExp(`(^|[\\s\\p{P}\\p{S}])${m}(?=[^\\s${mark}])([^${mark}\\n]*?[^\\s${mark}])${m}(?=$|[\\s\\p{P}\\p{S}])`, 'gu') };
});

/** [start, end) spans of http(s) URLs in text, trailing punctuation left out. */
export function urlSpans(text) {
  const spans = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(URL_TRAILING, '');
    if (url.length > 'https://'.length - 1) spans.push([match.index, match.index + url.length]);
  }
  return spans;
}

const inside = (spans, position) => spans.some(([start, end]) => position >= start && position < end);

/** Text with links: [{type:'text', text} | {type:'link', href, text}]. Only http(s) URLs become links. */
function linkify(text) {
  const nodes = [];
  let at = 0;
  for (const [start, end] of urlSpans(text)) {
    if (start > at) nodes.push({ type: 'text', text: text.slice(at, start) });
    const href = text.slice(start, end);
    let valid = null;
    try {
      const url = new URL(href);
      if (url.protocol === 'https:' || url.protocol === 'http:') valid = url.href;
    } catch {
      valid = null;
    }
    nodes.push(valid ? { type: 'link', href: valid, text: href } : { type: 'text', text: href });
    at = end;
  }
  if (at < text.length) nodes.push({ type: 'text', text: text.slice(at) });
  return nodes;
}

function inline(text, depth = 0) {
  if (!text) return [];
  if (depth > 6) return linkify(text);
  const spans = urlSpans(text);
  let best = null;
  for (const { type, regex } of MARKERS) {
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      const open = match.index + match[1].length;
      const close = open + 1 + match[2].length;
      if (inside(spans, open) || inside(spans, close)) {
        regex.lastIndex = open + 1;
        continue;
      }
      if (!best || open < best.open) best = { type, open, close, inner: match[2] };
      break;
    }
  }
  if (!best) return linkify(text);
  return [
    ...linkify(text.slice(0, best.open)),
    { type: best.type, children: inline(best.inner, depth + 1) },
    ...inline(text.slice(best.close + 1), depth),
  ];
}

/**
 * WhatsApp formatting as a tree: ```monospace``` (as written, no formatting inside), *bold*, _italic_,
 * ~strike~ (nestable), and http(s) URLs as links. Everything else is text.
 */
export function parseWhatsApp(text) {
  if (typeof text !== 'string' || !text) return [];
  const nodes = [];
  let at = 0;
  const mono = /```([\s\S]+?)```/g;
  for (const match of text.matchAll(mono)) {
    nodes.push(...inline(text.slice(at, match.index)));
    nodes.push({ type: 'mono', text: match[1] });
    at = match.index + match[0].length;
  }
  nodes.push(...inline(text.slice(at)));
  return nodes;
}

/** The text an agent reads in a one-line preview: the markers gone, the words kept. */
export function plainWhatsApp(text) {
  const flat = (nodes) => nodes.map((node) => (node.children ? flat(node.children) : node.text)).join('');
  return typeof text === 'string' ? flat(parseWhatsApp(text)) : '';
}

// Country calling codes of one and two digits (ITU E.164); anything else is taken as three digits.
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]);

function groups(digits, sizes) {
  const out = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    out.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) out[out.length - 1] += digits.slice(at);
  return out.join(' ');
}

function national(code, rest) {
  if (code === '1' && rest.length === 10) return groups(rest, [3, 3, 4]);
  if (code === '55' && (rest.length === 10 || rest.length === 11)) return groups(rest, [2, rest.length - 6, 4]);
  if (code === '44' && rest.length === 10) return groups(rest, [4, 6]);
  switch (rest.length) {
    case 10: return groups(rest, [3, 3, 4]);
    case 9: return groups(rest, [3, 3, 3]);
    case 8: return groups(rest, [4, 4]);
    case 11: return groups(rest, [3, 4, 4]);
    default: return rest.length > 4 ? groups(rest, [3, 3, 3, 3]) : rest;
  }
}

/** "+573001234567" or "573001234567" → "+57 300 123 4567"; anything that is not a phone comes back as given. */
export function formatPhone(value) {
  if (typeof value !== 'string') return '';
  const trimmed = value.trim();
  if (!/^\+?[\d\s().-]{7,20}$/.test(trimmed)) return trimmed;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return trimmed;
  const code = digits[0] === '1' || digits[0] === '7' ? digits[0]
    : TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
  return `+${code} ${national(code, digits.slice(code.length))}`;
}

/** A group's id without its "group:" prefix and JID domain. */
export function groupLabel(conversationId) {
  const id = String(conversationId || '').replace(/^group:/, '').replace(/@g\.us$/, '');
  return id.length > 8 ? `Group …${id.slice(-6)}` : `Group ${id}`;
}

// ------------------------------------------------------------------ times

const DAY_MS = 86_400_000;

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

function toDate(value) {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Today", "Yesterday", "Monday", or "Monday, 23 November 2025": the day separators of a conversation. */
export function dayLabel(value, now = new Date(), locale = undefined) {
  const date = toDate(value);
  if (!date) return '';
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return date.toLocaleDateString(locale, { weekday: 'long' });
  return date.toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** The calendar day of a time, as a key for grouping. */
export function dayKey(value) {
  const date = toDate(value);
  return date ? `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}` : '';
}

/** A bubble's time: "14:05". */
export function clockTime(value, locale = undefined) {
  const date = toDate(value);
  return date ? date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }) : '';
}

/** Full date and time for a tooltip or a screen reader: "Monday, 23 November 2025 at 14:05". */
export function fullTimestamp(value, locale = undefined) {
  const date = toDate(value);
  return date ? date.toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short' }) : '';
}

/** The list's time: today "14:05", "Yesterday", a weekday within a week, else a date with its year. */
export function listTime(value, now = new Date(), locale = undefined) {
  const date = toDate(value);
  if (!date) return '';
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (days === 0) return clockTime(date, locale);
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return date.toLocaleDateString(locale, { weekday: 'short' });
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** ISO string for a <time datetime>. */
export function isoOf(value) {
  const date = toDate(value);
  return date ? date.toISOString() : '';
}
