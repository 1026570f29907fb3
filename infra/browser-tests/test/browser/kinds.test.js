// Message kinds, message_updated and conversation_merged (docs/MESSAGE-KINDS.md) in the inbox page, in a
// real Chromium against the running stack. The stack makes the conversations and their first messages
// (signed webhooks, read API); the events of the new contract are played into the page's socket by a
// Playwright WebSocket route standing in for a server that sends them, and read API answers carrying
// the new fields come from a Playwright request route — the same shapes the server side is to send.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { launch, eventually } from './browser.js';
import { stack, token, postWebhook, leadMessage, waitForStack, uniquePhone } from './stack.js';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

let browser;

before(async () => {
  await waitForStack();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const messageId = () => `TEST${crypto.randomBytes(8).toString('hex').toUpperCase()}`;

let sequence = 0;
/** An event id shaped like the server's cursors (epoch ms, '-', 10 characters), after every real one so far. */
function cursor() {
  sequence += 1;
  return `${String(Date.now()).padStart(13, '0')}-t${String(sequence).padStart(9, '0')}`;
}

function inboxUrl(jwt) {
  return `${stack.http}/?${new URLSearchParams({ ws: stack.ws, token: jwt })}`;
}

/** The page with its socket passing through a route, so a test can push frames as the server would. */
async function openInbox({ readApi = null } = {}) {
  const page = await browser.newPage();
  const route = { ws: null };
  await page.routeWebSocket((url) => url.href.startsWith(stack.ws), (ws) => {
    const server = ws.connectToServer();
    route.ws = ws;
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => ws.send(message));
  });
  if (readApi) await page.route((url) => url.pathname.startsWith('/api/conversations/') && url.pathname.endsWith('/messages'), readApi);
  await page.goto(inboxUrl(token()));
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 30_000 });
  const push = (frame) => route.ws.send(JSON.stringify({ id: cursor(), tenant_id: stack.tenant, ...frame }));
  return { page, push };
}

const conversationItem = (page, conversationId) => page.locator(`.conversation[data-conversation-id="${conversationId}"]`);
const bubble = (page, id) => page.locator(`#messages .message[data-message-id="${id}"]`);

/** A real conversation with one real message, opened in the page. */
async function openRealConversation(page, { name = 'Valentina Ríos', text = 'Hola, ¿tienen envío?' } = {}) {
  const phone = uniquePhone();
  const conversationId = phone.replace('+', '');
  const id = messageId();
  await postWebhook(leadMessage({ id, phone, name, text }));
  await conversationItem(page, conversationId).locator('button').click({ timeout: 30_000 });
  await bubble(page, id).waitFor({ timeout: 10_000 });
  return { phone, conversationId, firstId: id, name };
}

function newMessage(conversationId, message) {
  return {
    type: 'new_message', session_id: stack.sessionId, lead_id: conversationId, conversation_id: conversationId,
    message: { sender: 'lead', name: 'Valentina Ríos', phone: `+${conversationId}`, timestamp: new Date().toISOString(), status: 'received', ...message },
  };
}

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** One message of each kind, as the server is to push them (docs/MESSAGE-KINDS.md, section 1). */
function everyKind(firstId) {
  return {
    location: { id: messageId(), kind: 'location', content: `Oficina ${HOSTILE}`,
      location: { latitude: 4.6097, longitude: -74.0817, name: `Oficina ${HOSTILE}`, address: 'Cra. 7 #71-21, Bogotá', url: 'javascript:alert(1)', live: false } },
    live: { id: messageId(), kind: 'location', content: 'Live location',
      location: { latitude: '4.65"><script>', longitude: -74.05, live: true } },
    contacts: { id: messageId(), kind: 'contacts', content: 'Ana Gómez, Luis Mora',
      contacts: [{ name: 'Ana Gómez', phones: ['+57 300 123 4567'] }, { name: `Luis ${HOSTILE}`, phones: ['javascript:alert(1)', '+1 (415) 555-0100'], vcard_truncated: true }] },
    interactive: { id: messageId(), kind: 'interactive_reply', content: 'Sí, agendar cita',
      interactive: { type: 'button', id: 'btn-yes', title: 'Sí, agendar cita' } },
    quoted: { id: messageId(), kind: 'text', content: 'Y el precio?', quoted: { id: firstId, preview: 'Hola, ¿tienen envío?' } },
    quotedMissing: { id: messageId(), kind: 'text', content: 'Respondo a algo viejo', quoted: { id: 'NOT-LOADED' } },
    forwarded: { id: messageId(), kind: 'text', content: 'Mira esta promo', forwarded: true },
    voice: { id: messageId(), kind: 'voice', content: '🎤 Voice note',
      media: { type: 'audio', voice: true, mime_type: 'audio/ogg; codecs=opus', media_id: 'm1', available: true } },
    photoPending: { id: messageId(), kind: 'image', content: '📷 Photo', media: { type: 'image', available: false } },
    system: { id: messageId(), kind: 'system', content: 'Valentina changed their number',
      system: { type: 'customer_changed_number', body: 'Valentina changed their number to +573001112233', new_phone: '573001112233' } },
    unsupported: { id: messageId(), kind: 'unsupported', content: 'Unsupported message' },
    referral: { id: messageId(), kind: 'text', content: 'Quiero info del curso',
      referral: { source_type: 'ad', source_id: '1203', source_url: 'https://fb.me/abc123', headline: `Curso de inglés ${HOSTILE}`, body: '50% de descuento', media_type: 'image', ctwa_clid: 'ARA' } },
    badReferral: { id: messageId(), kind: 'text', content: 'Otro anuncio',
      referral: { source_type: 'ad', source_url: 'javascript:alert(document.cookie)', headline: 'Promo' } },
  };
}

