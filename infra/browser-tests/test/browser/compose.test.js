// Replying from the inbox page (issue 14, contract G) in a real Chromium against the local stack, whose
// demo session is wired to the gateway simulator: the send API, the outbox and sender, the simulator's
// echo and receipts, and the media proxy are the real ones. The states no stack can be made to show at
// will (a media file too large, a proxy failing, a session without credentials) come from Playwright
// request routes answering with the contract's shapes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { launch, eventually } from './browser.js';
import { stack, token, postWebhook, leadMessage, waitForStack, uniquePhone } from './stack.js';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const DEADLINE_MS = 30_000;

let browser;

/** A 1×1 PNG: a photo's bytes, served to the simulator or answered for the proxy. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

before(async () => {
  await waitForStack();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const messageId = () => `TEST${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
const conversationItem = (page, conversationId) => page.locator(`.conversation[data-conversation-id="${conversationId}"]`);
const bubble = (page, id) => page.locator(`#messages .message[data-message-id="${id}"]`);
const sentBubbles = (page, text) => page.locator('#messages .message.outgoing', { has: page.locator('.content', { hasText: text }) });

async function openInbox({ routes = null } = {}) {
  const page = await browser.newPage();
  if (routes) await routes(page);
  // The socket passes through a route, so a test can also push a frame as the server would.
  await page.routeWebSocket((url) => url.href.startsWith(stack.ws), (ws) => {
    const server = ws.connectToServer();
    page.socket = ws;
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => ws.send(message));
  });
  await page.goto(`${stack.http}/?${new URLSearchParams({ ws: stack.ws, token: token() })}`);
  await page.waitForSelector('#connection[data-state="open"]', { timeout: DEADLINE_MS });
  return page;
}

let sequence = 0;
/** Pushes an event into the page's socket, with an id after every real one so far. */
function push(page, frame) {
  sequence += 1;
  page.socket.send(JSON.stringify({ id: `${String(Date.now()).padStart(13, '0')}-c${String(sequence).padStart(9, '0')}`, tenant_id: stack.tenant, ...frame }));
}

/** A lead writes in (a signed webhook); the page opens that conversation. */
async function leadConversation(page, { phone = uniquePhone(), name = 'Valentina Ríos', text = `Hola, ¿tienen envío? ${crypto.randomBytes(2).toString('hex')}` } = {}) {
  const conversationId = phone.replace('+', '');
  const id = messageId();
  await postWebhook(leadMessage({ id, phone, name, text }));
  await openConversation(page, conversationId);
  await bubble(page, id).waitFor({ timeout: DEADLINE_MS });
  return { phone, conversationId, leadMessageId: id, leadText: text };
}

async function openConversation(page, conversationId) {
  await conversationItem(page, conversationId).locator('button').click({ timeout: DEADLINE_MS });
}

/** Every status the bubble with this text showed, in order, each change recorded as the DOM takes it. */
async function recordStatuses(page, text) {
  await page.evaluate((wanted) => {
    const seen = [];
    window.statusesOf = window.statusesOf || {};
    window.statusesOf[wanted] = seen;
    const look = () => {
      for (const node of document.querySelectorAll('#messages .message.outgoing')) {
        if (node.querySelector('.content')?.textContent !== wanted) continue;
        const status = node.querySelector('.meta .status')?.classList[1];
        if (status && seen[seen.length - 1] !== status) seen.push(status);
      }
    };
    new MutationObserver(look).observe(document.getElementById('messages'), { subtree: true, childList: true, attributes: true });
  }, text);
  return () => page.evaluate((wanted) => window.statusesOf[wanted], text);
}

async function type(page, text) {
  await page.locator('#composer-text').fill(text);
}

