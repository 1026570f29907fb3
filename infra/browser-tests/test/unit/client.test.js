import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InboxRelayClient, State, SeenIds, EVENT_CHANNELS, cursorAt, decodeJwtPayload, isTokenExpired,
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

test('a first connect resumes from the since cursor the page got from the read API', () => {
  const { client, WebSocket } = setup({ since: '0000000005000-k3j9x0q2mz' });
  client.connect();
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: '0000000005000-k3j9x0q2mz' }]);
});

test('without a since cursor the first connect sends no resume', () => {
  const { client, WebSocket } = setup();
  client.connect();
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('resume'), []);
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

test('repeated refused upgrades are an auth failure only when checkToken says the token is refused', async () => {
  let asked = 0;
  const checked = [];
  const { client, WebSocket, clock, token } = setup({
    maxFailuresBeforeAuth: 3,
    checkToken: async (t) => { checked.push(t); return 'refused'; },
    onAuthRequired: () => { asked += 1; return null; },
  });
  client.connect();
  for (let i = 0; i < 3; i += 1) {
    WebSocket.last().serverClose(1006);
    clock.advance(60_000);
  }
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  assert.deepEqual(checked, [token]);
  assert.equal(asked, 1);
  assert.equal(WebSocket.sockets.length, 3);
});

test('closes before open with a valid token never end in onAuthRequired: without checkToken the client keeps retrying', async () => {
  let asked = 0;
  const { client, WebSocket, clock, states } = setup({ maxFailuresBeforeAuth: 3, onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  for (let i = 0; i < 30; i += 1) {
    WebSocket.last().serverClose(1006);
    clock.advance(30_000);
  }
  await Promise.resolve();
  assert.equal(asked, 0);
  assert.equal(WebSocket.sockets.length, 31, 'one attempt per backoff, forever');
  assert.equal(states.at(-1), State.RECONNECTING);
});

test('checkToken answering valid or unknown (server or network down) keeps retrying', async () => {
  for (const verdict of ['valid', 'unknown', 'throws']) {
    let asked = 0;
    const { client, WebSocket, clock } = setup({
      maxFailuresBeforeAuth: 2,
      checkToken: async () => { if (verdict === 'throws') throw new Error('fetch failed'); return verdict; },
      onAuthRequired: () => { asked += 1; return null; },
    });
    client.connect();
    for (let i = 0; i < 10; i += 1) {
      WebSocket.last().serverClose(1006);
      for (let j = 0; j < 5; j += 1) await Promise.resolve();
      clock.advance(30_000);
    }
    assert.equal(asked, 0, verdict);
    assert.equal(WebSocket.sockets.length, 11, verdict);
  }
});

function fakeNetwork(onLine = true) {
  const target = new EventTarget();
  target.onLine = onLine;
  target.go = (online) => { target.onLine = online; target.dispatchEvent(new Event(online ? 'online' : 'offline')); };
  return target;
}

test('offline: the socket is dropped, nothing counts as a refusal however long, and online reconnects and resumes at once', async () => {
  let asked = 0;
  const network = fakeNetwork();
  const { client, WebSocket, clock, states } = setup({ network, maxFailuresBeforeAuth: 2, since: '0000000000001-0000000000', onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message({ type: 'resumed', count: 0, complete: true });
  WebSocket.last().message(event(5, 'new_message'));
  network.go(false);
  assert.equal(states.at(-1), State.OFFLINE);
  assert.ok(WebSocket.last().closedByClient, 'the dead socket is dropped');
  // Ten minutes offline: at most a slow attempt now and then, each failing, none counted.
  for (let i = 0; i < 20; i += 1) {
    clock.advance(30_000);
    if (WebSocket.last().readyState === 0) WebSocket.last().serverClose(1006);
  }
  await Promise.resolve();
  assert.equal(asked, 0);
  assert.equal(states.at(-1), State.OFFLINE);
  const before = WebSocket.sockets.length;
  network.go(true);
  assert.equal(WebSocket.sockets.length, before + 1, 'reconnects the moment the network is back');
  WebSocket.last().open();
  assert.equal(states.at(-1), State.OPEN);
  assert.equal(WebSocket.last().sentOfType('resume')[0].since, '0000000000005-' + WebSocket.last().sentOfType('resume')[0].since.slice(14));
});

test('a close before open while the browser is offline goes to offline, not to a refusal count', async () => {
  let asked = 0;
  const network = fakeNetwork(true);
  const { client, WebSocket, clock, states } = setup({ network, maxFailuresBeforeAuth: 1, checkToken: async () => 'refused', onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  network.onLine = false; // the event comes later than the failed attempt
  WebSocket.last().serverClose(1006);
  await Promise.resolve();
  assert.equal(states.at(-1), State.OFFLINE);
  assert.equal(asked, 0);
  clock.advance(120_000);
  assert.equal(asked, 0);
});

test('token_expired from the server: the getToken hook supplies a new token and the client reconnects without asking the agent', async () => {
  let asked = 0;
  const { client, WebSocket, clock } = setup({});
  const fresh = jwtWithExp(Math.floor(clock.nowMs / 1000) + 7200, { sub: 'fresh' });
  client.options.getToken = async () => fresh;
  client.options.onAuthRequired = () => { asked += 1; return null; };
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message({ type: 'error', code: 'token_expired', message: 'token expired' });
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  assert.equal(asked, 0);
  assert.equal(WebSocket.sockets.length, 2);
  assert.ok(WebSocket.last().url.endsWith(encodeURIComponent(fresh)));
});

test('token_expired without a refresh hook is a real refusal: onAuthRequired', async () => {
  let asked = 0;
  const { client, WebSocket, states } = setup({ onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message({ type: 'error', code: 'token_expired', message: 'token expired' });
  await Promise.resolve();
  assert.equal(asked, 1);
  assert.equal(states.at(-1), State.CLOSED);
});

test('a refresh hook that fails or returns the refused token falls back to onAuthRequired', async () => {
  for (const hook of [async () => { throw new Error('CRM down'); }, async () => null, 'same']) {
    let asked = 0;
    const { client, WebSocket, token } = setup({ onAuthRequired: () => { asked += 1; return null; } });
    client.options.getToken = hook === 'same' ? async () => token : hook;
    client.connect();
    WebSocket.last().open();
    WebSocket.last().serverClose(4401);
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
    assert.equal(asked, 1);
    assert.equal(WebSocket.sockets.length, 1);
  }
});

test('an expired token is refreshed through getToken before connecting', async () => {
  const clock = new FakeClock();
  const expired = jwtWithExp(Math.floor(clock.nowMs / 1000) - 60);
  const fresh = jwtWithExp(Math.floor(clock.nowMs / 1000) + 3600);
  let asked = 0;
  const { client, WebSocket } = setup({ token: expired, now: clock.now, getToken: async () => fresh, onAuthRequired: () => { asked += 1; } });
  client.connect();
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  assert.equal(asked, 0);
  assert.equal(WebSocket.sockets.length, 1);
  assert.ok(WebSocket.last().url.endsWith(encodeURIComponent(fresh)));
});

test('with getToken a new token is fetched before exp and used by the next connection', async () => {
  const { client, WebSocket, clock } = setup({ pingIntervalMs: 10_000_000 });
  const fresh = jwtWithExp(Math.floor(clock.nowMs / 1000) + 7200, { sub: 'fresh' });
  let calls = 0;
  client.options.getToken = async () => { calls += 1; return fresh; };
  client.connect();
  WebSocket.last().open();
  clock.advance(3_600_000 - 60_000);
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  assert.equal(calls, 1);
  assert.equal(client.token, fresh);
  // The server then closes the old socket for its expired token: the new one is used, no second call.
  WebSocket.last().message({ type: 'error', code: 'token_expired' });
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  assert.equal(calls, 1);
  assert.ok(WebSocket.last().url.endsWith(encodeURIComponent(fresh)));
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

test('token_expired from the server asks for a new token and reconnects with it, not with the old one', async () => {
  let asked = 0;
  const clock = new FakeClock();
  const fresh = jwtWithExp(Math.floor(clock.nowMs / 1000) + 7200);
  const { client, WebSocket, states, errors } = setup({
    now: clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    onAuthRequired: async (reason) => { asked += 1; assert.equal(reason, 'token expired'); return fresh; },
  });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message({ type: 'error', code: 'token_expired', message: 'the token this connection was opened with has expired' });
  // API Gateway's DeleteConnection follows with a plain 1000.
  WebSocket.sockets[0].serverClose(1000);
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(asked, 1);
  assert.equal(WebSocket.sockets.length, 2, 'one new socket, at once, with the new token');
  assert.equal(WebSocket.last().url, `wss://ws.example.test/prod?token=${encodeURIComponent(fresh)}`);
  assert.ok(states.includes(State.CLOSED));
  assert.equal(errors.length, 0, 'not reported as a server error');
});

test('token_expired with no onAuthRequired stays closed instead of reconnecting with the expired token', async () => {
  const { client, WebSocket, clock, states } = setup({ onAuthRequired: null });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message({ type: 'error', code: 'token_expired' });
  WebSocket.sockets[0].serverClose(1000);
  await Promise.resolve();
  clock.advance(120_000);
  assert.equal(WebSocket.sockets.length, 1, 'no reconnect loop');
  assert.equal(states.at(-1), State.CLOSED);
});

test('token_expired during a resume hands over what came and the next connection resumes from where it started', async () => {
  const clock = new FakeClock();
  const fresh = jwtWithExp(Math.floor(clock.nowMs / 1000) + 7200);
  const a = event(1000);
  const { client, WebSocket, received } = setup({
    now: clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
    since: cursorAt(500), onAuthRequired: async () => fresh,
  });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message(a);
  assert.equal(received.length, 0, 'buffered during the resume');
  WebSocket.last().message({ type: 'error', code: 'token_expired' });
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(received.map((e) => e.id), [a.id]);
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: cursorAt(500) }]);
});

test('a close after open once the token has expired asks for a new token even if token_expired was lost', async () => {
  let asked = 0;
  const { client, WebSocket, clock } = setup({ onAuthRequired: () => { asked += 1; return null; } });
  client.connect();
  WebSocket.last().open();
  clock.nowMs += 3_601_000; // the token's exp passes (no timer runs: the link was fine until now)
  WebSocket.last().serverClose(1000);
  await Promise.resolve();
  assert.equal(asked, 1);
  clock.advance(120_000);
  assert.equal(WebSocket.sockets.length, 1);
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

// ------------------------------------------------------------------ resume v2: pages, resync, rate limits

const SERVER_CURSOR = '0000000000500-srvcursor0';

/** A client connected with a since cursor, so the first open starts a resume; returns its socket. */
function resuming(overrides = {}) {
  const resyncs = [];
  const parts = setup({ since: SERVER_CURSOR, onResyncRequired: (reason) => resyncs.push(reason), ...overrides });
  parts.client.connect();
  parts.WebSocket.last().open();
  return { ...parts, resyncs, socket: parts.WebSocket.last() };
}

test('a resumed with complete true ends the resume and hands the replay over', () => {
  const { socket, received, resyncs } = resuming();
  const e1 = event(1000);
  socket.message(e1);
  assert.equal(received.length, 0);
  socket.message({ type: 'resumed', count: 1, complete: true });
  assert.deepEqual(received.map((e) => e.id), [e1.id]);
  assert.deepEqual(socket.sentOfType('resume').length, 1);
  assert.deepEqual(resyncs, []);
});

test('a resumed without complete (an older server) ends the resume like complete true', () => {
  const { socket, received, resyncs } = resuming();
  const e1 = event(1000);
  socket.message(e1);
  socket.message({ type: 'resumed', count: 1 });
  assert.deepEqual(received.map((e) => e.id), [e1.id]);
  assert.equal(socket.sentOfType('resume').length, 1);
  assert.deepEqual(resyncs, []);
});

test('an incomplete page asks for the next one strictly after it, and the whole replay is handed over once, in order', () => {
  const { socket, received, resyncs } = resuming();
  const [e1, e2, e3, e4, e5] = [1000, 2000, 3000, 4000, 5000].map((at) => event(at));
  const live = event(9000);
  socket.message(e1);
  socket.message(e2);
  socket.message(live); // a live push overtakes the replay
  socket.message({ type: 'resumed', count: 2, complete: false, next: e2.id });
  assert.deepEqual(socket.sentOfType('resume'), [
    { type: 'resume', since: SERVER_CURSOR },
    { type: 'resume', after: e2.id },
  ]);
  assert.equal(received.length, 0, 'nothing is handed over between pages');
  socket.message(e3);
  socket.message(e4);
  socket.message(live); // at least once: the same live event again
  socket.message({ type: 'resumed', count: 2, complete: false, next: e4.id });
  socket.message(e5);
  socket.message({ type: 'resumed', count: 1, complete: true });
  assert.deepEqual(socket.sentOfType('resume').at(-1), { type: 'resume', after: e4.id });
  assert.equal(socket.sentOfType('resume').length, 3, 'no request after the last page');
  assert.deepEqual(received.map((e) => e.id), [e1.id, e2.id, e3.id, e4.id, e5.id, live.id]);
  assert.deepEqual(resyncs, []);
});

test('events after a completed paged resume are delivered as they come', () => {
  const { socket, received } = resuming();
  socket.message({ type: 'resumed', count: 500, complete: false, next: event(1000).id });
  socket.message({ type: 'resumed', count: 0, complete: true });
  const later = event(20_000);
  socket.message(later);
  assert.deepEqual(received.map((e) => e.id), [later.id]);
});

test('the resume timeout applies to each page, not to the whole replay', () => {
  const { socket, clock, received, resyncs } = resuming();
  const e1 = event(1000);
  const e2 = event(2000);
  clock.advance(14_000);
  socket.message(e1);
  socket.message({ type: 'resumed', count: 1, complete: false, next: e1.id });
  clock.advance(14_000);
  socket.message(e2);
  socket.message({ type: 'resumed', count: 1, complete: true });
  assert.deepEqual(received.map((e) => e.id), [e1.id, e2.id]);
  assert.deepEqual(resyncs, [], 'no page was late');
});

test('a page that never comes: what arrived is handed over and the page is asked to resync', () => {
  const { socket, clock, received, resyncs } = resuming();
  const e1 = event(1000);
  socket.message(e1);
  socket.message({ type: 'resumed', count: 1, complete: false, next: e1.id });
  clock.advance(15_000);
  assert.deepEqual(received.map((e) => e.id), [e1.id]);
  assert.deepEqual(resyncs, ['resume_timeout']);
  // A late answer to the abandoned resume does not start paging again.
  socket.message({ type: 'resumed', count: 0, complete: false, next: e1.id });
  assert.equal(socket.sentOfType('resume').length, 2);
});

for (const reason of ['cursor_expired', 'too_far_behind', 'delivery_failed']) {
  test(`resync_required (${reason}) answering a resume: the client takes the server cursor and asks the page to reload`, () => {
    const { socket, client, WebSocket, clock, received, resyncs } = resuming();
    const live = event(1000);
    socket.message(live);
    const serverCursor = '0000000090000-srvnow0000';
    socket.message({ type: 'resync_required', reason, cursor: serverCursor });
    assert.deepEqual(resyncs, [reason]);
    assert.deepEqual(received.map((e) => e.id), [live.id], 'what was buffered is still handed over');
    // Events after it are live again.
    const after = event(95_000);
    socket.message(after);
    assert.deepEqual(received.map((e) => e.id), [live.id, after.id]);
    assert.equal(client.state, State.OPEN);
  });

  test(`after resync_required (${reason}) the next connection resumes from the server cursor`, () => {
    const { socket, WebSocket, clock } = resuming();
    socket.message(event(1000));
    const serverCursor = '0000000090000-srvnow0000';
    socket.message({ type: 'resync_required', reason, cursor: serverCursor });
    socket.serverClose(1006);
    clock.advance(1_000);
    WebSocket.last().open();
    assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: serverCursor }]);
  });
}

test('a resync_required cursor older than what was seen does not move the cursor back', () => {
  const { socket, WebSocket, clock, received } = resuming();
  const newer = event(50_000);
  socket.message({ type: 'resumed', count: 0, complete: true });
  socket.message(newer);
  socket.message({ type: 'resync_required', reason: 'cursor_expired', cursor: '0000000001000-srvold0000' });
  assert.equal(received.length, 1);
  socket.serverClose(1006);
  clock.advance(1_000);
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: newer.id }]);
});

test('a pushed resync_required is deduped like any event, advances the cursor and asks the page to reload once', () => {
  const { socket, client, WebSocket, clock, received, resyncs } = resuming();
  const seenByListener = [];
  client.on('resync_required', (e) => seenByListener.push(e.id));
  socket.message({ type: 'resumed', count: 0, complete: true });
  const marker = event(7000, 'resync_required', { reason: 'delivery_failed' });
  socket.message(marker);
  socket.message(marker);
  assert.deepEqual(resyncs, ['delivery_failed']);
  assert.deepEqual(received.map((e) => e.id), [marker.id]);
  socket.serverClose(1006);
  clock.advance(1_000);
  WebSocket.last().open();
  assert.deepEqual(seenByListener, [marker.id]);
  assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: marker.id }]);
});

test('a pushed resync_required during a resume is handed over in cursor order when the resume ends', () => {
  const { socket, received, resyncs } = resuming();
  const e1 = event(1000);
  const marker = event(2000, 'resync_required', { reason: 'delivery_failed' });
  socket.message(marker);
  socket.message(e1);
  assert.deepEqual(resyncs, []);
  socket.message({ type: 'resumed', count: 1, complete: true });
  assert.deepEqual(received.map((e) => e.id), [e1.id, marker.id]);
  assert.deepEqual(resyncs, ['delivery_failed']);
});

test('rate_limited answering a resume: the same request is sent again after retry_after_ms, still buffering', () => {
  const { socket, clock, received, errors, resyncs } = resuming();
  const e1 = event(1000);
  socket.message(e1);
  socket.message({ type: 'resumed', count: 1, complete: false, next: e1.id });
  socket.message({ type: 'error', code: 'rate_limited', message: 'slow down', retry_after_ms: 2_500 });
  clock.advance(2_499);
  assert.equal(socket.sentOfType('resume').length, 2);
  clock.advance(1);
  assert.deepEqual(socket.sentOfType('resume').at(-1), { type: 'resume', after: e1.id });
  assert.equal(socket.sentOfType('resume').length, 3);
  assert.equal(received.length, 0, 'still buffering');
  const e2 = event(2000);
  socket.message(e2);
  socket.message({ type: 'resumed', count: 1, complete: true });
  assert.deepEqual(received.map((e) => e.id), [e1.id, e2.id]);
  assert.deepEqual(errors, [], 'a rate limit the client handles is no error');
  assert.deepEqual(resyncs, []);
});

test('rate_limited without retry_after_ms retries the first resume after a second', () => {
  const { socket, clock } = resuming();
  socket.message({ type: 'error', code: 'rate_limited', message: 'slow down' });
  clock.advance(999);
  assert.equal(socket.sentOfType('resume').length, 1);
  clock.advance(1);
  assert.deepEqual(socket.sentOfType('resume'), [
    { type: 'resume', since: SERVER_CURSOR },
    { type: 'resume', since: SERVER_CURSOR },
  ]);
});

test('a long rate limit wait is not mistaken for a page that never comes', () => {
  const { socket, clock, resyncs } = resuming();
  socket.message({ type: 'error', code: 'rate_limited', message: 'slow down', retry_after_ms: 20_000 });
  clock.advance(20_000);
  assert.deepEqual(resyncs, []);
  assert.equal(socket.sentOfType('resume').length, 2);
});

test('an error answering a resume ends it and asks the page to reload', () => {
  const { socket, received, errors, resyncs } = resuming();
  const e1 = event(1000);
  socket.message(e1);
  socket.message({ type: 'error', code: 'malformed', message: '"since" must be an event id' });
  assert.equal(errors[0].code, 'malformed');
  assert.deepEqual(received.map((e) => e.id), [e1.id]);
  assert.deepEqual(resyncs, ['resume_failed']);
});

test('a socket lost in the middle of a paged resume resumes from the last page, not from newer live events', () => {
  const { socket, WebSocket, clock, received } = resuming();
  const e1 = event(1000);
  const e2 = event(2000);
  const live = event(60_000);
  socket.message(e1);
  socket.message(live);
  socket.message({ type: 'resumed', count: 1, complete: false, next: e1.id });
  socket.serverClose(1001);
  assert.deepEqual(received.map((e) => e.id), [e1.id, live.id], 'what came is handed over');
  clock.advance(1_000);
  const again = WebSocket.last();
  again.open();
  assert.deepEqual(again.sentOfType('resume'), [{ type: 'resume', since: e1.id }]);
  again.message(e2);
  again.message(live);
  again.message({ type: 'resumed', count: 2, complete: true });
  assert.deepEqual(received.map((e) => e.id), [e1.id, live.id, e2.id]);
  // Caught up: from now on the highest id seen is the resume point.
  again.serverClose(1006);
  clock.advance(1_000);
  WebSocket.last().open();
  assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: live.id }]);
});

