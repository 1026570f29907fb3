import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseWhatsApp, formatPhone, dayLabel, listTime, groupLabel, urlSpans,
} from '../../../src/main/resources/web/format.js';

const flat = (nodes) => nodes.map((n) => (n.type === 'text' ? n.text : n.type === 'link' ? `[${n.text}](${n.href})`
  : n.type === 'mono' ? `<mono>${n.text}</mono>` : `<${n.type}>${flat(n.children)}</${n.type}>`)).join('');

test('WhatsApp markers become bold, italic, strike and monospace', () => {
  assert.equal(flat(parseWhatsApp('hola *mundo* y _tú_ ~no~')), 'hola <bold>mundo</bold> y <italic>tú</italic> <strike>no</strike>');
  assert.equal(flat(parseWhatsApp('```const a = *b*;```')), '<mono>const a = *b*;</mono>');
  assert.equal(flat(parseWhatsApp('*negrita _y cursiva_*')), '<bold>negrita <italic>y cursiva</italic></bold>');
});

test('markers that WhatsApp does not format stay as written', () => {
  for (const text of ['2 * 3 * 4', 'a*b*c', 'snake_case_name', '* not bold*', '*not bold *', '**', 'price ~ 5 ~ 6']) {
    assert.equal(flat(parseWhatsApp(text)), text, text);
  }
});

test('http(s) URLs become links without trailing punctuation; other schemes stay text', () => {
  assert.equal(flat(parseWhatsApp('mira https://ejemplo.test/a_b_c?x=1.')), 'mira [https://ejemplo.test/a_b_c?x=1](https://ejemplo.test/a_b_c?x=1).');
  assert.equal(flat(parseWhatsApp('javascript:alert(1) data:text/html,x')), 'javascript:alert(1) data:text/html,x');
  assert.equal(flat(parseWhatsApp('*ver http://a.test/x_y*')), '<bold>ver [http://a.test/x_y](http://a.test/x_y)</bold>');
  assert.deepEqual(urlSpans('(https://a.test/b)'), [[1, 17]]);
});

test('markup in the text is text: the tree has no raw HTML anywhere', () => {
  const nodes = parseWhatsApp('<img src=x onerror=alert(1)> *<b>*');
  assert.equal(flat(nodes), '<img src=x onerror=alert(1)> <bold><b></bold>');
  assert.equal(nodes[0].type, 'text');
});

test('phone numbers are grouped by country', () => {
  assert.equal(formatPhone('+573001234567'), '+57 300 123 4567');
  assert.equal(formatPhone('5511987654321'), '+55 11 98765 4321');
  assert.equal(formatPhone('+14155550100'), '+1 415 555 0100');
  assert.equal(formatPhone('+34612345678'), '+34 612 345 678');
  assert.equal(formatPhone('Ana'), 'Ana');
  assert.equal(formatPhone(''), '');
});

test('day labels and list times carry the year when it is not this week', () => {
  const now = new Date(2026, 11, 1, 12, 0);
  assert.equal(dayLabel(new Date(2026, 11, 1, 8, 0).toISOString(), now), 'Today');
  assert.equal(dayLabel(new Date(2026, 10, 30, 23, 0).toISOString(), now), 'Yesterday');
  assert.match(dayLabel(new Date(2025, 10, 22, 9, 0).toISOString(), now, 'en-GB'), /22 November 2025/);
  assert.match(listTime(new Date(2025, 10, 22, 9, 0).toISOString(), now, 'en-GB'), /2025/);
  assert.equal(listTime(new Date(2026, 10, 30, 9, 0).toISOString(), now), 'Yesterday');
});

test('a group without a name is labelled by the end of its id', () => {
  assert.equal(groupLabel('group:120363041234567890'), 'Group …567890');
});
