// inbox-relay browser client: one ES module, no dependencies.
//
//   import { InboxRelayClient } from './inbox-relay-client.js';
//   const client = new InboxRelayClient({
//     url: 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
//     token,
//     onEvent: (event) => render(event),
//     onStateChange: (state) => showStatus(state),
//     getToken: async () => fetchFreshTokenFromTheCrm(),   // optional refresh hook, tried before onAuthRequired
//     checkToken: async (token) => 'valid' | 'refused' | 'unknown',   // optional: tells a refusal from an outage
//     onAuthRequired: async () => askForNewToken(),   // return a new token, or null to stay closed
//     onResyncRequired: (reason) => reloadFromReadApi(),   // the server cannot replay a gap
//     onMessageUpdated: (event) => applyChange(event),   // a reaction, edit or delete of an earlier message
//     onConversationMerged: (event) => dropAndReload(event.from, event.into),   // two ids, one person
//     since: listAnswer.cursor,   // the read API's cursor, so the first connect replays what the load missed
//   });
//   client.connect();
//   const message = await client.send(conversationId, { text: 'Hola', replyTo });   // POST …/messages
//   const blob = await client.fetchMedia(messageId);   // GET /api/messages/{id}/media, with the token
//
// What it guarantees the page: events arrive once each (ids seen before are dropped), in cursor
// order across a reconnect (replayed events are buffered until the resume's terminal answer and
// sorted), and nothing is missed while the link was down: every reconnect sends `resume` with the
// last cursor seen, follows the server's pages (`resumed` with `complete: false`) until it is caught
// up, and when a gap cannot be replayed (`resync_required`, or a resume that never finishes) it says
// so through onResyncRequired, so the page reloads from the read API instead of missing it silently.

export const State = Object.freeze({
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  // The browser says it has no network: no attempt counts as a refusal; the client reconnects on `online`.
  OFFLINE: 'offline',
  CLOSED: 'closed',
});

/**
 * The events the server pushes, by the channel a `subscribe` names to get them. `resync_required` is
 * pushed to every socket whatever it subscribed to.
 */
export const EVENT_CHANNELS = Object.freeze({
  new_message: 'messages',
  conversation_updated: 'messages',
  message_updated: 'messages',
  conversation_merged: 'messages',
  message_status: 'statuses',
  session_status: 'sessions',
  resync_required: null,
});

const EVENT_TYPES = new Set(Object.keys(EVENT_CHANNELS));

// Option callbacks called for one event type, after the on(type) listeners and onEvent. Like every
// event, these are deduplicated by id, buffered during a resume and handed over in cursor order.
const EVENT_CALLBACKS = Object.freeze({
  message_updated: 'onMessageUpdated', // {message_id, conversation_id, change: reaction|edit|delete, …}
  conversation_merged: 'onConversationMerged', // {from, into}: drop `from`, reload `into`
});

// Close codes a server may use after the upgrade to say "your token is no good".
const AUTH_CLOSE_CODES = new Set([1008, 4001, 4401, 4403]);
// API Gateway's DeleteConnection closes with a plain 1000/1001 and no reason, so a server that closes
// a socket because its token expired says so first with this error; it means "ask for a new token".
const TOKEN_EXPIRED = 'token_expired';

// `{"type":"error","code":…}` answers that are a real refusal of the token (the server closes the
// socket after it): a refresh, or onAuthRequired, never a reconnect with the same token.
const REFUSAL_ERROR_CODES = new Set(['token_expired', 'unauthorized', 'forbidden']);

/** What the client asks about the network: a browser's window and navigator, or nothing (node, tests). */
function resolveNetwork(option) {
  if (option === null) return null;
  if (option) return option;
  const target = globalThis;
  if (typeof target.addEventListener !== 'function' || !target.navigator) return null;
  return { addEventListener: target.addEventListener.bind(target), removeEventListener: target.removeEventListener.bind(target), get onLine() { return target.navigator.onLine !== false; } };
}

