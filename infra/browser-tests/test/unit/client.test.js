import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InboxRelayClient, State, SeenIds, cursorAt, decodeJwtPayload, isTokenExpired,
} from '../../../src/main/resources/web/inbox-relay-client.js';
import { FakeClock, fakeWebSocketClass, jwtWithExp, event } from './fakes.js';

function setup(overrides = {}) {
  const clock = new FakeClock();
  const WebSocket = fakeWebSocketClass();
  const received = [];
  const states = [];
  const errors = [];
  const token = overrides.token ?? jwtWithExp(Math.floor(clock.nowMs / 1000) + 3600);
  const client = new InboxRelayClient({
    url: 'wss://ws.example.test/prod',
    token,
    WebSocket,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    now: clock.now,
    random: () => 1 - Number.EPSILON,
    onEvent: (e) => received.push(e),
    onStateChange: (state) => states.push(state),
    onError: (error) => errors.push(error),
    ...overrides,
  });
  return { clock, WebSocket, client, received, states, errors, token };
}

test('the token travels in the query string by default', () => {
  const { client, WebSocket, token } = setup();
  client.connect();
  assert.equal(WebSocket.last().url, `wss://ws.example.test/prod?token=${encodeURIComponent(token)}`);
  assert.equal(WebSocket.last().protocols, undefined);
});

test('the token can travel as a subprotocol instead', () => {
  const { client, WebSocket, token } = setup({ tokenTransport: 'subprotocol' });
  client.connect();
  assert.equal(WebSocket.last().url, 'wss://ws.example.test/prod');
  assert.deepEqual(WebSocket.last().protocols, ['inbox-relay', token]);
});

test('state goes connecting then open, and closed on close()', () => {
  const { client, WebSocket, states } = setup();
  client.connect();
  WebSocket.last().open();
  client.close();
  assert.deepEqual(states, [State.CONNECTING, State.OPEN, State.CLOSED]);
  assert.equal(WebSocket.last().closedByClient.code, 1000);
});

test('subscribe is sent on open when channels are configured', () => {
  const { client, WebSocket } = setup({ channels: ['messages', 'statuses'] });
  client.connect();
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('subscribe'), [{ type: 'subscribe', channels: ['messages', 'statuses'] }]);
});

test('events reach onEvent and the per-type listeners in order', () => {
  const { client, WebSocket, received } = setup();
  const messages = [];
  client.on('new_message', (e) => messages.push(e.id));
  client.connect();
  WebSocket.last().open();
  const a = event(1000);
  const b = event(2000, 'conversation_updated');
  const c = event(3000);
  [a, b, c].forEach((e) => WebSocket.last().message(e));
  assert.deepEqual(received.map((e) => e.id), [a.id, b.id, c.id]);
  assert.deepEqual(messages, [a.id, c.id]);
});

test('an event id seen before is dropped', () => {
  const { client, WebSocket, received } = setup();
  client.connect();
  WebSocket.last().open();
  const a = event(1000);
  WebSocket.last().message(a);
  WebSocket.last().message(a);
  assert.equal(received.length, 1);
});

test('a ping goes out every 30 seconds and a pong keeps the link', () => {
  const { client, WebSocket, clock, states } = setup();
  client.connect();
  const socket = WebSocket.last();
  socket.open();
  clock.advance(29_999);
  assert.equal(socket.sentOfType('ping').length, 0);
  clock.advance(1);
  assert.equal(socket.sentOfType('ping').length, 1);
  socket.message({ type: 'pong' });
  clock.advance(30_000);
  assert.equal(socket.sentOfType('ping').length, 2);
  socket.message({ type: 'pong' });
  clock.advance(30_000);
  assert.equal(socket.sentOfType('ping').length, 3);
  assert.equal(WebSocket.sockets.length, 1);
  assert.equal(states.at(-1), State.OPEN);
});

