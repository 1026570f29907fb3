// send(), fetchMedia() and the helpers that keep one message one bubble, against a fake fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InboxRelayClient, STATUS_RANK, statusMovesTo, mergeMessage, findSameMessage, newClientId,
} from '../../../src/main/resources/web/inbox-relay-client.js';
import { fakeWebSocketClass, jwtWithExp } from './fakes.js';

const token = jwtWithExp(Math.floor(Date.now() / 1000) + 3600);

function json(status, body) {
  return { ok: status >= 200 && status < 300, status, json: async () => body, blob: async () => new Blob([JSON.stringify(body)]) };
}

/** A fetch that answers from a list (a function per call, or an Error to throw) and records each request. */
function fakeFetch(answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: init.headers, body: init.body ? JSON.parse(init.body) : null });
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer() : answer;
  };
  return { fetch, calls };
}

function client(fetch, overrides = {}) {
  return new InboxRelayClient({
    url: 'wss://ws.example.test/prod', api: 'https://api.example.test/prod', token, fetch,
    WebSocket: fakeWebSocketClass(), random: () => 0.5, sendRetryBaseMs: 1, sendRetryMaxMs: 2, ...overrides,
  });
}

const pending = (clientId) => ({ id: `out-${clientId}`, client_id: clientId, sender: 'agent', content: 'Hola', status: 'pending' });

test('send posts the message with the token and a client_id, and resolves with the server message', async () => {
  const { fetch, calls } = fakeFetch([() => json(202, { message: pending(calls[0].body.client_id) })]);
  const sending = client(fetch).send('573001234567', { text: 'Hola', replyTo: 'wamid.1' });
  const message = await sending;

  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, 'https://api.example.test/prod/api/conversations/573001234567/messages');
  assert.equal(calls[0].method, 'POST');
  assert.equal(calls[0].headers.Authorization, `Bearer ${token}`);
  assert.deepEqual(calls[0].body, { client_id: sending.clientId, text: 'Hola', reply_to: 'wamid.1' });
  assert.match(sending.clientId, /^[A-Za-z0-9_-]{8,64}$/);
  assert.equal(message.id, `out-${sending.clientId}`);
});

test('send carries media fields and a given client_id as they are', async () => {
  const { fetch, calls } = fakeFetch([json(202, { message: pending('given-id-1') })]);
  await client(fetch).send('group:1203@g.us', { text: 'the invoice', mediaUrl: 'https://x.test/a.pdf', mediaType: 'application/pdf', fileName: 'a.pdf', clientId: 'given-id-1' });
  assert.equal(calls[0].url, 'https://api.example.test/prod/api/conversations/group%3A1203%40g.us/messages');
  assert.deepEqual(calls[0].body, { client_id: 'given-id-1', text: 'the invoice', media_url: 'https://x.test/a.pdf', media_type: 'application/pdf', file_name: 'a.pdf' });
});

test('a media send without a caption carries no text', async () => {
  const { fetch, calls } = fakeFetch([json(202, { message: pending('media-only-1') })]);
  await client(fetch).send('573001234567', { text: '', mediaUrl: 'https://x.test/p.jpg', clientId: 'media-only-1' });
  assert.deepEqual(calls[0].body, { client_id: 'media-only-1', media_url: 'https://x.test/p.jpg' });
});

test('a network error and a 503 are retried with the same client_id until the server answers', async () => {
  const { fetch, calls } = fakeFetch([
    new TypeError('Failed to fetch'),
    json(503, { error: 'unavailable', message: 'the outbox refused' }),
    () => json(202, { message: pending(calls[0].body.client_id) }),
  ]);
  const message = await client(fetch).send('573001234567', { text: 'Hola' });
  assert.equal(calls.length, 3);
  assert.equal(new Set(calls.map((call) => call.body.client_id)).size, 1, 'one client_id for every attempt');
  assert.equal(message.status, 'pending');
});