for (const code of [1000, 1001, 1011]) {
  test(`the server closing an open socket (${code}) means reconnect with backoff and resume`, async () => {
    let asked = 0;
    const { client, WebSocket, clock, states } = setup({ onAuthRequired: () => { asked += 1; return null; } });
    client.connect();
    WebSocket.last().open();
    const a = event(1000);
    WebSocket.last().message(a);
    WebSocket.last().serverClose(code);
    assert.equal(states.at(-1), State.RECONNECTING);
    clock.advance(1_000);
    assert.equal(WebSocket.sockets.length, 2);
    WebSocket.last().open();
    assert.deepEqual(WebSocket.last().sentOfType('resume'), [{ type: 'resume', since: a.id }]);
    await Promise.resolve();
    assert.equal(asked, 0);
  });
}

test('an onResyncRequired that throws or rejects is reported and the connection carries on', async () => {
  const errors = [];
  const { socket, client, received } = resuming({
    onError: (error) => errors.push(error.message),
    onResyncRequired: (reason) => (reason === 'cursor_expired' ? Promise.reject(new Error('reload failed')) : (() => { throw new Error('page bug'); })()),
  });
  socket.message({ type: 'resync_required', reason: 'cursor_expired', cursor: '0000000090000-srvnow0000' });
  socket.message(event(95_000, 'resync_required', { reason: 'delivery_failed' }));
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(errors.sort(), ['page bug', 'reload failed']);
  assert.equal(client.state, State.OPEN);
  assert.equal(received.length, 1);
});