test('a missing pong is a dead link: the socket is dropped and a new one opened', () => {
  const { client, WebSocket, clock, states } = setup();
  client.connect();
  const socket = WebSocket.last();
  socket.open();
  clock.advance(30_000);
  clock.advance(10_000);
  assert.equal(socket.closedByClient.code, 4000);
  assert.equal(states.at(-1), State.RECONNECTING);
  clock.advance(500);
  assert.equal(WebSocket.sockets.length, 2);
});

test('reconnect waits use exponential backoff with full jitter, capped', () => {
  const randoms = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
  const { client, WebSocket, clock } = setup({ random: () => randoms.shift() ?? 0.5, maxFailuresBeforeAuth: 100, backoffMaxMs: 3_000 });
  client.connect();
  const waits = [];
  for (let i = 0; i < 6; i += 1) {
    WebSocket.last().serverClose(1006);
    waits.push(clock.delays()[0]);
    clock.advance(waits.at(-1));
  }
  // ceiling 500, 1000, 2000, then the 3000 cap; jitter picks half of it here
  assert.deepEqual(waits, [250, 500, 1000, 1500, 1500, 1500]);
});

test('full jitter can pick any wait from zero up to the ceiling', () => {
  const { client, WebSocket, clock } = setup({ random: () => 0 });
  client.connect();
  WebSocket.last().serverClose(1006);
  assert.deepEqual(clock.delays(), [0]);
});

test('backoff starts over once a connection works again', () => {
  const { client, WebSocket, clock } = setup({ random: () => 0.5 });
  client.connect();
  WebSocket.last().serverClose(1006);
  clock.advance(250);
  WebSocket.last().serverClose(1006);
  clock.advance(500);
  WebSocket.last().open();
  WebSocket.last().message({ type: 'pong' });
  WebSocket.last().serverClose(1006);
  assert.deepEqual(clock.delays(), [250]);
});

test('every reconnect resumes from the last cursor seen', () => {
  const { client, WebSocket, clock } = setup();
  client.connect();
  WebSocket.last().open();
  const a = event(1000);
  const b = event(2000);
  WebSocket.last().message(a);
  WebSocket.last().message(b);
  WebSocket.last().serverClose(1006);
  clock.advance(1_000);
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: b.id }]);
});

test('a first connect resumes from the configured since cursor', () => {
  const { client, WebSocket } = setup({ since: cursorAt(5000) });
  client.connect();
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: '0000000005000-0000000000' }]);
});

test('replayed and live events arriving during a resume are delivered once each, in cursor order', () => {
  const { client, WebSocket, clock, received } = setup();
  client.connect();
  WebSocket.last().open();
  const e1 = event(1000);
  const e2 = event(2000);
  const e3 = event(3000);
  const e4 = event(4000);
  const e5 = event(5000);
  WebSocket.last().message(e1);
  WebSocket.last().message(e2);
  WebSocket.last().serverClose(1006);
  clock.advance(1_000);
  const socket = WebSocket.last();
  socket.open();
  // A live push (e5) overtakes the replay, and the overlap window replays e1 and e2.
  socket.message(e5);
  socket.message(e1);
  socket.message(e2);
  socket.message(e3);
  socket.message(e4);
  assert.equal(received.length, 2, 'nothing is handed over until the replay is complete');
  socket.message({ type: 'resumed', count: 4 });
  assert.deepEqual(received.map((e) => e.id), [e1.id, e2.id, e3.id, e4.id, e5.id]);
});

test('a resume that is never acknowledged still delivers what was buffered', () => {
  const { client, WebSocket, clock, received } = setup({ since: cursorAt(1) });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message(event(1000));
  clock.advance(15_000);
  assert.equal(received.length, 1);
});

test('a late event with an older cursor is delivered but does not move the resume point back', () => {
  const { client, WebSocket, clock, received } = setup();
  client.connect();
  WebSocket.last().open();
  const newer = event(2000);
  const older = event(1000);
  WebSocket.last().message(newer);
  WebSocket.last().message(older);
  assert.equal(received.length, 2);
  WebSocket.last().serverClose(1006);
  clock.advance(1_000);
  WebSocket.last().open();
  assert.equal(WebSocket.last().sentOfType('resume')[0].since, newer.id);
});