test('every message kind is rendered readably, and untrusted text never becomes markup', async () => {
  const { page, push } = await openInbox();
  const { conversationId, firstId } = await openRealConversation(page);
  const kinds = everyKind(firstId);
  for (const message of Object.values(kinds)) push(newMessage(conversationId, message));
  await bubble(page, kinds.badReferral.id).waitFor({ timeout: 10_000 });

  // Location: a map link built from the numbers only, the name as text, the payload's url ignored.
  const location = bubble(page, kinds.location.id);
  const mapLink = location.locator('a.location-link');
  assert.equal(await mapLink.getAttribute('href'), 'https://www.google.com/maps?q=4.6097,-74.0817');
  assert.equal(await mapLink.getAttribute('rel'), 'noopener noreferrer');
  assert.equal((await mapLink.textContent()).trim(), `📍 Oficina ${HOSTILE}`);
  assert.equal(await location.locator('.location-address').textContent(), 'Cra. 7 #71-21, Bogotá');
  assert.equal(await location.locator('a[href^="javascript:"]').count(), 0);
  // A latitude that is no number gives no link; a live location says so.
  const live = bubble(page, kinds.live.id);
  assert.match(await live.locator('.live').textContent(), /Live location/);
  assert.equal(await live.locator('a').count(), 0);

  // Contact cards: names, and tel: links made of digits only.
  const contacts = bubble(page, kinds.contacts.id);
  assert.deepEqual(await contacts.locator('.contact-name').allTextContents(), ['👤 Ana Gómez', `👤 Luis ${HOSTILE}`]);
  const tels = await contacts.locator('a.contact-phone').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(tels, [['tel:+573001234567', '+57 300 123 4567'], ['tel:+14155550100', '+1 (415) 555-0100']]);
  assert.equal(await contacts.locator('span.contact-phone', { hasText: 'javascript:alert(1)' }).count(), 1, 'shown, not linked');
  assert.equal(await contacts.getByText('Card shortened').count(), 1);

  // Interactive reply: the chosen title.
  const interactive = bubble(page, kinds.interactive.id);
  assert.equal(await interactive.locator('.content').textContent(), 'Sí, agendar cita');
  assert.match(await interactive.locator('.interactive-label').textContent(), /Tapped a button/);

  // Quoted reply: a small block above the text; it leads to the quoted message when that is loaded.
  const quoted = bubble(page, kinds.quoted.id);
  assert.equal(await quoted.locator('button.quoted .quoted-preview').textContent(), 'Hola, ¿tienen envío?');
  assert.equal(await quoted.locator('button.quoted').evaluate((node) => node.nextElementSibling.classList.contains('content')), true);
  await quoted.locator('button.quoted').click();
  await eventually(() => page.evaluate((id) => document.activeElement?.closest('.message')?.dataset.messageId === id, firstId),
    { timeoutMs: 5_000, message: 'focus on the quoted message' });
  assert.equal(await bubble(page, kinds.quotedMissing.id).locator('blockquote.quoted').count(), 1, 'not loaded: no button');
  assert.equal(await bubble(page, kinds.quotedMissing.id).locator('button.quoted').count(), 0);

  assert.match(await bubble(page, kinds.forwarded.id).locator('.forwarded').textContent(), /Forwarded/);
  assert.match(await bubble(page, kinds.voice.id).locator('.media-label').textContent(), /Voice note/);
  assert.equal((await bubble(page, kinds.photoPending.id).locator('.media.unavailable').textContent()).trim(), '📷 Photo (not downloaded yet)');

  // System messages are centered, not a lead's bubble.
  const system = bubble(page, kinds.system.id);
  assert.equal(await system.getAttribute('class'), 'message system');
  assert.equal(await system.evaluate((node) => getComputedStyle(node).alignSelf), 'center');
  assert.equal(await system.locator('.content').textContent(), 'Valentina changed their number to +573001112233');

  assert.match(await bubble(page, kinds.unsupported.id).locator('.unsupported-label').textContent(), /Unsupported message/);

  // Referral: the ad's headline, and a link only for http(s).
  const referral = bubble(page, kinds.referral.id);
  assert.equal(await referral.locator('.referral-headline').textContent(), `Curso de inglés ${HOSTILE}`);
  assert.equal(await referral.locator('a.referral-link').getAttribute('href'), 'https://fb.me/abc123');
  assert.equal(await bubble(page, kinds.badReferral.id).locator('a').count(), 0);

  // Nothing a payload said turned into an element or ran.
  assert.equal(await page.locator('#messages img, #messages script').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('message_updated: reaction chips per sender, an edit replaces the text, a delete leaves an accessible label', async () => {
  const { page, push } = await openInbox();
  const { conversationId, firstId, name } = await openRealConversation(page);
  const update = (change) => push({ type: 'message_updated', session_id: stack.sessionId, conversation_id: conversationId,
    message_id: firstId, timestamp: new Date().toISOString(), ...change });
  const target = bubble(page, firstId);

  update({ change: 'reaction', reaction: { emoji: '👍', sender: 'lead' } });
  update({ change: 'reaction', reaction: { emoji: '❤️', sender: 'agent' } });
  await target.locator('.reaction[data-sender="agent"]').waitFor({ timeout: 10_000 });
  assert.deepEqual(await target.locator('.reactions .reaction').allTextContents(), [`👍 ${name}`, '❤️ You']);
  assert.equal(await target.locator('ul.reactions').getAttribute('aria-label'), 'Reactions');
  // A lead changing their reaction replaces it; an empty emoji removes it.
  update({ change: 'reaction', reaction: { emoji: '😂', sender: 'lead' } });
  await target.locator('.reaction[data-sender="lead"]', { hasText: '😂' }).waitFor({ timeout: 10_000 });
  update({ change: 'reaction', reaction: { emoji: null, sender: 'agent' } });
  await eventually(async () => (await target.locator('.reaction[data-sender="agent"]').count()) === 0, { timeoutMs: 10_000, message: 'reaction removed' });
  assert.equal(await target.locator('.reaction').count(), 1);

  update({ change: 'edit', content: `Hola, ¿hacen envíos a Cali? ${HOSTILE}` });
  await target.locator('.edited').waitFor({ timeout: 10_000 });
  assert.equal(await target.locator('.content').textContent(), `Hola, ¿hacen envíos a Cali? ${HOSTILE}`);
  assert.match(await target.locator('.meta').textContent(), /edited/);
  assert.equal(await target.locator('img').count(), 0);

  // A change pushed again (at least once) changes nothing; the new_message replayed does not undo the edit.
  push(newMessage(conversationId, { id: firstId, kind: 'text', content: 'Hola, ¿tienen envío?' }));
  await page.waitForTimeout(200);
  assert.equal(await target.locator('.content').textContent(), `Hola, ¿hacen envíos a Cali? ${HOSTILE}`);

  update({ change: 'delete' });
  await target.locator('.content.deleted').waitFor({ timeout: 10_000 });
  assert.equal((await target.locator('.content').textContent()).trim(), '🚫 This message was deleted');
  assert.equal(await target.locator('.content .icon').getAttribute('aria-hidden'), 'true', 'read as words, not an emoji name');
  assert.equal(await target.getByText('Cali').count(), 0, 'the old text is no longer shown');
  assert.equal(await page.locator('#messages .message').count(), 1, 'changes are no new bubbles');

  // A change that arrives before its message is applied when the message comes.
  const early = messageId();
  push({ type: 'message_updated', conversation_id: conversationId, message_id: early, change: 'reaction', reaction: { emoji: '🔥', sender: 'agent' } });
  push(newMessage(conversationId, { id: early, kind: 'text', content: 'llegó después' }));
  await bubble(page, early).locator('.reaction', { hasText: '🔥' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('messages from the read API carry the same fields and render through the same function', async () => {
  const phone = uniquePhone();
  const conversationId = phone.replace('+', '');
  const realId = messageId();
  const ids = { location: messageId(), reacted: messageId(), edited: messageId(), deleted: messageId(), contacts: messageId() };
  const at = (offset) => new Date(Date.now() - 60_000 + offset * 1000).toISOString();
  const extra = [
    { id: ids.location, sender: 'lead', timestamp: at(1), kind: 'location', content: 'Parque 93',
      location: { latitude: 4.6767, longitude: -74.0483, name: 'Parque 93', live: false } },
    { id: ids.reacted, sender: 'agent', timestamp: at(2), kind: 'text', content: 'Con gusto', status: 'read', reactions: { lead: '🙏' } },
    { id: ids.edited, sender: 'lead', timestamp: at(3), kind: 'text', content: 'Mañana a las 3', edited: true, editedAt: at(4) },
    { id: ids.deleted, sender: 'lead', timestamp: at(5), kind: 'text', content: 'texto retirado', deleted: true, deletedAt: at(6) },
    { id: ids.contacts, sender: 'lead', timestamp: at(7), kind: 'contacts', content: 'Ana', contacts: [{ name: 'Ana', phones: ['573001234567'] }] },
  ];
  const { page } = await openInbox({
    readApi: async (route, request) => {
      const response = await route.fetch();
      const body = await response.json();
      if (request.url().includes(encodeURIComponent(conversationId))) body.messages = [...extra.slice().reverse(), ...body.messages];
      await route.fulfill({ response, json: body });
    },
  });
  await postWebhook(leadMessage({ id: realId, phone, name: 'Mateo Ruiz', text: 'hola', at: Date.now() - 120_000 }));
  await conversationItem(page, conversationId).locator('button').click({ timeout: 30_000 });
  await bubble(page, ids.contacts).waitFor({ timeout: 10_000 });

  assert.equal(await bubble(page, ids.location).locator('a.location-link').getAttribute('href'), 'https://www.google.com/maps?q=4.6767,-74.0483');
  assert.equal(await bubble(page, ids.reacted).locator('.reaction').textContent(), '🙏 Mateo Ruiz');
  assert.match(await bubble(page, ids.edited).locator('.meta').textContent(), /edited/);
  assert.equal((await bubble(page, ids.deleted).locator('.content').textContent()).trim(), '🚫 This message was deleted');
  assert.equal(await page.getByText('texto retirado').count(), 0);
  assert.equal(await bubble(page, ids.contacts).locator('a.contact-phone').getAttribute('href'), 'tel:573001234567');
  assert.deepEqual(await page.locator('#messages .message').evaluateAll((nodes) => nodes.map((n) => n.dataset.messageId)),
    [realId, ids.location, ids.reacted, ids.edited, ids.deleted, ids.contacts], 'in time order');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('conversation_merged: the hidden-id conversation leaves the list and the open one becomes the phone conversation, reloaded', async () => {
  const { page, push } = await openInbox();
  // The phone conversation exists on the server, with a message the page has not loaded.
  const phone = uniquePhone();
  const into = phone.replace('+', '');
  const realId = messageId();
  await postWebhook(leadMessage({ id: realId, phone, name: 'Isabela Mora', text: 'mensaje con el número' }));
  await conversationItem(page, into).waitFor({ timeout: 30_000 });
  // The same person under a hidden id (@lid), open in the page.
  const from = `lid:${crypto.randomInt(1e9, 9e9)}`;
  const lidMessage = messageId();
  const lidRecord = { id: lidMessage, kind: 'text', content: 'mensaje desde el lid', sender: 'lead', name: 'Isabela', timestamp: new Date(Date.now() - 600_000).toISOString() };
  await page.route((url) => url.pathname === `/api/conversations/${encodeURIComponent(from)}/messages`,
    (route) => route.fulfill({ json: { messages: [lidRecord], next: null } }));
  push(newMessage(from, { ...lidRecord, phone: null }));
  await conversationItem(page, from).locator('button').click({ timeout: 10_000 });
  await bubble(page, lidMessage).waitFor({ timeout: 10_000 });
  // Its message is moved server-side: the read API of `into` has it now.
  await page.route((url) => url.pathname === `/api/conversations/${into}/messages`, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.messages = [...body.messages, lidRecord];
    await route.fulfill({ response, json: body });
  });

  push({ type: 'conversation_merged', from, into });
  await eventually(async () => (await conversationItem(page, from).count()) === 0, { timeoutMs: 10_000, message: 'the merged-away conversation gone' });
  await bubble(page, realId).waitFor({ timeout: 10_000 });
  assert.equal(await bubble(page, lidMessage).count(), 1, 'the moved message once, under the phone conversation');
  assert.equal(await page.evaluate(() => window.inbox.openId), into);
  assert.equal(await conversationItem(page, into).getAttribute('class'), 'conversation active');
  assert.match(await page.locator('#pane-header').textContent(), /Isabela Mora/);

  // The conversation_updated that follows updates the list item of `into`.
  const summary = await page.evaluate((id) => window.inbox.conversations.get(id), into);
  push({ type: 'conversation_updated', conversation_id: into, lead_id: into, name: 'Isabela Mora', phone,
    unread_count: 0, version: (summary.version ?? 0) + 10,
    last_message: { id: lidMessage, content: 'último tras la fusión', sender: 'lead', timestamp: new Date().toISOString() } });
  await conversationItem(page, into).locator('.preview', { hasText: 'último tras la fusión' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.conversation').evaluateAll((items, id) => items.filter((i) => i.dataset.conversationId === id).length, from), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a conversation the server no longer has (merged while the page missed it) leaves the list when opened', async () => {
  const { page, push } = await openInbox();
  const ghost = `lid:${crypto.randomInt(1e9, 9e9)}`;
  push(newMessage(ghost, { id: messageId(), kind: 'text', content: 'fantasma', phone: null }));
  await conversationItem(page, ghost).locator('button').click({ timeout: 10_000 });
  await eventually(async () => (await conversationItem(page, ghost).count()) === 0, { timeoutMs: 10_000, message: 'the ghost conversation gone' });
  await page.locator('#error', { hasText: 'merged' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.evaluate(() => window.inbox.openId), null);
  assert.match(await page.locator('#pane-header').textContent(), /Select a conversation/);
  await page.close();
});

test('axe-core finds no accessibility violations in the inbox with every kind, reactions and a deleted message', async () => {
  const { page, push } = await openInbox();
  const { conversationId, firstId } = await openRealConversation(page);
  const kinds = everyKind(firstId);
  for (const message of Object.values(kinds)) push(newMessage(conversationId, message));
  push(newMessage(conversationId, { id: 'AGENT1', sender: 'agent', kind: 'text', content: 'Claro que sí', status: 'delivered' }));
  push({ type: 'message_updated', conversation_id: conversationId, message_id: firstId, change: 'reaction', reaction: { emoji: '👍', sender: 'lead' } });
  push({ type: 'message_updated', conversation_id: conversationId, message_id: 'AGENT1', change: 'reaction', reaction: { emoji: '❤️', sender: 'lead' } });
  push({ type: 'message_updated', conversation_id: conversationId, message_id: kinds.forwarded.id, change: 'edit', content: 'Mira esta promo (editado)' });
  push({ type: 'message_updated', conversation_id: conversationId, message_id: kinds.unsupported.id, change: 'delete' });
  await bubble(page, kinds.unsupported.id).locator('.content.deleted').waitFor({ timeout: 10_000 });
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1_700))); // the highlight animation, if any, is over

  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  assert.deepEqual(violations, []);
  await page.screenshot({ path: new URL('../../artifacts/kinds.png', import.meta.url).pathname, fullPage: false }).catch(() => {});
  await page.close();
});