// ------------------------------------------------------------------ message_updated, conversation_merged

const reaction = (millis, extra = {}) => event(millis, 'message_updated', {
  session_id: 's1', conversation_id: '5511987654321', message_id: 'WAMID1', change: 'reaction',
  reaction: { emoji: '👍', sender: 'lead' }, timestamp: '2026-01-15T12:00:00.000Z', ...extra,
});
const merged = (millis) => event(millis, 'conversation_merged', { from: 'lid:123456789', into: '5511987654321' });

test('message_updated reaches onMessageUpdated, on(message_updated) and onEvent, once per id', () => {
  const updates = [];
  const listened = [];
  const { client, WebSocket, received } = setup({ onMessageUpdated: (e) => updates.push(e) });
  client.on('message_updated', (e) => listened.push(e.id));
  client.connect();
  WebSocket.last().open();
  const react = reaction(1000);
  const edit = reaction(2000, { change: 'edit', reaction: undefined, content: 'new text' });
  const del = reaction(3000, { change: 'delete', reaction: undefined });
  for (const e of [react, react, edit, del, edit]) WebSocket.last().message(e);
  assert.deepEqual(updates.map((e) => e.change), ['reaction', 'edit', 'delete']);
  assert.deepEqual(updates[0].reaction, { emoji: '👍', sender: 'lead' });
  assert.equal(updates[1].content, 'new text');
  assert.deepEqual(listened, [react.id, edit.id, del.id]);
  assert.deepEqual(received.map((e) => e.id), [react.id, edit.id, del.id]);
});