test('a reply typed in the page shows at once as pending, then sent, delivered and read, as one bubble', async (t) => {
  const page = await openInbox();
  await leadConversation(page);
  const text = `Sí, enviamos a todo el país ${crypto.randomBytes(2).toString('hex')}`;
  const statuses = await recordStatuses(page, text);
  const posts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/messages')) posts.push(request.postDataJSON());
  });

  const started = Date.now();
  await type(page, text);
  await page.locator('#composer-text').press('Enter');
  await sentBubbles(page, text).locator('.status.pending').waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('#composer-text').inputValue(), '', 'the composer is cleared');
  await sentBubbles(page, text).locator('.status.read').waitFor({ timeout: DEADLINE_MS });
  t.diagnostic(`send to read tick: ${Date.now() - started} ms`);

  assert.deepEqual(await statuses(), ['pending', 'sent', 'delivered', 'read']);
  assert.equal(await sentBubbles(page, text).count(), 1, 'one bubble, whatever arrived first');
  assert.equal(await sentBubbles(page, text).locator('.status .visually-hidden').textContent(), 'Read');
  assert.equal(posts.length, 1);
  assert.match(posts[0].client_id, /^[A-Za-z0-9_-]{8,64}$/);
  assert.equal(await sentBubbles(page, text).getAttribute('data-message-id'), `out-${posts[0].client_id}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('Shift+Enter makes a new line, Enter sends both lines; the count shows near the 4,096 limit', async () => {
  const page = await openInbox();
  await leadConversation(page);
  const input = page.locator('#composer-text');
  await input.pressSequentially('primera línea');
  await input.press('Shift+Enter');
  await input.pressSequentially('segunda línea');
  assert.equal(await input.inputValue(), 'primera línea\nsegunda línea');
  await input.press('Enter');
  await sentBubbles(page, 'segunda línea').waitFor();
  assert.equal(await sentBubbles(page, 'segunda línea').locator('.content').textContent(), 'primera línea\nsegunda línea');

  await input.fill('a'.repeat(4000));
  await input.dispatchEvent('input');
  assert.equal(await page.locator('#composer-count').textContent(), '96 of 4096 characters left');
  await input.fill('');
  await input.dispatchEvent('input');
  assert.equal(await page.locator('#composer-count').isHidden(), true);
  assert.equal(await input.getAttribute('maxlength'), '4096');
  await page.close();
});

test('a second browser of the tenant shows the sent message exactly once, with the same ticks', async () => {
  const sender = await openInbox();
  const watcher = await openInbox();
  const { conversationId } = await leadConversation(sender);
  await openConversation(watcher, conversationId);
  const text = `Te lo enviamos mañana ${crypto.randomBytes(2).toString('hex')}`;
  await type(sender, text);
  await sender.locator('#composer-text').press('Enter');

  await sentBubbles(watcher, text).locator('.status.read').waitFor({ timeout: DEADLINE_MS });
  await sentBubbles(sender, text).locator('.status.read').waitFor({ timeout: DEADLINE_MS });
  assert.equal(await sentBubbles(watcher, text).count(), 1, 'the other browser: one bubble');
  assert.equal(await sentBubbles(sender, text).count(), 1, 'the sending browser: one bubble');
  // A reload (the read API) agrees: still one message.
  await watcher.reload();
  await watcher.waitForSelector('#connection[data-state="open"]', { timeout: DEADLINE_MS });
  await openConversation(watcher, conversationId);
  await sentBubbles(watcher, text).waitFor({ timeout: DEADLINE_MS });
  assert.equal(await sentBubbles(watcher, text).count(), 1, 'after a reload: one bubble');
  assert.deepEqual([...sender.errors, ...watcher.errors], []);
  await sender.close();
  await watcher.close();
});

test('the gateway posting its echo before it answers the send still makes one bubble', async (t) => {
  const options = (body) => fetch(`${stack.simulator}/_simulator/options`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal((await options({ echo_first: true })).status < 300, true, 'the simulator takes echo_first');
  t.after(() => options({ echo_first: false }));
  const page = await openInbox();
  await leadConversation(page);
  const text = `Primero el eco ${crypto.randomBytes(2).toString('hex')}`;
  await type(page, text);
  await page.locator('#composer-text').press('Enter');
  await sentBubbles(page, text).locator('.status.read').waitFor({ timeout: DEADLINE_MS });
  assert.equal(await sentBubbles(page, text).count(), 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a number not on WhatsApp: the bubble shows failed with the reason and a Retry that sends it again', async (t) => {
  const page = await openInbox();
  // The simulator's magic number: a recipient ending in 0000 is not on WhatsApp.
  const phone = `+57300${crypto.randomInt(100, 1000)}0000`;
  await leadConversation(page, { phone });
  const text = `¿Sigues interesado? ${crypto.randomBytes(2).toString('hex')}`;
  await type(page, text);
  await page.locator('#composer-text').press('Enter');

  const failed = sentBubbles(page, text);
  await failed.locator('.status.failed').waitFor({ timeout: DEADLINE_MS });
  const firstId = await failed.getAttribute('data-message-id');
  const reason = await failed.locator('.failure-reason').textContent();
  assert.match(reason, /whatsapp/i, `the gateway's reason is shown: ${reason}`);
  assert.equal(await failed.locator('.status .visually-hidden').textContent(), 'Not sent');
  const violations = await axe(page, t);
  assert.deepEqual(violations, [], 'axe-core: a failed bubble with its Retry');

  await failed.locator('button', { hasText: 'Retry' }).click();
  await eventually(async () => (await bubble(page, firstId).count()) === 0, { message: 'the failed bubble replaced' });
  await eventually(async () => (await sentBubbles(page, text).getAttribute('data-message-id')) !== firstId, { message: 'a new message' });
  assert.equal(await sentBubbles(page, text).count(), 1, 'one bubble after the retry');
  // Same number, so it fails again: with its own Retry, still one bubble.
  await sentBubbles(page, text).locator('.status.failed').waitFor({ timeout: DEADLINE_MS });
  assert.equal(await sentBubbles(page, text).count(), 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a failed status shows the reason and Retry; the retry is a new message (new client_id) in the failed one\'s place', async () => {
  const posts = [];
  const page = await openInbox({
    // The send API as the contract answers it, so the failure can be pushed at will.
    routes: (p) => p.route((url) => url.pathname.endsWith('/messages'), (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const body = route.request().postDataJSON();
      posts.push(body);
      const message = { id: `out-${body.client_id}`, client_id: body.client_id, kind: 'text', content: body.text, sender: 'agent', timestamp: new Date().toISOString(), status: 'pending' };
      return route.fulfill({ status: 202, contentType: 'application/json', body: JSON.stringify({ message }) });
    }),
  });
  const { conversationId } = await leadConversation(page);
  const text = `¿Te sirve el martes? ${crypto.randomBytes(2).toString('hex')}`;
  await type(page, text);
  await page.locator('#composer-text').press('Enter');
  await eventually(() => posts.length === 1, { message: 'the POST' });
  const first = `out-${posts[0].client_id}`;
  await bubble(page, first).locator('.status.pending').waitFor();
  const reason = 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';
  push(page, { type: 'message_status', message_id: first, conversation_id: conversationId, status: 'failed', reason, code: 'outside_window', timestamp: new Date().toISOString() });
  await bubble(page, first).locator('.status.failed').waitFor();
  assert.equal(await bubble(page, first).locator('.failure-reason').textContent(), reason);
  await eventually(async () => (await page.locator('#announcer').textContent()) === `Message not sent: ${reason}`, { message: 'the failure announced' });
  // A late status of the failed message changes nothing: statuses only move forward.
  push(page, { type: 'message_status', message_id: first, conversation_id: conversationId, status: 'delivered', timestamp: new Date().toISOString() });

  await bubble(page, first).locator('button', { hasText: 'Retry' }).click();
  await eventually(() => posts.length === 2, { message: 'the retry POST' });
  assert.notEqual(posts[1].client_id, posts[0].client_id, 'a retry is a new message');
  assert.equal(posts[1].text, text);
  const second = `out-${posts[1].client_id}`;
  await bubble(page, second).waitFor();
  assert.equal(await bubble(page, first).count(), 0, 'the failed bubble is replaced');
  assert.equal(await sentBubbles(page, text).count(), 1);
  // The failed one pushed again (a replay) stays gone; the status pushed after it shows it was handled.
  push(page, { type: 'new_message', session_id: stack.sessionId, conversation_id: conversationId, lead_id: conversationId,
    message: { id: first, client_id: posts[0].client_id, sender: 'agent', kind: 'text', content: text, timestamp: new Date().toISOString(), status: 'failed' } });
  push(page, { type: 'message_status', message_id: second, conversation_id: conversationId, status: 'sent', timestamp: new Date().toISOString() });
  await bubble(page, second).locator('.status.sent').waitFor();
  assert.equal(await sentBubbles(page, text).count(), 1, 'still one bubble');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('Reply on a message quotes it above the composer (× cancels), and the sent bubble shows the quote', async (t) => {
  const page = await openInbox();
  const { conversationId, leadMessageId, leadText } = await leadConversation(page);
  const posts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/messages')) posts.push(request.postDataJSON());
  });

  await bubble(page, leadMessageId).locator('.reply-action').click();
  await page.locator('#reply-preview').waitFor();
  assert.equal(await page.locator('#reply-quote').textContent(), leadText);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'composer-text', 'focus goes to the composer');
  await page.locator('#reply-cancel').click();
  assert.equal(await page.locator('#reply-preview').isHidden(), true, '× drops the quote');

  await bubble(page, leadMessageId).locator('.reply-action').click();
  assert.deepEqual(await axe(page, t), [], 'axe-core: the composer with a quote');
  const text = `Claro, te cuento ${crypto.randomBytes(2).toString('hex')}`;
  await type(page, text);
  await page.locator('#composer-text').press('Enter');
  const sent = sentBubbles(page, text);
  await sent.locator('.quoted').waitFor();
  assert.match(await sent.locator('.quoted-preview').textContent(), new RegExp(leadText.slice(0, 12)));
  assert.equal(await page.locator('#reply-preview').isHidden(), true, 'the quote goes with the send');
  assert.equal(posts[0].reply_to, leadMessageId);
  await sent.locator('.status.sent, .status.delivered, .status.read').first().waitFor({ timeout: DEADLINE_MS });
  assert.equal(await sent.locator('.quoted').count(), 1, 'the quote stays when the server copy merges in');
  await page.screenshot({ path: new URL('../../artifacts/compose.png', import.meta.url).pathname });
  assert.deepEqual(page.errors, []);

  // Another browser of the tenant (and a reload) gets the quote from the server: the pushed and listed `quoted`.
  const other = await openInbox();
  await openConversation(other, conversationId);
  const listed = sentBubbles(other, text);
  await listed.locator('.quoted').waitFor({ timeout: DEADLINE_MS });
  assert.match(await listed.locator('.quoted-preview').textContent(), new RegExp(leadText.slice(0, 12)));
  await other.close();
  await page.close();
});