test('an expired token is not even tried: the page is asked for a new one', async () => {
  let asked = 0;
  const clock = new FakeClock();
  const expired = jwtWithExp(Math.floor(clock.nowMs / 1000) - 60);
  const fresh = jwtWithExp(Math.floor(clock.nowMs / 1000) + 3600);
  const { client, WebSocket, states } = setup({
    token: expired,
    now: clock.now,
    onAuthRequired: async () => { asked += 1; return fresh; },
  });
  client.connect();
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(asked, 1);
  assert.equal(WebSocket.sockets.length, 1);
  assert.equal(WebSocket.last().url, `wss://ws.example.test/prod?token=${encodeURIComponent(fresh)}`);
  assert.deepEqual(states.slice(0, 2), [State.CLOSED, State.CONNECTING]);
});

test('a refused upgrade with a token that expired meanwhile stops retrying and asks for a token', async () => {
  let asked = 0;
  const { client, WebSocket, clock, states } = setup({ onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  clock.advance(3_601_000);
  WebSocket.last().serverClose(1006);
  await Promise.resolve();
  assert.equal(asked, 1);
  assert.equal(states.at(-1), State.CLOSED);
  clock.advance(120_000);
  assert.equal(WebSocket.sockets.length, 1, 'no retry loop');
});

test('repeated refused upgrades count as an auth failure even with an unexpired token', async () => {
  let asked = 0;
  const { client, WebSocket, clock } = setup({ maxFailuresBeforeAuth: 3, onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  for (let i = 0; i < 3; i += 1) {
    WebSocket.last().serverClose(1006);
    clock.advance(60_000);
  }
  await Promise.resolve();
  assert.equal(asked, 1);
  assert.equal(WebSocket.sockets.length, 3);
});

test('a server close with a policy code after open asks for a new token', async () => {
  let asked = 0;
  const { client, WebSocket } = setup({ onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().serverClose(1008);
  await Promise.resolve();
  assert.equal(asked, 1);
});

test('a callback that throws does not stop the others or the connection', () => {
  const { client, WebSocket, received, errors } = setup();
  client.on('new_message', () => { throw new Error('page bug'); });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message(event(1000));
  WebSocket.last().message(event(2000));
  assert.equal(received.length, 2);
  assert.equal(errors.length, 2);
});

test('server errors are reported and the connection stays', () => {
  const { client, WebSocket, errors, states } = setup();
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message({ type: 'error', code: 'unknown_type', message: 'no such route' });
  assert.equal(errors[0].code, 'unknown_type');
  assert.equal(states.at(-1), State.OPEN);
});

test('after close() nothing reconnects', () => {
  const { client, WebSocket, clock } = setup();
  client.connect();
  WebSocket.last().open();
  client.close();
  clock.advance(600_000);
  assert.equal(WebSocket.sockets.length, 1);
});

test('the remembered ids are bounded', () => {
  const seen = new SeenIds(3);
  ['a', 'b', 'c', 'd', 'e'].forEach((id) => seen.add(id));
  assert.equal(seen.has('a'), false);
  assert.equal(seen.has('b'), false);
  assert.equal(seen.has('e'), true);
  assert.equal(seen.set.size, 3);
  for (let i = 0; i < 100; i += 1) seen.add(`x${i}`);
  assert.ok(seen.order.length <= 7);
});

test('a JWT payload is decoded, including base64url characters', () => {
  const token = jwtWithExp(1_900_000_000, { name: 'Zoë ~~ ??' });
  assert.equal(decodeJwtPayload(token).name, 'Zoë ~~ ??');
  assert.equal(decodeJwtPayload('not a token'), null);
  assert.equal(isTokenExpired(token, 1_900_000_000_000), true);
  assert.equal(isTokenExpired(token, 1_899_999_999_000), false);
  assert.equal(isTokenExpired('opaque', 0), false);
});

test('cursorAt sorts before every event of that millisecond and after earlier ones', () => {
  assert.ok(cursorAt(5000) < '0000000005000-aaaaaaaaaa');
  assert.ok(cursorAt(5000) > '0000000004999-zzzzzzzzzz');
});