test('conversation_merged reaches onConversationMerged and on(conversation_merged), once per id', () => {
  const merges = [];
  const listened = [];
  const { client, WebSocket, received } = setup({ onConversationMerged: (e) => merges.push(e) });
  client.on('conversation_merged', (e) => listened.push(e.id));
  client.connect();
  WebSocket.last().open();
  const m = merged(1000);
  WebSocket.last().message(m);
  WebSocket.last().message(m);
  assert.deepEqual(merges.map((e) => [e.from, e.into]), [['lid:123456789', '5511987654321']]);
  assert.deepEqual(listened, [m.id]);
  assert.deepEqual(received.map((e) => e.id), [m.id]);
});

test('the new events do not reach the other type callbacks, and old pages without the callbacks still get them via on()', () => {
  const calls = [];
  const { client, WebSocket } = setup({
    onMessageUpdated: (e) => calls.push(['updated', e.type]),
    onConversationMerged: (e) => calls.push(['merged', e.type]),
  });
  client.connect();
  WebSocket.last().open();
  WebSocket.last().message(event(1000));
  WebSocket.last().message(event(2000, 'conversation_updated'));
  WebSocket.last().message(reaction(3000));
  WebSocket.last().message(merged(4000));
  assert.deepEqual(calls, [['updated', 'message_updated'], ['merged', 'conversation_merged']]);

  const plain = setup();
  const seen = [];
  plain.client.on('*', (e) => seen.push(e.type));
  plain.client.connect();
  plain.WebSocket.last().open();
  plain.WebSocket.last().message(reaction(1000));
  plain.WebSocket.last().message(merged(2000));
  assert.deepEqual(seen, ['message_updated', 'conversation_merged']);
});