test('a photo attached by link is sent as media_url with its type and name, and its bubble goes to sent', async (t) => {
  const page = await openInbox();
  await leadConversation(page);
  const server = http.createServer((request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const posts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/messages')) posts.push(request.postDataJSON());
  });
  const link = `http://127.0.0.1:${server.address().port}/catalogo.png`;
  const caption = `el catálogo ${crypto.randomBytes(2).toString('hex')}`;

  await page.locator('#attach-toggle').click();
  assert.equal(await page.locator('#attach-toggle').getAttribute('aria-expanded'), 'true');
  await page.locator('#attach-url').fill(link);
  await type(page, caption);
  await page.locator('#composer-text').press('Enter');
  const sent = sentBubbles(page, caption);
  await sent.locator('.media-label', { hasText: 'catalogo.png' }).waitFor();
  assert.deepEqual(posts[0], { client_id: posts[0].client_id, text: caption, media_url: link, media_type: 'image/png', file_name: 'catalogo.png' });
  assert.equal(await page.locator('#attach-url').inputValue(), '', 'the link is cleared with the text');
  await sent.locator('.status.sent, .status.delivered, .status.read').first().waitFor({ timeout: DEADLINE_MS });
  assert.equal(await sentBubbles(page, caption).count(), 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a session without gateway credentials: the composer says why and is disabled, the text kept', async () => {
  const why = 'session demo-session has no gateway credentials: run `inbox-relay sessions credentials --session demo-session …`';
  const page = await openInbox({
    routes: (p) => p.route((url) => url.pathname.endsWith('/messages'), (route) => (route.request().method() === 'POST'
      ? route.fulfill({ status: 409, contentType: 'application/json', body: JSON.stringify({ error: 'not_sendable', message: why }) })
      : route.fallback())),
  });
  await leadConversation(page);
  await type(page, 'Hola, ¿cómo estás?');
  await page.locator('#composer-text').press('Enter');
  await page.locator('#composer-note').waitFor();
  assert.match(await page.locator('#composer-note-text').textContent(), /has no gateway credentials/);
  assert.equal(await page.locator('#composer-text').isDisabled(), true);
  assert.equal(await page.locator('#composer-text').inputValue(), 'Hola, ¿cómo estás?', 'nothing typed is lost');
  assert.equal(await sentBubbles(page, 'Hola, ¿cómo estás?').count(), 0, 'nothing was stored, so no bubble');
  await page.locator('#composer-unblock').click();
  assert.equal(await page.locator('#composer-text').isDisabled(), false);
  await page.close();
});

test('media through the proxy: an image inline from a blob URL, a document to download, too large, and a failure with Retry', async () => {
  const answers = new Map(); // message id -> how the proxy answers
  const page = await openInbox({
    routes: async (p) => {
      await p.route((url) => url.pathname.startsWith('/api/messages/') && url.pathname.endsWith('/media'), (route) => {
        const id = decodeURIComponent(new URL(route.request().url()).pathname.split('/')[3]);
        const answer = answers.get(id) || { status: 404, contentType: 'application/json', body: '{"error":"not_found"}' };
        return route.fulfill(answer);
      });
    },
  });
  const { conversationId } = await leadConversation(page);
  const ids = { photo: messageId(), pdf: messageId(), big: messageId(), broken: messageId(), old: messageId() };
  answers.set(ids.photo, { status: 200, contentType: 'image/png', body: PNG });
  answers.set(ids.pdf, { status: 200, contentType: 'application/pdf', body: Buffer.from('%PDF-1.4\n') });
  answers.set(ids.big, { status: 413, contentType: 'application/json', body: JSON.stringify({ error: 'media_too_large', message: 'has 9000000 bytes' }) });
  answers.set(ids.broken, { status: 502, contentType: 'application/json', body: JSON.stringify({ error: 'gateway_error', message: 'boom' }) });
  const media = (id, kind, extra) => ({
    id, sender: 'lead', timestamp: new Date().toISOString(), kind, content: '',
    media: { type: kind, mime_type: 'image/png', available: true, fetchable: true, ...extra },
  });
  for (const message of [
    media(ids.photo, 'image', { caption: 'la foto' }),
    media(ids.pdf, 'document', { mime_type: 'application/pdf', file_name: 'factura.pdf' }),
    media(ids.big, 'video', { mime_type: 'video/mp4' }),
    media(ids.broken, 'image', {}),
    media(ids.old, 'image', { fetchable: false, url: null }),
  ]) push(page, { type: 'new_message', session_id: stack.sessionId, conversation_id: conversationId, lead_id: conversationId, message });

  const image = bubble(page, ids.photo).locator('img.media-image');
  await image.waitFor({ timeout: DEADLINE_MS });
  assert.match(await image.getAttribute('src'), /^blob:/);
  assert.equal(await image.getAttribute('alt'), 'la foto');
  await eventually(() => image.evaluate((img) => img.complete && img.naturalWidth === 1), { message: 'the image decoded' });
  assert.equal(await bubble(page, ids.photo).locator('a.media-open').getAttribute('target'), '_blank', 'a click opens it larger');
  const download = bubble(page, ids.pdf).locator('a.media-download');
  await download.waitFor();
  assert.equal(await download.textContent(), 'Download factura.pdf');
  assert.equal(await download.getAttribute('download'), 'factura.pdf');
  await bubble(page, ids.big).locator('.media-note', { hasText: 'too large to preview' }).waitFor();
  await bubble(page, ids.broken).locator('.media-note', { hasText: 'load media' }).waitFor();
  assert.equal(await bubble(page, ids.old).locator('.media-label').textContent(), '📷 Photo');
  assert.equal(await bubble(page, ids.old).locator('img').count(), 0, 'not fetchable: the label only');

  answers.set(ids.broken, { status: 200, contentType: 'image/png', body: PNG });
  await bubble(page, ids.broken).locator('button', { hasText: 'Retry' }).click();
  await bubble(page, ids.broken).locator('img.media-image').waitFor();

  // Leaving the conversation revokes the object URLs.
  const src = await image.getAttribute('src');
  assert.equal(await page.evaluate((url) => fetch(url).then(() => true, () => false), src), true, 'live while shown');
  await leadConversation(page);
  await eventually(() => page.evaluate((url) => fetch(url).then(() => false, () => true), src), { message: 'the blob URL revoked' });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a photo the gateway posts as a webhook to the demo session opens through the real proxy', async (t) => {
  const page = await openInbox();
  const { phone, conversationId } = await leadConversation(page);
  // The photo is sent from the phone through the simulator, which downloads it from here, keeps it, and
  // posts the message to the stack as a webhook; the page then fetches it back through the media proxy.
  const server = http.createServer((request, response) => response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const caption = `mi pedido ${crypto.randomBytes(2).toString('hex')}`;
  const sent = await fetch(`${stack.simulator}/inboxhub/api/sessions/${encodeURIComponent(stack.sessionId)}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': stack.simulatorApiKey },
    body: JSON.stringify({ to: phone, media: { url: `http://127.0.0.1:${server.address().port}/pedido.png`, mimetype: 'image/png', caption } }),
  });
  assert.equal(sent.status < 300, true, `the simulator took the send: ${sent.status} ${await sent.text()}`);

  await openConversation(page, conversationId);
  const photo = page.locator('#messages .message', { has: page.locator('.content', { hasText: caption }) });
  const image = photo.locator('img.media-image');
  await image.waitFor({ timeout: DEADLINE_MS });
  assert.match(await image.getAttribute('src'), /^blob:/);
  await eventually(() => image.evaluate((img) => img.complete && img.naturalWidth === 1), { message: 'the proxied image decoded' });
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** axe-core on the page as it stands: the serious and critical violations. */
async function axe(page, t) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const describe = (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`;
  const minor = result.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) t.diagnostic(`axe, minor: ${minor.map(describe).join('; ')}`);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(describe);
}