const DEFAULTS = {
  tokenTransport: 'query', // or 'subprotocol': Sec-WebSocket-Protocol: inbox-relay, <token>
  channels: null, // e.g. ['messages', 'statuses', 'sessions']; null sends no subscribe
  since: null, // a server cursor to resume from on the first connect (the read API's `cursor`)
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  resumeTimeoutMs: 15_000, // per page of a resume
  rateLimitRetryMs: 1_000, // when a rate_limited answer to a resume carries no retry_after_ms
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  // A failed upgrade (401/403) is, to a browser, only a close before open, exactly like a network that
  // is down. After this many in a row (while online, with a token whose exp has not passed) the client
  // asks checkToken whether the token is refused; only a 'refused' answer is an auth failure. Without
  // checkToken it keeps retrying with backoff: an outage must never look like a revoked login.
  maxFailuresBeforeAuth: 8,
  getToken: null, // async (reason) => a fresh token or null: the host's refresh hook
  checkToken: null, // async (token) => 'valid' | 'refused' | 'unknown' (e.g. a read API call: 401 = refused)
  refreshBeforeExpiryMs: 60_000, // with getToken: fetch a new token this long before exp
  network: undefined, // an EventTarget with `online`/`offline` events and navigator-like onLine; default: the browser's
  dedupeCapacity: 5_000,
  api: '', // base URL of the HTTP API for send() and fetchMedia(); '' = the page's own origin
  fetch: null, // default: the browser's fetch
  // send(): a lost answer or a 502/503/504 is retried with the same client_id (the server stores it once).
  sendRetries: 4,
  sendRetryBaseMs: 500,
  sendRetryMaxMs: 8_000,
};

// Answers to a send that say "try again later": the retry carries the same client_id, so it is safe.
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** Message statuses in the order they happen; `played` (a voice note heard) counts as read. */
export const STATUS_RANK = Object.freeze({ pending: 0, sent: 1, delivered: 2, read: 3, played: 4, failed: 9 });

/**
 * Whether a message whose status is `current` (with failure code `code`) may take `next`: statuses only
 * move forward, so a late or replayed event never takes a bubble back. A failure is final, except a
 * timeout, which the gateway's echo can prove wrong (the message did go out).
 */
export function statusMovesTo(current, next, code) {
  if (!Object.hasOwn(STATUS_RANK, next)) return false;
  if (!Object.hasOwn(STATUS_RANK, current)) return true;
  if (current === 'failed') return code === 'timeout' && next !== 'pending' && next !== 'failed';
  return STATUS_RANK[next] > STATUS_RANK[current];
}

/**
 * One message after another copy of it arrives (a push, a read API page, the send answer, a status):
 * the newest fields, but a status that only moves forward, and a failure's reason and code only with
 * the failed status.
 */
export function mergeMessage(known, update) {
  const merged = { ...known, ...update };
  if (!known || update.status === undefined || update.status === known.status) return merged;
  // `unsent`: a failure only this browser saw (the send got no answer); the server's word wins over it.
  if (known.unsent && !update.unsent) delete merged.unsent;
  else if (!statusMovesTo(known.status, update.status, known.code)) {
    return { ...merged, status: known.status, reason: known.reason, code: known.code };
  }
  if (update.status !== 'failed') {
    delete merged.reason;
    delete merged.code;
  }
  return merged;
}

/**
 * The message a page already holds that `message` is a copy of: the same id, or the same client_id
 * (the sender's own bubble, shown before the server answered). One message is one bubble.
 */
export function findSameMessage(messages, message) {
  const known = messages.get(message.id);
  if (known || typeof message.client_id !== 'string' || !message.client_id) return known || null;
  for (const candidate of messages.values()) {
    if (candidate.client_id === message.client_id) return candidate;
  }
  return null;
}

/** A fresh client_id for send(): 8–64 characters of [A-Za-z0-9_-]. */
export function newClientId() {
  const crypto = globalThis.crypto;
  // randomUUID exists only in a secure context (https, localhost); getRandomValues everywhere.
  const id = typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return id.replace(/[^A-Za-z0-9_-]/g, '');
}