test('both are messages-channel events', () => {
  assert.equal(EVENT_CHANNELS.message_updated, 'messages');
  assert.equal(EVENT_CHANNELS.conversation_merged, 'messages');
  assert.equal(EVENT_CHANNELS.new_message, 'messages');
});

test('during a resume the new events are buffered, deduped against the overlap and handed over in cursor order', () => {
  const updates = [];
  const merges = [];
  const { socket, received, WebSocket, clock } = resuming({
    onMessageUpdated: (e) => updates.push(e.id),
    onConversationMerged: (e) => merges.push(e.id),
  });
  const msg = event(1000);
  const react = reaction(2000);
  const merge = merged(3000);
  const edit = reaction(4000, { change: 'edit', reaction: undefined, content: 'fixed' });
  socket.message(edit); // a live push overtakes the replay
  socket.message(msg);
  socket.message(react);
  socket.message(merge);
  assert.deepEqual(updates, [], 'nothing before the terminal answer');
  assert.deepEqual(merges, []);
  socket.message({ type: 'resumed', count: 3, complete: true });
  assert.deepEqual(received.map((e) => e.id), [msg.id, react.id, merge.id, edit.id]);
  assert.deepEqual(updates, [react.id, edit.id]);
  assert.deepEqual(merges, [merge.id]);

  // They move the cursor like any event: the next connection resumes after the last of them, and the
  // overlap it replays is dropped.
  socket.serverClose(1006);
  clock.advance(1_000);
  const again = WebSocket.last();
  again.open();
  assert.deepEqual(again.sentOfType('resume'), [{ type: 'resume', since: edit.id }]);
  again.message(react);
  again.message(merge);
  again.message(edit);
  again.message({ type: 'resumed', count: 3, complete: true });
  assert.deepEqual(updates, [react.id, edit.id]);
  assert.deepEqual(merges, [merge.id]);
});

