// inbox-relay browser client: one ES module, no dependencies.
//
//   import { InboxRelayClient } from './inbox-relay-client.js';
//   const client = new InboxRelayClient({
//     url: 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
//     token,
//     onEvent: (event) => render(event),
//     onStateChange: (state) => showStatus(state),
//     onAuthRequired: async () => askForNewToken(),   // return a new token, or null to stay closed
//   });
//   client.connect();
//
// What it guarantees the page: events arrive once each (ids seen before are dropped), in cursor
// order across a reconnect (replayed events are buffered until `resumed` and sorted), and nothing
// is missed while the link was down (every reconnect sends `resume` with the last cursor seen).

export const State = Object.freeze({
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
});

const EVENT_TYPES = new Set(['new_message', 'conversation_updated', 'message_status', 'session_status']);

// Close codes a server may use after the upgrade to say "your token is no good".
const AUTH_CLOSE_CODES = new Set([1008, 4001, 4401, 4403]);

const DEFAULTS = {
  tokenTransport: 'query', // or 'subprotocol': Sec-WebSocket-Protocol: inbox-relay, <token>
  channels: null, // e.g. ['messages', 'statuses', 'sessions']; null sends no subscribe
  since: null, // a cursor to resume from on the first connect
  pingIntervalMs: 30_000,
  pongTimeoutMs: 10_000,
  resumeTimeoutMs: 15_000,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  // A failed upgrade (401/403) is, to a browser, only a close before open. This many in a row
  // while the token is not known to be expired still count as an auth failure.
  maxFailuresBeforeAuth: 8,
  dedupeCapacity: 5_000,
};

/** A cursor for a point in time: events after it in lexicographic order happened after it. */
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
    this.timer = { reconnect: null, ping: null, pong: null, resume: null };
    this.listeners = new Map();
  }

  /** Adds a callback for one event type (or '*' for every event); returns a function that removes it. */
  on(type, callback) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(callback);
    return () => this.listeners.get(type).delete(callback);
  }

  connect() {
    this.stopped = false;
    this.open(State.CONNECTING);
  }

  /** Closes for good (until connect() is called again). */
  close() {
    this.stopped = true;
    this.clearTimers();
    this.dropSocket(1000, 'client closed');
    this.setState(State.CLOSED, { reason: 'closed' });
  }

  /** Replaces the token, e.g. after onAuthRequired; reconnects if the client was waiting for it. */
  setToken(token) {
    this.token = token;
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
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.failuresWithoutOpen = 0;
      this.setState(State.OPEN);
      this.afterOpen();
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
      this.send({ type: 'subscribe', channels: this.options.channels });
    }
    if (this.cursor) {
      this.resuming = true;
      this.resumeBuffer = [];
      this.send({ type: 'resume', since: this.cursor });
      this.timer.resume = this.timers.setTimeout(() => this.finishResume(), this.options.resumeTimeoutMs);
    }
    this.schedulePing();
  }

  lost(opened, close) {
    this.clearTimers();
    this.flushResumeBuffer();
    if (this.stopped) {
      this.setState(State.CLOSED, { reason: 'closed' });
      return;
    }
    if (opened && AUTH_CLOSE_CODES.has(close.code)) {
      this.authRequired('server refused the token');
      return;
    }
    if (!opened) {
      this.failuresWithoutOpen += 1;
      if (isTokenExpired(this.token, this.now()) || this.failuresWithoutOpen >= this.options.maxFailuresBeforeAuth) {
        this.authRequired('connection refused');
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

  // ------------------------------------------------------------------ keepalive

  schedulePing() {
    this.timers.clearTimeout(this.timer.ping);
    this.timer.ping = this.timers.setTimeout(() => {
      this.timer.ping = null;
      this.send({ type: 'ping' });
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
        this.finishResume();
        break;
      case 'error':
        this.emitError(Object.assign(new Error(message.message || message.code || 'server error'), { code: message.code }));
        if (this.resuming) this.finishResume();
        break;
      default:
        if (EVENT_TYPES.has(message.type) || typeof message.id === 'string') {
          if (this.resuming) this.resumeBuffer.push(message);
          else this.deliver(message);
        } else {
          this.dispatch(message.type, message);
        }
    }
  }

  finishResume() {
    this.timers.clearTimeout(this.timer.resume);
    this.timer.resume = null;
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
      // A late writer's event can carry an older cursor; never move the resume point back.
      if (!this.cursor || event.id > this.cursor) this.cursor = event.id;
    }
    this.dispatch(event.type, event);
    this.dispatch('*', event);
    if (this.options.onEvent) this.safely(this.options.onEvent, event);
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

  // ------------------------------------------------------------------ helpers

  send(message) {
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
