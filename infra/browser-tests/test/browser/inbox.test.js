// The inbox page in a real Chromium against a running stack: see ../../README section "Browser tests".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, eventually } from './browser.js';
import { stack, token, postWebhook, leadMessage, dropConnection, waitForStack, uniquePhone } from './stack.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = process.env.ARTIFACTS_DIR || path.join(here, '..', '..', 'artifacts');

let browser;

// Deadlines, not latency targets: on a loaded CI machine a first webhook on a fresh stack takes seconds
// (JVM warm-up). What a test asserts is that something happens; how fast is printed, never asserted.
const DEADLINE_MS = 30_000;

before(async () => {
  await waitForStack();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

function inboxUrl(jwt) {
  const query = new URLSearchParams({ ws: stack.ws, token: jwt });
  return `${stack.http}/?${query}`;
}

async function openInbox(jwt = token()) {
  const page = await browser.newPage();
  await page.goto(inboxUrl(jwt));
  await page.waitForSelector('#connection[data-state="open"]', { timeout: DEADLINE_MS });
  return page;
}

const messageId = () => `TEST${crypto.randomBytes(8).toString('hex').toUpperCase()}`;

function conversationItem(page, phone) {
  return page.locator(`.conversation[data-conversation-id="${phone.replace('+', '')}"]`);
}

async function paneTexts(page) {
  return page.locator('#messages .message .content').allTextContents();
}

/** The socket's own connection id, from the `status` route. */
async function connectionId(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const off = window.inbox.client.on('status', (status) => { off(); resolve(status.connection_id); });
    if (!window.inbox.client.send({ type: 'status' })) reject(new Error('socket not open'));
  }));
}

test('the inbox page loads, connects and shows its live status', async () => {
  const page = await openInbox();
  // "(n) " in front while the stack holds unread conversations (earlier tests leave some).
  assert.match(await page.title(), /^(\(\d+\) )?Inbox · inbox-relay$/);
  assert.equal(await page.locator('#connection .label').textContent(), 'Live');
  assert.equal(await page.locator('#token-prompt').isHidden(), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a signed webhook posted to the stack shows up in the open page', async (t) => {
  const page = await openInbox();
  const phone = uniquePhone();
  const text = `¿Tienen envío a Medellín? ${crypto.randomBytes(3).toString('hex')}`;

  const started = Date.now();
  await postWebhook(leadMessage({ id: messageId(), phone, name: 'Valentina Ríos', text }));
  await conversationItem(page, phone).locator('.preview', { hasText: text }).waitFor({ timeout: DEADLINE_MS });
  t.diagnostic(`webhook to page: shown after ${Date.now() - started} ms`);

  assert.equal(await conversationItem(page, phone).locator('.badge').textContent(), '1');
  assert.equal(await page.locator('.conversation').first().getAttribute('data-conversation-id'), phone.replace('+', ''),
    'the newest conversation is on top');

  // Opening it shows the message and marks it read, here and on the server.
  await conversationItem(page, phone).locator('button').click();
  await page.locator('#messages .message .content', { hasText: text }).waitFor();
  await eventually(async () => (await conversationItem(page, phone).locator('.badge').count()) === 0, { message: 'badge cleared' });
  // The badge clears optimistically; the server's count follows when the POST lands.
  await eventually(async () => {
    const list = await (await fetch(`${stack.http}/api/conversations`, { headers: { Authorization: `Bearer ${token()}` } })).json();
    return list.conversations.find((c) => c.conversation_id === phone.replace('+', ''))?.unread_count === 0;
  }, { message: 'unread count 0 on the server' });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a second open browser clears its badge when the first one reads the conversation', async () => {
  const reader = await openInbox();
  const watcher = await openInbox();
  const phone = uniquePhone();
  await postWebhook(leadMessage({ id: messageId(), phone, name: 'Tomás Pérez', text: 'Hola, ¿siguen abiertos?' }));
  await conversationItem(watcher, phone).locator('.badge', { hasText: '1' }).waitFor({ timeout: DEADLINE_MS });

  await conversationItem(reader, phone).locator('button').click();

  await eventually(async () => (await conversationItem(watcher, phone).locator('.badge').count()) === 0,
    { timeoutMs: DEADLINE_MS, message: 'the other browser to clear the badge' });
  await reader.close();
  await watcher.close();
});

test('socket cut while messages keep arriving: after reconnect every one is shown exactly once and in order', async () => {
  const page = await openInbox();
  const phone = uniquePhone();
  const name = 'Camila Duarte';
  const base = Date.now();
  const texts = Array.from({ length: 12 }, (_, i) => `mensaje ${String(i + 1).padStart(2, '0')}`);
  const send = (i) => postWebhook(leadMessage({ id: messageId(), phone, name, text: texts[i], at: base + i * 1000 }));

  await send(0);
  await conversationItem(page, phone).locator('button').click({ timeout: DEADLINE_MS });
  await page.locator('#messages .message').first().waitFor();
  const states = [];
  await page.exposeFunction('recordState', (state) => states.push(state));
  await page.evaluate(() => {
    window.inbox.client.on('state', ({ state }) => window.recordState(state));
    // No reconnect until the test says so, so the next messages surely land while the socket is down
    // however long posting them takes (a fixed gap would make this a race with the machine's load).
    window.inbox.client.options.backoffBaseMs = 3_600_000;
    window.inbox.client.options.backoffMaxMs = 3_600_000;
    window.inbox.client.random = () => 0.5;
  });

  for (let i = 1; i < 4; i += 1) await send(i);
  await dropConnection(await connectionId(page));
  await page.waitForSelector('#connection[data-state="reconnecting"]', { timeout: DEADLINE_MS });
  for (let i = 4; i < 9; i += 1) await send(i);
  assert.equal(await page.locator('#connection').getAttribute('data-state'), 'reconnecting', 'still down while they arrived');
  // The backoff wait ends now: the same reconnect the timer would have made.
  await page.evaluate(() => window.inbox.client.open('reconnecting'));
  await page.waitForSelector('#connection[data-state="open"]', { timeout: DEADLINE_MS });
  for (let i = 9; i < 12; i += 1) await send(i);

  await eventually(async () => (await paneTexts(page)).length >= texts.length, { timeoutMs: DEADLINE_MS, message: 'all 12 messages' });
  assert.deepEqual(await paneTexts(page), texts, 'each exactly once, in order');
  assert.ok(states.includes('reconnecting') && states.at(-1) === 'open', `states: ${states.join(' → ')}`);
  assert.deepEqual(page.errors, []);

  // The README's picture: a few leads, one conversation open, live.
  for (const [lead, leadText] of [['Andrés Gómez', '¿El plan mensual incluye soporte?'], ['Lucía Fernández', 'Perfecto, quedo atenta 🙌']]) {
    await postWebhook(leadMessage({ id: messageId(), phone: uniquePhone(), name: lead, text: leadText }));
  }
  await eventually(async () => (await page.locator('.conversation').count()) >= 3, { message: 'three conversations' });
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'inbox.png') });
  await page.close();
});