test('an onMessageUpdated or onConversationMerged that throws is reported and the others still run', () => {
  const errors = [];
  const listened = [];
  const { client, WebSocket, received } = setup({
    onError: (error) => errors.push(error.message),
    onMessageUpdated: () => { throw new Error('updated bug'); },
    onConversationMerged: () => { throw new Error('merged bug'); },
  });
  client.on('message_updated', (e) => listened.push(e.id));
  client.connect();
  WebSocket.last().open();
  const react = reaction(1000);
  WebSocket.last().message(react);
  WebSocket.last().message(merged(2000));
  WebSocket.last().message(event(3000));
  assert.deepEqual(errors, ['updated bug', 'merged bug']);
  assert.deepEqual(listened, [react.id]);
  assert.equal(received.length, 3);
  assert.equal(client.state, State.OPEN);
});

test('retryNow ends a backoff wait at once, and does nothing while connected or closed', () => {
  const { client, WebSocket, clock } = setup({ backoffBaseMs: 30_000 });
  client.connect();
  WebSocket.last().open();
  client.retryNow();
  assert.equal(WebSocket.sockets.length, 1, 'open: nothing to do');
  WebSocket.last().serverClose(1006);
  assert.equal(client.state, State.RECONNECTING);
  client.retryNow();
  assert.equal(WebSocket.sockets.length, 2);
  client.retryNow();
  assert.equal(WebSocket.sockets.length, 2, 'an attempt is under way');
  client.close();
  client.retryNow();
  clock.advance(120_000);
  assert.equal(WebSocket.sockets.length, 2);
});