/**
 * A cursor for a point in time: events after it in lexicographic order happened after it. Only for
 * tools and tests: a page resumes from the server's cursor (the read API's `cursor`), never from the
 * browser's clock, which can be minutes off the server's.
 */
export function cursorAt(epochMillis) {
  return String(Math.max(0, Math.floor(epochMillis))).padStart(13, '0') + '-0000000000';
}

/** The payload of a JWT, or null when it is not one. Not verified: only to read `exp`. */
export function decodeJwtPayload(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/** True when the token carries an `exp` that has passed at `nowMillis`. */
export function isTokenExpired(token, nowMillis) {
  const payload = decodeJwtPayload(token);
  return !!payload && typeof payload.exp === 'number' && payload.exp * 1000 <= nowMillis;
}

/** Remembers the last `capacity` ids: enough to cover a resume overlap without growing forever. */
export class SeenIds {
  constructor(capacity) {
    this.capacity = capacity;
    this.set = new Set();
    this.order = [];
    this.head = 0;
  }

  has(id) {
    return this.set.has(id);
  }

  add(id) {
    if (this.set.has(id)) return;
    this.set.add(id);
    this.order.push(id);
    if (this.set.size > this.capacity) {
      this.set.delete(this.order[this.head]);
      this.head += 1;
      if (this.head > this.capacity) {
        this.order = this.order.slice(this.head);
        this.head = 0;
      }
    }
  }
}

export class InboxRelayClient {
  constructor(options) {
    if (!options || !options.url) throw new Error('InboxRelayClient needs a url');
    this.options = { ...DEFAULTS, ...options };
    this.url = options.url;
    this.token = options.token || null;
    this.WebSocketImpl = options.WebSocket || globalThis.WebSocket;
    this.timers = {
      setTimeout: options.setTimeout || globalThis.setTimeout.bind(globalThis),
      clearTimeout: options.clearTimeout || globalThis.clearTimeout.bind(globalThis),
    };
    this.now = options.now || (() => Date.now());
    this.random = options.random || Math.random;

    this.state = State.CLOSED;
    this.cursor = this.options.since || null;
    this.seen = new SeenIds(this.options.dedupeCapacity);
    this.socket = null;
    this.attempt = 0;
    this.failuresWithoutOpen = 0;
    this.stopped = true;
    this.resuming = false;
    this.resumeBuffer = [];
    // Where to resume from if the resume under way does not finish: the cursor it started from, then
    // each page's `next`. Live events buffered meanwhile can be newer than the part still missing, so
    // the highest id seen (this.cursor) is no safe restart point until the server says "complete".
    this.resumeFrom = null;
    this.pendingResume = null; // the resume message last sent, to repeat it after rate_limited
    this.timer = { reconnect: null, ping: null, pong: null, resume: null, resumeRetry: null, refresh: null };
    this.listeners = new Map();
    this.network = resolveNetwork(options.network);
    this.networkListeners = null;
    this.socketToken = null; // the token the current (or last) socket was opened with
    this.refreshedWithoutOpen = false; // a refreshed token not yet proven by an open socket
    this.checking = false; // a checkToken call is under way
  }

  /** Adds a callback for one event type (or '*' for every event); returns a function that removes it. */
  on(type, callback) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(callback);
    return () => this.listeners.get(type).delete(callback);
  }

  connect() {
    this.stopped = false;
    this.watchNetwork();
    this.open(State.CONNECTING);
  }

  /** Closes for good (until connect() is called again). */
  close() {
    this.stopped = true;
    this.unwatchNetwork();
    this.clearTimers();
    this.dropSocket(1000, 'client closed');
    this.setState(State.CLOSED, { reason: 'closed' });
  }

  /** Replaces the token, e.g. after onAuthRequired; reconnects if the client was waiting for it. */
  setToken(token) {
    this.token = token;
    this.refreshedWithoutOpen = false;
    if (!this.stopped && this.state === State.CLOSED) {
      this.failuresWithoutOpen = 0;
      this.attempt = 0;
      this.open(State.CONNECTING);
    }
  }

  // ------------------------------------------------------------------ connection

  open(state) {
    this.clearTimers();
    this.dropSocket(1000, 'reconnecting');
    if (isTokenExpired(this.token, this.now())) {
      this.authRequired('token expired');
      return;
    }
    this.setState(state);
    let socket;
    try {
      socket = this.createSocket();
    } catch (error) {
      this.emitError(error);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.socketToken = this.token;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.failuresWithoutOpen = 0;
      this.refreshedWithoutOpen = false;
      this.setState(State.OPEN);
      this.afterOpen();
      this.scheduleRefresh();
    };
    socket.onmessage = (message) => {
      if (this.socket !== socket) return;
      this.receive(message.data);
    };
    socket.onerror = () => {
      // Always followed by close; the close decides what happens next.
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.lost(opened, close || {});
    };
  }

  createSocket() {
    if (this.options.tokenTransport === 'subprotocol') {
      return new this.WebSocketImpl(this.url, this.token ? ['inbox-relay', this.token] : ['inbox-relay']);
    }
    if (!this.token) return new this.WebSocketImpl(this.url);
    const separator = this.url.includes('?') ? '&' : '?';
    return new this.WebSocketImpl(`${this.url}${separator}token=${encodeURIComponent(this.token)}`);
  }

  afterOpen() {
    if (this.options.channels) {
      this.sendFrame({ type: 'subscribe', channels: this.options.channels });
    }
    const since = this.resumeFrom || this.cursor;
    if (since) {
      this.resuming = true;
      this.resumeBuffer = [];
      this.resumeFrom = since;
      this.sendResume({ type: 'resume', since });
    }
    this.schedulePing();
  }

  /** Sends one page's resume request; the timeout covers that page only. */
  sendResume(request) {
    this.pendingResume = request;
    this.timers.clearTimeout(this.timer.resume);
    this.timers.clearTimeout(this.timer.resumeRetry);
    this.timer.resumeRetry = null;
    this.sendFrame(request);
    this.timer.resume = this.timers.setTimeout(() => {
      this.timer.resume = null;
      this.giveUpResume('resume_timeout');
    }, this.options.resumeTimeoutMs);
  }

  lost(opened, close) {
    this.clearTimers();
    // What came is handed over; resumeFrom stays, so the next connection replays the rest.
    this.flushResumeBuffer();
    if (this.stopped) {
      this.setState(State.CLOSED, { reason: 'closed' });
      return;
    }
    if (opened && AUTH_CLOSE_CODES.has(close.code)) {
      this.authRequired('server refused the token');
      return;
    }
    if (opened && isTokenExpired(this.token, this.now())) {
      // Closed at the token's end without the token_expired message reaching us: same meaning.
      this.authRequired('token expired');
      return;
    }
    if (this.isOffline()) {
      this.waitForNetwork();
      return;
    }
    if (!opened) {
      this.failuresWithoutOpen += 1;
      if (isTokenExpired(this.token, this.now())) {
        this.authRequired('token expired');
        return;
      }
      if (this.failuresWithoutOpen % this.options.maxFailuresBeforeAuth === 0 && this.options.checkToken) {
        this.verifyToken();
        return;
      }
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    this.setState(State.RECONNECTING);
    // Full jitter: a uniformly random wait up to the exponential ceiling, so a fleet of browsers
    // that lost the same server does not come back in lockstep.
    const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** this.attempt);
    const delay = Math.floor(this.random() * ceiling);
    this.attempt += 1;
    this.timer.reconnect = this.timers.setTimeout(() => {
      this.timer.reconnect = null;
      this.open(State.RECONNECTING);
    }, delay);
  }

  async authRequired(reason) {
    this.clearTimers();
    this.dropSocket(1000, 'auth required');
    if (await this.refreshToken(reason)) return;
    if (this.stopped) return;
    this.setState(State.CLOSED, { reason: 'auth_required', detail: reason });
    const ask = this.options.onAuthRequired;
    if (!ask) return;
    let token;
    try {
      token = await ask(reason);
    } catch (error) {
      this.emitError(error);
      return;
    }
    if (token && !this.stopped && this.state === State.CLOSED) {
      this.setToken(token);
    }
  }

  dropSocket(code, reason) {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closing; nothing to do.
    }
  }

  // ------------------------------------------------------------------ network and token truth
  // Offline is not refused: while the browser has no network nothing counts against the token, and
  // the client reconnects the moment it is back. A refusal is only a server's word (an auth close
  // code, an error such as token_expired, checkToken answering 'refused') or an `exp` that passed;
  // then the host's getToken hook is tried before onAuthRequired.

  isOffline() {
    return !!this.network && this.network.onLine === false;
  }

  watchNetwork() {
    if (!this.network || this.networkListeners) return;
    this.networkListeners = { online: () => this.networkOnline(), offline: () => this.networkOffline() };
    for (const [name, listener] of Object.entries(this.networkListeners)) this.network.addEventListener(name, listener);
  }

  unwatchNetwork() {
    if (!this.network || !this.networkListeners) return;
    for (const [name, listener] of Object.entries(this.networkListeners)) this.network.removeEventListener(name, listener);
    this.networkListeners = null;
  }

  /** No network: drop the socket (it is dead or soon will be) and wait for `online`. */
  networkOffline() {
    if (this.stopped || this.state === State.CLOSED || this.state === State.OFFLINE) return;
    this.clearTimers();
    this.flushResumeBuffer();
    this.dropSocket(1000, 'offline');
    this.waitForNetwork();
  }

  /** The network is back: reconnect now, with a clean slate (nothing that failed offline counts). */
  networkOnline() {
    if (this.stopped || this.state === State.CLOSED || this.state === State.OPEN || this.state === State.CONNECTING) return;
    if (this.state === State.RECONNECTING && this.socket) return; // an attempt is already under way
    this.attempt = 0;
    this.failuresWithoutOpen = 0;
    this.open(State.RECONNECTING);
  }

  /** Ends a backoff wait now (the page saw the agent come back); a no-op unless waiting to reconnect. */
  retryNow() {
    if (this.stopped || this.socket || this.checking) return;
    if (this.state !== State.RECONNECTING && this.state !== State.OFFLINE) return;
    this.open(this.state);
  }

  /** Offline state; a slow retry in case the browser's onLine is wrong, counting nothing. */
  waitForNetwork() {
    this.setState(State.OFFLINE);
    this.timers.clearTimeout(this.timer.reconnect);
    this.timer.reconnect = this.timers.setTimeout(() => {
      this.timer.reconnect = null;
      this.open(State.OFFLINE);
    }, this.options.backoffMaxMs);
  }

  /** A run of closes before open while online: ask whether the token is refused or the server unreachable. */
  async verifyToken() {
    this.setState(State.RECONNECTING);
    this.checking = true;
    let verdict = 'unknown';
    try {
      verdict = await this.options.checkToken(this.token);
    } catch (error) {
      this.emitError(error);
    } finally {
      this.checking = false;
    }
    // Something else moved on meanwhile (online event, setToken, close()).
    if (this.stopped || this.socket || this.state !== State.RECONNECTING || this.timer.reconnect) return;
    if (verdict === 'refused') this.authRequired('connection refused');
    else this.scheduleReconnect();
  }

  /** `{"type":"error","code":"token_expired"}` and the like: the server closes this socket for its token. */
  refusedByServer(message) {
    if (message.code === TOKEN_EXPIRED) {
      // A token's end is no error, just the moment to ask for the next one.
      this.flushResumeBuffer();
      this.authRequired('token expired');
      return;
    }
    this.emitError(Object.assign(new Error(message.message || message.code), { code: message.code }));
    this.flushResumeBuffer();
    this.authRequired(message.code);
  }

  /**
   * Tries to go on without asking the agent: a newer token already set (a refresh made while the old
   * socket lived), or one from the host's getToken hook. True when a new connection is under way.
   */
  async refreshToken(reason) {
    const now = this.now();
    if (this.token && this.token !== this.socketToken && !isTokenExpired(this.token, now)) {
      this.failuresWithoutOpen = 0;
      this.open(State.RECONNECTING);
      return true;
    }
    const getToken = this.options.getToken;
    if (typeof getToken !== 'function' || this.refreshedWithoutOpen) return false;
    this.setState(State.RECONNECTING, { reason: 'refreshing_token', detail: reason });
    let fresh = null;
    try {
      fresh = await getToken(reason);
    } catch (error) {
      this.emitError(error);
    }
    if (this.stopped) return true;
    if (typeof fresh !== 'string' || !fresh || fresh === this.socketToken || isTokenExpired(fresh, this.now())) return false;
    this.refreshedWithoutOpen = true;
    this.token = fresh;
    this.failuresWithoutOpen = 0;
    this.attempt = 0;
    this.open(State.RECONNECTING);
    return true;
  }

  /** With getToken: a fresh token shortly before exp, kept for the next connection (this one lives on). */
  scheduleRefresh() {
    const getToken = this.options.getToken;
    const exp = decodeJwtPayload(this.token)?.exp;
    if (typeof getToken !== 'function' || typeof exp !== 'number') return;
    const delay = Math.min(2 ** 31 - 1, Math.max(0, exp * 1000 - this.options.refreshBeforeExpiryMs - this.now()));
    this.timers.clearTimeout(this.timer.refresh);
    this.timer.refresh = this.timers.setTimeout(async () => {
      this.timer.refresh = null;
      try {
        const fresh = await getToken('token expiring');
        if (typeof fresh === 'string' && fresh && !isTokenExpired(fresh, this.now())) this.token = fresh;
      } catch (error) {
        this.emitError(error);
      }
    }, delay);
  }

  // ------------------------------------------------------------------ keepalive

  schedulePing() {
    this.timers.clearTimeout(this.timer.ping);
    this.timer.ping = this.timers.setTimeout(() => {
      this.timer.ping = null;
      this.sendFrame({ type: 'ping' });
      this.timer.pong = this.timers.setTimeout(() => {
        // No pong: the link is dead even if the browser has not noticed (NAT timeout, sleeping laptop).
        this.timer.pong = null;
        this.dropSocket(4000, 'pong timeout');
        this.lost(true, { code: 4000, reason: 'pong timeout' });
      }, this.options.pongTimeoutMs);
    }, this.options.pingIntervalMs);
  }

  // ------------------------------------------------------------------ receiving

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      this.emitError(new Error('server sent a frame that is not JSON'));
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    // Anything the server says proves the link works and the token was accepted.
    this.attempt = 0;
    switch (message.type) {
      case 'pong':
        this.timers.clearTimeout(this.timer.pong);
        this.timer.pong = null;
        this.schedulePing();
        break;
      case 'resumed':
        this.resumed(message);
        break;
      case 'error':
        if (REFUSAL_ERROR_CODES.has(message.code)) {
          // The server closes this socket next: hand over what came, and reconnect only with a new token.
          this.refusedByServer(message);
          break;
        }
        if (message.code === 'rate_limited' && this.resuming && this.pendingResume) {
          this.retryResumeAfter(message.retry_after_ms);
          break;
        }
        this.emitError(Object.assign(new Error(message.message || message.code || 'server error'), { code: message.code }));
        // The resume was refused (bad cursor, connection not registered): what it would have
        // replayed is unknown.
        if (this.resuming) this.giveUpResume('resume_failed');
        break;
      default:
        if (message.type === 'resync_required' && typeof message.id !== 'string') {
          this.resyncAnswer(message);
        } else if (EVENT_TYPES.has(message.type) || typeof message.id === 'string') {
          if (this.resuming) this.resumeBuffer.push(message);
          else this.deliver(message);
        } else {
          this.dispatch(message.type, message);
        }
    }
  }

  /** `resumed`: the last page (`complete` true or absent, as old servers send it), or one of several. */
  resumed(message) {
    if (!this.resuming) return; // a late answer to a resume already given up on
    if (message.complete !== false) {
      this.endResume();
      this.resumeFrom = null;
      return;
    }
    if (typeof message.next !== 'string' || !message.next) {
      this.emitError(new Error('server sent resumed with complete false and no next cursor'));
      this.giveUpResume('resume_failed');
      return;
    }
    // More remain: ask for the page strictly after this one, still buffering.
    this.resumeFrom = message.next;
    this.sendResume({ type: 'resume', after: message.next });
  }

  /** `resync_required` as the terminal answer to a resume: that gap cannot be replayed. */
  resyncAnswer(message) {
    if (this.resuming) this.endResume();
    this.resumeFrom = null; // the server said it cannot replay from there
    this.advanceCursor(message.cursor);
    this.resyncRequired(message.reason || 'resync_required');
  }

  /**
   * A resume that will not finish (no answer within the page timeout, or refused): what came is
   * handed over and the page reloads the rest through the read API. A page without
   * onResyncRequired keeps the restart point instead, so the next connection tries again from it.
   */
  giveUpResume(reason) {
    this.endResume();
    if (!this.options.onResyncRequired) return;
    this.resumeFrom = null;
    this.resyncRequired(reason);
  }

  retryResumeAfter(retryAfterMs) {
    this.timers.clearTimeout(this.timer.resume);
    this.timer.resume = null;
    const delay = Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? retryAfterMs : this.options.rateLimitRetryMs;
    const request = this.pendingResume;
    this.timers.clearTimeout(this.timer.resumeRetry);
    this.timer.resumeRetry = this.timers.setTimeout(() => {
      this.timer.resumeRetry = null;
      if (this.resuming) this.sendResume(request);
    }, delay);
  }

  /** Stops buffering and hands the buffer over; resumeFrom is the caller's business. */
  endResume() {
    this.timers.clearTimeout(this.timer.resume);
    this.timers.clearTimeout(this.timer.resumeRetry);
    this.timer.resume = null;
    this.timer.resumeRetry = null;
    this.pendingResume = null;
    this.flushResumeBuffer();
  }

  flushResumeBuffer() {
    if (!this.resuming) return;
    this.resuming = false;
    const buffered = this.resumeBuffer;
    this.resumeBuffer = [];
    // Replayed and live events interleave on the wire; cursor order is time order.
    buffered.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const event of buffered) this.deliver(event);
  }

  deliver(event) {
    if (event.id) {
      if (this.seen.has(event.id)) return;
      this.seen.add(event.id);
      this.advanceCursor(event.id);
    }
    this.dispatch(event.type, event);
    this.dispatch('*', event);
    if (this.options.onEvent) this.safely(this.options.onEvent, event);
    const callback = Object.hasOwn(EVENT_CALLBACKS, event.type) ? this.options[EVENT_CALLBACKS[event.type]] : null;
    if (typeof callback === 'function') this.safely(callback, event);
    // The server gave up delivering something (or lost track): the page reloads through the read API.
    if (event.type === 'resync_required') this.resyncRequired(event.reason || 'resync_required');
  }

  /** A late writer's event can carry an older cursor; the resume point never moves back. */
  advanceCursor(cursor) {
    if (typeof cursor !== 'string' || !cursor) return;
    if (!this.cursor || cursor > this.cursor) this.cursor = cursor;
  }

  resyncRequired(reason) {
    const callback = this.options.onResyncRequired;
    if (!callback) return;
    try {
      const result = callback(reason);
      if (result && typeof result.then === 'function') result.then(null, (error) => this.emitError(error));
    } catch (error) {
      this.emitError(error);
    }
  }

  dispatch(type, payload) {
    const callbacks = this.listeners.get(type);
    if (!callbacks) return;
    for (const callback of [...callbacks]) this.safely(callback, payload);
  }

  safely(callback, payload) {
    try {
      callback(payload);
    } catch (error) {
      // A page bug in one callback must not kill the connection or the other callbacks.
      this.emitError(error);
    }
  }

  // ------------------------------------------------------------------ sending and media (HTTP API)

  /**
   * `send(conversationId, {text, replyTo, mediaUrl, mediaType, fileName, clientId})` posts a message
   * and resolves with the server's message (status `pending`, or where it has got to if that client_id
   * was sent before); it rejects with an Error carrying `code`, `message` and `status` (0: no answer).
   * No answer, 502, 503 and 504 are retried with the same client_id; a 4xx never is. The promise's
   * `clientId` is known at once, for the page's optimistic bubble.
   * `send(frame)` with an object writes one frame to the socket (e.g. `{type: 'status'}`), true if sent.
   */
  send(conversationId, message = {}) {
    if (typeof conversationId !== 'string') return this.sendFrame(conversationId);
    const clientId = message.clientId || newClientId();
    const body = { client_id: clientId };
    if (typeof message.text === 'string' && message.text) body.text = message.text;
    if (message.replyTo) body.reply_to = message.replyTo;
    if (message.mediaUrl) body.media_url = message.mediaUrl;
    if (message.mediaType) body.media_type = message.mediaType;
    if (message.fileName) body.file_name = message.fileName;
    const promise = this.postMessage(`/api/conversations/${encodeURIComponent(conversationId)}/messages`, JSON.stringify(body));
    promise.clientId = clientId;
    return promise;
  }

  async postMessage(path, body) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await this.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        return (await response.json()).message;
      } catch (error) {
        if (!error.retryable || attempt >= this.options.sendRetries) throw error;
        const ceiling = Math.min(this.options.sendRetryMaxMs, this.options.sendRetryBaseMs * 2 ** attempt);
        await new Promise((resolve) => this.timers.setTimeout(resolve, Math.floor(this.random() * ceiling)));
      }
    }
  }

  /** A message's media through the API's proxy (`GET /api/messages/{id}/media`), as a Blob. */
  async fetchMedia(messageId) {
    const response = await this.request(`/api/messages/${encodeURIComponent(messageId)}/media`, { method: 'GET' });
    return response.blob();
  }

  /** One API call with the token; a 401 tries the host's getToken once. Errors carry code and status. */
  async request(path, init, refreshed = false) {
    const fetchImpl = this.options.fetch || globalThis.fetch.bind(globalThis);
    let response;
    try {
      response = await fetchImpl(`${this.options.api}${path}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${this.token}` } });
    } catch (cause) {
      throw Object.assign(new Error('the server could not be reached'), { code: 'network', status: 0, retryable: true, cause });
    }
    if (response.ok) return response;
    if (response.status === 401 && !refreshed && (await this.refreshForRequest())) return this.request(path, init, true);
    const answer = await response.json().catch(() => ({}));
    throw Object.assign(new Error(answer.message || `HTTP ${response.status}`), {
      code: answer.error || `http_${response.status}`, status: response.status, retryable: RETRYABLE_STATUSES.has(response.status),
    });
  }

  /** A refused API call: a fresh token from getToken, kept for the next connection too (this one lives on). */
  async refreshForRequest() {
    if (typeof this.options.getToken !== 'function') return false;
    let fresh = null;
    try {
      fresh = await this.options.getToken('request refused');
    } catch (error) {
      this.emitError(error);
    }
    if (typeof fresh !== 'string' || !fresh || fresh === this.token || isTokenExpired(fresh, this.now())) return false;
    this.token = fresh;
    return true;
  }

  // ------------------------------------------------------------------ helpers

  sendFrame(message) {
    if (!this.socket || this.socket.readyState !== 1) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  setState(state, detail = {}) {
    if (this.state === state && !detail.reason) return;
    this.state = state;
    if (this.options.onStateChange) this.safely(() => this.options.onStateChange(state, detail), null);
    this.dispatch('state', { state, ...detail });
  }

  emitError(error) {
    if (this.options.onError) {
      try {
        this.options.onError(error);
      } catch {
        // The error reporter itself failed; nothing sensible is left to do.
      }
    }
  }

  clearTimers() {
    for (const name of Object.keys(this.timer)) {
      if (this.timer[name] !== null) this.timers.clearTimeout(this.timer[name]);
      this.timer[name] = null;
    }
  }
}