/**
 * Opens the inbox with its socket passing through `onServerFrame(frame, toPage)` and
 * `onPageFrame(frame, toServer, toPage)`, so a test can play the part of a server on resume v2.
 */
async function openInboxThrough({ onServerFrame = (frame, toPage) => toPage(frame), onPageFrame = (frame, toServer) => toServer(frame) } = {}) {
  const page = await browser.newPage();
  const route = { page: null };
  await page.routeWebSocket((url) => url.href.startsWith(stack.ws), (ws) => {
    const server = ws.connectToServer();
    route.page = ws;
    const toPage = (frame) => ws.send(JSON.stringify(frame));
    const toServer = (frame) => server.send(JSON.stringify(frame));
    ws.onMessage((message) => onPageFrame(JSON.parse(message), toServer, toPage));
    server.onMessage((message) => onServerFrame(JSON.parse(message), toPage));
  });
  await page.goto(inboxUrl(token()));
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 10_000 });
  return { page, route };
}

test('a long message pushed as a preview offers "Show full message", which loads the full text from the read API', async () => {
  const PREVIEW = 4096;
  // A server on resume v2 cuts long text itself; an older one sends it whole, so the route cuts it.
  const { page } = await openInboxThrough({
    onServerFrame: (frame, toPage) => {
      const content = frame.type === 'new_message' ? frame.message?.content : null;
      if (typeof content === 'string' && content.length > PREVIEW && !frame.message.truncated) {
        frame.message = { ...frame.message, content: content.slice(0, PREVIEW), truncated: true };
      }
      toPage(frame);
    },
  });
  const phone = uniquePhone();
  const name = 'Mariana Ortiz';
  await postWebhook(leadMessage({ id: messageId(), phone, name, text: 'Hola, les paso el detalle del pedido' }));
  await conversationItem(page, phone).locator('button').click({ timeout: 5_000 });
  await page.locator('#messages .message').first().waitFor();

  const long = Array.from({ length: 150 }, (_, i) => `Línea ${String(i + 1).padStart(3, '0')}: 2 cajas de café, envío a Bogotá.`).join('\n');
  assert.ok(long.length > PREVIEW + 1_000);
  await postWebhook(leadMessage({ id: messageId(), phone, name, text: long }));
  const showFull = page.getByRole('button', { name: 'Show full message' });
  await showFull.waitFor({ timeout: 5_000 });
  const bubble = page.locator('#messages .message.truncated');
  assert.equal(await bubble.locator('.content').textContent(), long.slice(0, PREVIEW), 'the preview first');

  await showFull.focus();
  await page.keyboard.press('Enter');
  await eventually(async () => (await paneTexts(page)).includes(long), { timeoutMs: 5_000, message: 'the full text in the bubble' });
  assert.equal(await page.getByRole('button', { name: 'Show full message' }).count(), 0);
  assert.equal(await page.locator('#messages .message').count(), 2, 'the bubble is replaced, not added');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent.length), long.length,
    'keyboard focus moves to the text it revealed');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a pushed resync_required (delivery_failed) makes the page reload what it missed through the read API', async () => {
  const phone = uniquePhone();
  const dropped = [];
  // The server "could not deliver" this conversation's events, and says so with a marker.
  const { page, route } = await openInboxThrough({
    onServerFrame: (frame, toPage) => {
      if (frame.conversation_id === phone.replace('+', '')) dropped.push(frame);
      else toPage(frame);
    },
  });
  const text = `¿Me confirman la cita? ${crypto.randomBytes(3).toString('hex')}`;
  await postWebhook(leadMessage({ id: messageId(), phone, name: 'Sofía Castro', text }));
  await eventually(() => dropped.length >= 2, { timeoutMs: 5_000, message: 'the events that were not delivered' });
  assert.equal(await conversationItem(page, phone).count(), 0, 'not shown: its events never reached the page');

  const last = dropped.map((frame) => frame.id).sort().at(-1);
  route.page.send(JSON.stringify({ type: 'resync_required', id: `${last.slice(0, 13)}-zzzzzzzzzz`, tenant_id: stack.tenant, reason: 'delivery_failed' }));

  await conversationItem(page, phone).locator('.preview', { hasText: text }).waitFor({ timeout: 5_000 });
  assert.equal(await conversationItem(page, phone).locator('.badge').textContent(), '1');
  assert.equal(await page.locator('#connection').getAttribute('data-state'), 'open');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('resync_required answering a resume: the page reloads the list and the open conversation', async () => {
  const phone = uniquePhone();
  const name = 'Julián Herrera';
  const state = { answerResumeWithResync: false, lastId: null };
  const { page } = await openInboxThrough({
    onServerFrame: (frame, toPage) => {
      if (typeof frame.id === 'string' && (!state.lastId || frame.id > state.lastId)) state.lastId = frame.id;
      toPage(frame);
    },
    onPageFrame: (frame, toServer, toPage) => {
      // The gap is "too old to replay": the server answers with resync_required and its cursor.
      if (frame.type === 'resume' && state.answerResumeWithResync) {
        toPage({ type: 'resync_required', reason: 'cursor_expired', cursor: state.lastId });
      } else {
        toServer(frame);
      }
    },
  });
  await postWebhook(leadMessage({ id: messageId(), phone, name, text: 'primero' }));
  await conversationItem(page, phone).locator('button').click({ timeout: 5_000 });
  await page.locator('#messages .message .content', { hasText: 'primero' }).waitFor();
  await page.evaluate(() => {
    window.inbox.client.options.backoffBaseMs = 3_000;
    window.inbox.client.random = () => 0.5;
  });

  state.answerResumeWithResync = true;
  await dropConnection(await connectionId(page));
  await page.waitForSelector('#connection[data-state="reconnecting"]', { timeout: 5_000 });
  await postWebhook(leadMessage({ id: messageId(), phone, name, text: 'segundo, mientras estaba desconectado' }));
  await page.waitForSelector('#connection[data-state="open"]', { timeout: 10_000 });

  await eventually(async () => (await paneTexts(page)).length === 2, { timeoutMs: 5_000, message: 'the message missed while down' });
  assert.deepEqual(await paneTexts(page), ['primero', 'segundo, mientras estaba desconectado']);
  assert.ok(await page.evaluate(() => window.inbox.resyncs) >= 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an expired token makes the page ask for a new one, and a fresh token connects it', async () => {
  const page = await browser.newPage();
  await page.goto(inboxUrl(token({ expiresInSeconds: -3600 })));

  await page.locator('#token-prompt').waitFor({ state: 'visible', timeout: DEADLINE_MS });
  assert.match(await page.locator('#token-reason').textContent(), /expired/i);
  assert.equal(await page.locator('#connection').getAttribute('data-state'), 'closed');

  await page.fill('#token-input', token());
  await page.click('#token-form button[type="submit"]');
  await page.waitForSelector('#connection[data-state="open"]', { timeout: DEADLINE_MS });
  assert.equal(await page.locator('#token-prompt').isHidden(), true);
  await page.close();
});

test('a token that expires while the page is open leads to a prompt when the link next drops, not a retry loop', async () => {
  // Long enough for the page to connect on a loaded machine before the token expires
  const page = await openInbox(token({ expiresInSeconds: 10 }));
  const id = await connectionId(page);
  await eventually(() => page.evaluate(() => {
    const exp = JSON.parse(atob(window.inbox.client.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp;
    return exp * 1000 < Date.now();
  }), { timeoutMs: DEADLINE_MS, message: 'the token to expire' });

  // The server closes a socket past its token's exp itself (token_expired, at the next ping): gone already is fine.
  await dropConnection(id).catch((error) => { if (!/ 410$/.test(error.message)) throw error; });

  await page.locator('#token-prompt').waitFor({ state: 'visible', timeout: DEADLINE_MS });
  assert.equal(await page.locator('#connection').getAttribute('data-state'), 'closed');
  await page.close();
});