test('a 4xx is never retried and rejects with the server code, message and status', async () => {
  for (const [status, code] of [[409, 'not_sendable'], [400, 'invalid_request'], [404, 'not_found'], [409, 'client_id_reused']]) {
    const { fetch, calls } = fakeFetch([json(status, { error: code, message: `why ${code}` })]);
    const error = await client(fetch).send('573001234567', { text: 'Hola' }).then(() => null, (e) => e);
    assert.equal(calls.length, 1, `${code} is not retried`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    assert.equal(error.message, `why ${code}`);
  }
});

test('retries end after sendRetries, rejecting with the last failure', async () => {
  const { fetch, calls } = fakeFetch([new TypeError('Failed to fetch')]);
  const error = await client(fetch, { sendRetries: 2 }).send('573001234567', { text: 'Hola' }).then(() => null, (e) => e);
  assert.equal(calls.length, 3);
  assert.equal(error.code, 'network');
  assert.equal(error.status, 0);
});

test('a 401 asks getToken once and repeats the call with the fresh token and the same client_id', async () => {
  const fresh = jwtWithExp(Math.floor(Date.now() / 1000) + 7200, { sub: 'agent-2' });
  const { fetch, calls } = fakeFetch([json(401, { error: 'unauthorized' }), () => json(202, { message: pending(calls[0].body.client_id) })]);
  await client(fetch, { getToken: async () => fresh }).send('573001234567', { text: 'Hola' });
  assert.deepEqual(calls.map((call) => call.headers.Authorization), [`Bearer ${token}`, `Bearer ${fresh}`]);
  assert.equal(calls[0].body.client_id, calls[1].body.client_id);
});

test('send(frame) with an object still writes a frame to the open socket', () => {
  const WebSocket = fakeWebSocketClass();
  const c = client(null, { WebSocket });
  assert.equal(c.send({ type: 'status' }), false, 'nothing to write to before connect');
  c.connect();
  WebSocket.last().open();
  assert.equal(c.send({ type: 'status' }), true);
  assert.deepEqual(WebSocket.last().sentOfType('status'), [{ type: 'status' }]);
});

test('fetchMedia gets the proxy with the token as a Blob, and a 413 rejects with media_too_large', async () => {
  const ok = fakeFetch([json(200, 'bytes')]);
  const blob = await client(ok.fetch).fetchMedia('wamid.HBg=');
  assert.ok(blob instanceof Blob);
  assert.equal(ok.calls[0].url, 'https://api.example.test/prod/api/messages/wamid.HBg%3D/media');
  assert.equal(ok.calls[0].headers.Authorization, `Bearer ${token}`);

  const big = fakeFetch([json(413, { error: 'media_too_large', message: 'has 9000000 bytes' })]);
  const error = await client(big.fetch).fetchMedia('m1').then(() => null, (e) => e);
  assert.equal(error.code, 'media_too_large');
  assert.equal(error.status, 413);
});

test('statuses only move forward: pending, sent, delivered, read; failed is final unless it was a timeout', () => {
  assert.deepEqual(Object.keys(STATUS_RANK), ['pending', 'sent', 'delivered', 'read', 'played', 'failed']);
  assert.equal(statusMovesTo('pending', 'sent'), true);
  assert.equal(statusMovesTo('pending', 'read'), true, 'a skipped step is fine');
  assert.equal(statusMovesTo('delivered', 'sent'), false, 'a late sent never takes delivered back');
  assert.equal(statusMovesTo('read', 'delivered'), false);
  assert.equal(statusMovesTo('sent', 'pending'), false, 'a replayed new_message never takes a tick away');
  assert.equal(statusMovesTo('sent', 'failed'), true);
  assert.equal(statusMovesTo('failed', 'sent', 'not_on_whatsapp'), false);
  assert.equal(statusMovesTo('failed', 'sent', 'timeout'), true, 'the echo proved a timed-out send went out');
  assert.equal(statusMovesTo('sent', 'bogus'), false);
});

test('merging a copy of a message keeps the furthest status, and a failure reason only while failed', () => {
  const delivered = { id: 'out-a', status: 'delivered', content: 'Hola' };
  assert.equal(mergeMessage(delivered, { id: 'out-a', status: 'pending', content: 'Hola' }).status, 'delivered');
  assert.equal(mergeMessage(delivered, { status: 'read' }).status, 'read');
  const failed = mergeMessage({ id: 'out-b', status: 'pending' }, { status: 'failed', reason: 'not on WhatsApp', code: 'not_on_whatsapp' });
  assert.deepEqual([failed.status, failed.reason, failed.code], ['failed', 'not on WhatsApp', 'not_on_whatsapp']);
  assert.equal(mergeMessage(failed, { status: 'pending' }).reason, 'not on WhatsApp');
  const timedOut = { id: 'out-c', status: 'failed', reason: 'the gateway did not answer in time', code: 'timeout' };
  const sent = mergeMessage(timedOut, { status: 'sent' });
  assert.deepEqual([sent.status, sent.reason, sent.code], ['sent', undefined, undefined]);
});

test('a failure only this browser saw (no answer to the send) gives way to what the server says', () => {
  const unsent = { id: 'out-d', status: 'failed', reason: 'the server could not be reached', code: 'network', unsent: true };
  const stored = mergeMessage(unsent, { id: 'out-d', status: 'pending' });
  assert.deepEqual([stored.status, stored.reason, stored.unsent], ['pending', undefined, undefined]);
  assert.equal(mergeMessage(unsent, { status: 'sent' }).status, 'sent');
});

test('the server copy of a message finds the optimistic bubble by client_id, whatever its id', () => {
  const messages = new Map([['lead-1', { id: 'lead-1' }], ['local-x', { id: 'local-x', client_id: 'abc12345' }]]);
  assert.equal(findSameMessage(messages, { id: 'out-abc12345', client_id: 'abc12345' }).id, 'local-x');
  assert.equal(findSameMessage(messages, { id: 'lead-1' }).id, 'lead-1');
  assert.equal(findSameMessage(messages, { id: 'out-zzz', client_id: 'other999' }), null);
  assert.equal(findSameMessage(messages, { id: 'new' }), null);
});

test('client ids are 8 to 64 characters of letters, digits, _ and -, and differ each time', () => {
  const ids = new Set(Array.from({ length: 50 }, () => newClientId()));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{8,64}$/);
});
