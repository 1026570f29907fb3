// Deterministic stand-ins for what the client takes from the browser: WebSocket, timers, clock.

export class FakeClock {
  constructor(start = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    this.nowMs = start;
    this.nextId = 1;
    this.pending = new Map();
    this.now = () => this.nowMs;
    this.setTimeout = (fn, delay) => {
      const id = this.nextId++;
      this.pending.set(id, { fn, at: this.nowMs + Math.max(0, delay || 0) });
      return id;
    };
    this.clearTimeout = (id) => {
      this.pending.delete(id);
    };
  }

  /** Moves time forward, running every timer that falls due, in due order. */
  advance(ms) {
    const target = this.nowMs + ms;
    for (;;) {
      let next = null;
      for (const [id, timer] of this.pending) {
        if (timer.at <= target && (next === null || timer.at < next[1].at)) next = [id, timer];
      }
      if (!next) break;
      this.pending.delete(next[0]);
      this.nowMs = next[1].at;
      next[1].fn();
    }
    this.nowMs = target;
  }

  delays() {
    return [...this.pending.values()].map((timer) => timer.at - this.nowMs);
  }
}

/** A WebSocket class whose instances the test drives: open(), message(), serverClose(). */
export function fakeWebSocketClass() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url, protocols) {
      this.url = url;
      this.protocols = protocols;
      this.readyState = 0;
      this.sent = [];
      this.closedByClient = null;
      sockets.push(this);
    }

    send(data) {
      if (this.readyState !== 1) throw new Error('send on a socket that is not open');
      this.sent.push(JSON.parse(data));
    }

    close(code, reason) {
      this.closedByClient = { code, reason };
      this.readyState = 3;
    }

    // ---- test side
    open() {
      this.readyState = 1;
      this.onopen?.({});
    }

    message(object) {
      this.onmessage?.({ data: JSON.stringify(object) });
    }

    serverClose(code = 1006) {
      this.readyState = 3;
      this.onclose?.({ code, reason: '', wasClean: code === 1000 });
    }

    sentOfType(type) {
      return this.sent.filter((m) => m.type === type);
    }
  }
  FakeWebSocket.sockets = sockets;
  FakeWebSocket.last = () => sockets[sockets.length - 1];
  return FakeWebSocket;
}

function base64url(text) {
  return Buffer.from(text).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** An unsigned-looking JWT: the client only reads its payload. */
export function jwtWithExp(expSeconds, extra = {}) {
  return [
    base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
    base64url(JSON.stringify({ tenant_id: 'acme', sub: 'agent-1', exp: expSeconds, ...extra })),
    base64url('signature'),
  ].join('.');
}

let counter = 0;
export function event(millis, type = 'new_message', extra = {}) {
  counter += 1;
  const id = `${String(millis).padStart(13, '0')}-${String(counter).padStart(10, '0')}`;
  return { type, id, tenant_id: 'acme', ...extra };
}
