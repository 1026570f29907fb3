// The inbox page: conversation list, message pane, connection and WhatsApp-number status. State lives
// in plain maps; the REST read API fills them on load (and again whenever the server says it cannot
// replay a gap), the WebSocket client keeps them current. Rendering is keyed: a live update changes the
// nodes it concerns and never rebuilds a list under the agent's keyboard focus.
import { InboxRelayClient, isTokenExpired, mergeMessage, findSameMessage } from './inbox-relay-client.js';
import {
  parseWhatsApp, plainWhatsApp, formatPhone, groupLabel, dayLabel, dayKey, clockTime, fullTimestamp, listTime, isoOf,
} from './format.js';

const TOKEN_KEY = 'inbox-relay.token';
const PREFS_KEY = 'inbox-relay.prefs';
const BASE_TITLE = 'Inbox · inbox-relay';
const STATE_LABELS = {
  connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…',
  offline: 'Offline: waiting for the network', closed: 'Disconnected',
};

const $ = (id) => document.getElementById(id);

function settings() {
  const file = window.INBOX_RELAY_CONFIG || {};
  const query = new URLSearchParams(location.search);
  const pick = (name) => query.get(name) || file[name] || '';
  const defaultWs = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname || 'localhost'}:3001/prod`;
  const fromQuery = query.get('token');
  if (fromQuery) {
    // Read once, then out of the address bar (and of history, bookmarks, screenshots, Referer).
    sessionStorage.setItem(TOKEN_KEY, fromQuery);
    query.delete('token');
    const rest = query.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  }
  const number = (name, fallback, min, max) => {
    const value = Number(pick(name));
    return Number.isInteger(value) && value >= min && value <= max ? value : fallback;
  };
  return {
    api: pick('api').replace(/\/+$/, ''),
    ws: pick('ws') || defaultWs,
    token: fromQuery || sessionStorage.getItem(TOKEN_KEY) || file.token || '',
    tokenTransport: pick('tokenTransport') || 'query',
    // The host CRM's refresh hook: async () => a fresh JWT (or null). Only from config.js, never a URL.
    getToken: typeof file.getToken === 'function' ? file.getToken : null,
    pageSize: number('pageSize', 50, 1, 100),
    markReadDelayMs: number('markReadDelayMs', 300, 0, 60_000),
    clientOptions: file.clientOptions && typeof file.clientOptions === 'object' ? file.clientOptions : {},
  };
}

const config = settings();

function loadPrefs() {
  try {
    return { alerts: false, ...JSON.parse(localStorage.getItem(PREFS_KEY) || '{}') };
  } catch {
    return { alerts: false };
  }
}

const inbox = {
  conversations: new Map(), // conversation_id -> summary (the REST / conversation_updated shape)
  messages: new Map(), // conversation_id -> Map(message id -> message with a local arrival sequence)
  openId: null,
  sequence: 0,
  client: null,
  connection: 'closed',
  loadingFull: new Set(), // ids of truncated messages whose full text is being fetched
  resyncs: 0, // completed reloads after resync_required, for the browser tests
  pendingChanges: new Map(), // message id -> message_updated events that came before their message
  list: { loaded: false, loading: false, error: null, next: null, olderLoaded: false, loadingOlder: false },
  paging: new Map(), // conversation_id -> { next, loaded, loading, error }
  sessions: new Map(), // session_id -> { state, reason, enabled, at }
  filter: { query: '', unread: false },
  divider: null, // { conversationId, messageId }: where "unread messages" starts in the open conversation
  newBelow: 0, // live messages that arrived while the agent was scrolled up
  prefs: loadPrefs(),
  markReadCalls: 0, // POST …/read made by this page, for the browser tests
  notifications: [], // what was notified, for the browser tests
  tokenPrompts: 0, // times the agent was asked for a token, for the browser tests
  replyTo: null, // { conversationId, messageId }: the message the composer's next send quotes
  notSendable: new Map(), // conversation_id -> why the server refuses sends to it (409 not_sendable)
  retried: new Set(), // ids of failed messages replaced by a retry: a reload must not bring them back
};
window.inbox = inbox; // for the browser console and the browser tests

// ------------------------------------------------------------------ token

let pendingToken = null;

function askForToken(reason) {
  inbox.tokenPrompts += 1;
  const dialog = $('token-prompt');
  $('token-reason').textContent = reason || 'Paste an access token (JWT) for your tenant.';
  if (!dialog.open) {
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }
  $('token-input').focus();
  if (!pendingToken) {
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    pendingToken = { promise, resolve };
  }
  return pendingToken.promise;
}

function useToken(token) {
  config.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
}

$('token-prompt').addEventListener('cancel', (event) => event.preventDefault()); // Esc: the inbox needs a token
$('token-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) return;
  useToken(token);
  const dialog = $('token-prompt');
  if (dialog.open) dialog.close();
  $('token-input').value = '';
  const waiting = pendingToken;
  pendingToken = null;
  if (waiting) waiting.resolve(token);
});

/** The host's refresh hook first; the agent only when it has nothing. */
async function refreshedToken(reason) {
  if (config.getToken) {
    try {
      const token = await config.getToken(reason);
      if (typeof token === 'string' && token && token !== config.token && !isTokenExpired(token, Date.now())) {
        useToken(token);
        return token;
      }
    } catch (error) {
      console.warn('inbox-relay: getToken failed:', error.message);
    }
  }
  return null;
}

async function obtainToken(reason) {
  return (await refreshedToken(reason)) || askForToken(reason);
}

// ------------------------------------------------------------------ REST

class AuthError extends Error {}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(`${config.api}${path}`, {
      ...options,
      headers: { Authorization: `Bearer ${config.token}`, ...(options.headers || {}) },
    });
  } catch (cause) {
    throw Object.assign(new Error('the read API could not be reached (network error or wrong API address)'), { network: true, cause });
  }
  if (response.status === 401) throw new AuthError('The access token was refused or has expired.');
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const what = response.status >= 500 ? 'the read API is failing' : 'the read API refused the request';
    throw Object.assign(new Error(`${what} (HTTP ${response.status}${body.message ? `: ${body.message}` : ''})`), { status: response.status });
  }
  return response.json();
}

/** Runs a REST call; a refused token is refreshed (host hook, else the agent) and the call tried again. */
async function withToken(call) {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const token = await obtainToken(error.message);
      if (inbox.client) inbox.client.setToken(token);
    }
  }
}

/** For the client: is a run of failed upgrades a refused token, or is the server/network down? */
async function checkToken(token) {
  try {
    const response = await fetch(`${config.api}/api/conversations?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status === 401 || response.status === 403) return 'refused';
    return response.ok ? 'valid' : 'unknown';
  } catch {
    return 'unknown';
  }
}

function conversationsPath(cursor) {
  const query = new URLSearchParams({ limit: String(config.pageSize) });
  if (cursor) query.set('cursor', cursor);
  return `/api/conversations?${query}`;
}

/** Loads the first page of conversations; returns the server's cursor for the socket to resume from. */
async function loadConversations() {
  const list = inbox.list;
  list.loading = true;
  list.error = null;
  renderList();
  try {
    const body = await withToken(() => api(conversationsPath()));
    for (const conversation of body.conversations) applyConversation(conversation, { fromList: true });
    if (!list.olderLoaded) list.next = body.next || null;
    list.loaded = true;
    return typeof body.cursor === 'string' && body.cursor ? body.cursor : null;
  } catch (error) {
    list.error = error.message;
    throw error;
  } finally {
    list.loading = false;
    renderList();
  }
}

async function loadOlderConversations() {
  const list = inbox.list;
  if (!list.next || list.loadingOlder) return;
  list.loadingOlder = true;
  renderList();
  const before = new Set(inbox.conversations.keys());
  try {
    const body = await withToken(() => api(conversationsPath(list.next)));
    for (const conversation of body.conversations) applyConversation(conversation, { fromList: true });
    list.next = body.next || null;
    list.olderLoaded = true;
  } catch (error) {
    showError(`Could not load older conversations: ${error.message}`);
  } finally {
    list.loadingOlder = false;
    const buttonHadFocus = document.activeElement === $('load-older-conversations');
    renderList();
    // The button goes away after the last page: keyboard focus moves to the first conversation it added.
    if (buttonHadFocus && $('load-older-conversations').hidden) {
      const added = [...inbox.conversations.keys()].find((id) => !before.has(id));
      listNodes.get(added)?.button.focus();
    }
  }
}

function messagesPath(conversationId, before) {
  const query = new URLSearchParams({ limit: String(config.pageSize) });
  if (before) query.set('before', before);
  return `/api/conversations/${encodeURIComponent(conversationId)}/messages?${query}`;
}

/** The read API's messages carry their full text. */
function fromReadApi(message) {
  return { ...message, truncated: message.truncated === true };
}

function pagingOf(conversationId) {
  if (!inbox.paging.has(conversationId)) inbox.paging.set(conversationId, { next: null, loaded: false, loading: false, error: null, older: false });
  return inbox.paging.get(conversationId);
}

async function loadMessages(conversationId) {
  const paging = pagingOf(conversationId);
  paging.loading = true;
  paging.error = null;
  try {
    const body = await withToken(() => api(messagesPath(conversationId)));
    // Oldest first, so arrival order matches time order for equal timestamps.
    for (const message of [...body.messages].reverse()) addMessage(conversationId, fromReadApi(message));
    if (!paging.older) paging.next = body.next || null;
    paging.loaded = true;
  } catch (error) {
    if (error.status !== 404) paging.error = error.message;
    throw error;
  } finally {
    paging.loading = false;
    if (inbox.openId === conversationId) renderPane();
  }
}

async function loadOlderMessages(conversationId) {
  const paging = pagingOf(conversationId);
  if (!paging.next || paging.loading) return;
  paging.loading = true;
  renderPane();
  const list = $('messages');
  const fromBottom = list.scrollHeight - list.scrollTop;
  try {
    const body = await withToken(() => api(messagesPath(conversationId, paging.next)));
    for (const message of [...body.messages].reverse()) addMessage(conversationId, fromReadApi(message));
    paging.next = body.next || null;
    paging.older = true;
  } catch (error) {
    showError(`Could not load older messages: ${error.message}`);
  } finally {
    paging.loading = false;
    if (inbox.openId === conversationId) {
      renderPane({ scroll: 'keep' });
      list.scrollTop = list.scrollHeight - fromBottom; // the agent stays where they were reading
    }
  }
}

async function openConversation(conversationId, { fromKeyboard = false } = {}) {
  const switching = inbox.openId !== conversationId;
  inbox.openId = conversationId;
  if (switching) {
    inbox.divider = null;
    inbox.newBelow = 0;
    const unread = inbox.conversations.get(conversationId)?.unread_count || 0;
    inbox.divider = unread > 0 ? { conversationId, count: unread, messageId: null } : null;
  }
  setView('conversation');
  renderList();
  renderPane({ scroll: 'open' });
  if (isNarrow() || fromKeyboard === 'pane') $('pane-title').focus({ preventScroll: true });
  try {
    await loadMessages(conversationId);
  } catch (error) {
    // 404: the server no longer has it — merged into another while this page missed the
    // conversation_merged (a resync reloads the list but cannot tell what vanished from it).
    if (error.status !== 404) {
      renderPane();
      return;
    }
    dropConversation(conversationId);
    throw new Error('This conversation no longer exists: it was merged into another one.');
  }
  if (inbox.openId === conversationId) {
    placeDivider(conversationId);
    renderPane({ scroll: switching ? 'open' : null });
    markReadIfSeen(conversationId);
  }
}

function dropConversation(conversationId) {
  inbox.conversations.delete(conversationId);
  inbox.messages.delete(conversationId);
  inbox.paging.delete(conversationId);
  if (inbox.openId === conversationId) {
    inbox.openId = null;
    setView('list');
  }
  renderList();
  renderPane();
}

const FULL_MESSAGE_PAGES = 10;

/** A pushed message was cut to a preview: fetch its full text from the read API and show it. */
async function showFullMessage(conversationId, messageId) {
  if (inbox.loadingFull.has(messageId)) return;
  inbox.loadingFull.add(messageId);
  renderPane();
  let loaded = false;
  try {
    let before = null;
    let found = null;
    for (let page = 0; page < FULL_MESSAGE_PAGES && !found; page += 1) {
      const body = await withToken(() => api(messagesPath(conversationId, before)));
      found = body.messages.find((message) => message.id === messageId) || null;
      before = body.next;
      if (!before) break;
    }
    if (!found) throw new Error('The full message could not be found.');
    addMessage(conversationId, fromReadApi(found));
    loaded = true;
  } catch (error) {
    showError(`Could not load the full message: ${error.message}`);
  } finally {
    inbox.loadingFull.delete(messageId);
    // The button goes away with the preview; focus moves to the text it revealed.
    if (inbox.openId === conversationId) renderPane({ focusContentOf: loaded ? messageId : null });
  }
}

// The server could not replay a gap (or gave up delivering an event): reload what the page shows.
// Requests that arrive while a reload runs fold into one more reload after it.
let reloading = null;
let reloadAgain = false;

function reloadState() {
  if (reloading) {
    reloadAgain = true;
    return reloading;
  }
  reloading = (async () => {
    do {
      reloadAgain = false;
      await loadConversations();
      const openId = inbox.openId;
      if (openId) {
        await loadMessages(openId).then(() => markReadIfSeen(openId), (error) => {
          if (error.status !== 404) throw error;
          dropConversation(openId); // merged away while the link was down
        });
      }
      inbox.resyncs += 1;
    } while (reloadAgain);
  })().catch((error) => {
    // A list that failed says so itself, with its Retry; anything else gets a toast with one.
    if (!inbox.list.error) showError(`Could not reload the inbox: ${error.message}`, { retry: reloadState });
  })
    .finally(() => { reloading = null; });
  return reloading;
}

// ------------------------------------------------------------------ read state and attention

/** The agent can see the open conversation: the tab is visible and focused, and on a phone the pane shows. */
function agentSees() {
  if (document.visibilityState !== 'visible' || !document.hasFocus()) return false;
  return !(isNarrow() && document.body.dataset.view !== 'conversation');
}

let markReadTimer = null;
async function markRead(conversationId) {
  const conversation = inbox.conversations.get(conversationId);
  if (!conversation || !conversation.unread_count) return;
  if (inbox.openId !== conversationId || !agentSees()) return; // checked again: the tab may have gone meanwhile
  conversation.unread_count = 0; // optimistic; the answer carries the new version
  renderList();
  inbox.markReadCalls += 1;
  try {
    const updated = await withToken(() => api(`/api/conversations/${encodeURIComponent(conversationId)}/read`, { method: 'POST' }));
    applyConversation(updated);
    renderList();
  } catch (error) {
    showError(`Could not mark the conversation read: ${error.message}`);
  }
}

/** Marks read only what the agent can see; a hidden or unfocused tab leaves the badge for later. */
function markReadIfSeen(conversationId) {
  if (!conversationId || inbox.openId !== conversationId) return;
  if (!(inbox.conversations.get(conversationId)?.unread_count > 0)) return;
  if (!agentSees()) return;
  clearTimeout(markReadTimer);
  markReadTimer = setTimeout(() => markRead(conversationId), config.markReadDelayMs);
}

function onAttentionChange() {
  // The agent is back while the client waits out a long backoff: try now rather than in up to 30 s.
  if (document.visibilityState === 'visible' && inbox.client?.state === 'reconnecting' && !inbox.client.socket) {
    inbox.client.retryNow();
  }
  if (agentSees()) {
    markReadIfSeen(inbox.openId);
    updateTitle();
  }
}
document.addEventListener('visibilitychange', onAttentionChange);
window.addEventListener('focus', onAttentionChange);

function totalUnread() {
  let total = 0;
  for (const conversation of inbox.conversations.values()) total += conversation.unread_count > 0 ? conversation.unread_count : 0;
  return total;
}

function updateTitle() {
  const total = totalUnread();
  const title = total > 0 ? `(${total}) ${BASE_TITLE}` : BASE_TITLE;
  if (document.title !== title) document.title = title;
}

function renderAlertsToggle() {
  const button = $('notify-toggle');
  button.setAttribute('aria-pressed', String(!!inbox.prefs.alerts));
  button.querySelector('.tool-label').textContent = inbox.prefs.alerts ? 'Alerts on' : 'Alerts off';
}

$('notify-toggle').addEventListener('click', async () => {
  inbox.prefs.alerts = !inbox.prefs.alerts;
  localStorage.setItem(PREFS_KEY, JSON.stringify(inbox.prefs));
  renderAlertsToggle();
  if (inbox.prefs.alerts && 'Notification' in window && Notification.permission === 'default') {
    try {
      await Notification.requestPermission();
    } catch {
      // Denied or unsupported: the sound and the title count remain.
    }
  }
});

let audio = null;
let lastBeep = 0;
function beep() {
  // A replay after a reconnect can bring many at once: one tone, not a burst.
  if (Date.now() - lastBeep < 2_000) return;
  lastBeep = Date.now();
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.25);
  } catch {
    // No audio (autoplay policy before any click): the title count and notification remain.
  }
}

/** A lead's new message the agent is not looking at: sound and desktop notification, when opted in. */
function alertNewMessage(conversationId, message) {
  if (!inbox.prefs.alerts) return;
  if (inbox.openId === conversationId && agentSees()) return;
  const conversation = inbox.conversations.get(conversationId);
  const title = conversation ? displayName(conversation) : 'New message';
  const from = conversation?.group ? `${authorName(message)}: ` : '';
  const body = `${from}${previewText(message)}`.slice(0, 140);
  inbox.notifications.push({ conversationId, title, body });
  beep();
  if (!('Notification' in window) || Notification.permission !== 'granted' || agentSees()) return;
  try {
    const notification = new Notification(title, { body, tag: conversationId });
    notification.onclick = () => {
      window.focus();
      openConversation(conversationId).catch((error) => showError(error.message));
      notification.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker.
  }
}

// Screen readers hear new messages through one polite live region, a few at a time.
let announceQueue = [];
let announceTimer = null;
function announce(who, text) {
  announceQueue.push({ who, text });
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    const queued = announceQueue;
    announceQueue = [];
    const senders = [...new Set(queued.map((entry) => entry.who))];
    $('announcer').textContent = queued.length <= 3
      ? queued.map((entry) => `New message from ${entry.who}: ${entry.text}`).join('. ')
      : `${queued.length} new messages from ${senders.slice(0, 5).join(', ')}${senders.length > 5 ? ' and others' : ''}.`;
  }, 400);
}

// ------------------------------------------------------------------ sessions (WhatsApp numbers)

const SESSION_REASONS = {
  loggedOut: 'logged out on the phone', connectionLost: 'connection to WhatsApp lost', qr: 'waiting for a QR code scan',
};

function onStatus(status) {
  if (!Array.isArray(status?.sessions)) return;
  for (const session of status.sessions) {
    if (!session || typeof session.session_id !== 'string') continue;
    const known = inbox.sessions.get(session.session_id);
    // A live session_status newer than this answer wins.
    if (known?.live && known.at && session.last_webhook_at && known.at > session.last_webhook_at) continue;
    inbox.sessions.set(session.session_id, {
      state: session.state || null, enabled: session.enabled !== false, reason: null,
      at: session.last_webhook_at || null, lastError: session.last_error || null, live: false,
    });
  }
  renderSessions();
}

function onSessionStatus(event) {
  if (typeof event.session_id !== 'string') return;
  const known = inbox.sessions.get(event.session_id);
  inbox.sessions.set(event.session_id, {
    ...known, enabled: known?.enabled !== false, state: event.status || null, reason: event.reason || null,
    at: Date.parse(event.timestamp) || Date.now(), live: true,
  });
  renderSessions();
}

function sessionsDown() {
  return [...inbox.sessions.entries()].filter(([, s]) => s.enabled && (s.state === 'disconnected' || s.state === 'qr'));
}

function renderSessions() {
  const banner = $('sessions-banner');
  const down = sessionsDown();
  const connecting = [...inbox.sessions.entries()].filter(([, s]) => s.enabled && s.state === 'connecting');
  const shown = down.length ? down : connecting;
  if (!shown.length) {
    banner.hidden = true;
    banner.replaceChildren();
  } else {
    banner.classList.toggle('warn', !down.length);
    const headline = down.length
      ? (down.length === 1 ? 'WhatsApp number disconnected' : `${down.length} WhatsApp numbers disconnected`)
      : 'WhatsApp number reconnecting';
    const advice = down.length
      ? 'Messages sent to it are not reaching this inbox until it is reconnected in the WhatsApp gateway (scan the QR code again).'
      : 'Messages may arrive late until it is connected.';
    const details = shown.map(([id, s]) => {
      const why = SESSION_REASONS[s.reason] || SESSION_REASONS[s.state] || s.reason || s.state;
      const since = s.at ? `, since ${fullTimestamp(s.at)}` : '';
      return `Session ${id}: ${why}${since}.`;
    });
    banner.replaceChildren(element('strong', null, headline), element('span', 'detail', `${advice} ${details.join(' ')}`));
    banner.hidden = false;
  }
  renderConnection(inbox.connection);
}

function requestStatus() {
  inbox.client?.send({ type: 'status' });
}

// ------------------------------------------------------------------ state

function applyConversation(update, { fromList = false } = {}) {
  const known = inbox.conversations.get(update.conversation_id);
  // Updates can arrive out of order (REST answer vs pushed event); the highest version wins.
  if (known && typeof update.version === 'number' && typeof known.version === 'number' && update.version < known.version) return;
  if (known && !fromList && typeof update.version !== 'number') return;
  inbox.conversations.set(update.conversation_id, { ...known, ...update });
}
// What a message_updated changed on a message. The read API carries them too; a pushed new_message
// (a replay of the original) never does, so it must not undo them.
const CHANGE_FIELDS = ['reactions', 'edited', 'editedAt', 'deleted', 'deletedAt'];

/** A failure as the page keeps it: the read API says status_reason/status_code, a message_status reason/code. */
function withFailure(message) {
  if (message.status_reason === undefined && message.status_code === undefined) return message;
  const { status_reason: reason, status_code: code, ...rest } = message;
  return { ...rest, reason, code };
}

function addMessage(conversationId, update) {
  const message = withFailure(update);
  if (!inbox.messages.has(conversationId)) inbox.messages.set(conversationId, new Map());
  const messages = inbox.messages.get(conversationId);
  if (inbox.retried.has(message.id)) return false;
  const known = findSameMessage(messages, message);
  if (known) {
    // The sender's own bubble, under the id the server gave it.
    if (known.id !== message.id) messages.delete(known.id);
    // A replayed push is only a preview of a long text: it must not shorten what the read API gave.
    const keepFull = message.truncated && !known.truncated && typeof known.content === 'string'
      && typeof message.content === 'string' && known.content.startsWith(message.content);
    const merged = { ...mergeMessage(known, message), seq: known.seq };
    if (keepFull) Object.assign(merged, { content: known.content, truncated: known.truncated });
    // The original message pushed again must not undo an edit, a deletion or reactions seen since.
    for (const field of CHANGE_FIELDS) {
      if (message[field] === undefined && known[field] !== undefined) merged[field] = known[field];
    }
    if (known.edited && !message.edited) Object.assign(merged, { content: known.content, truncated: known.truncated });
    messages.set(message.id, merged);
    return false;
  }
  inbox.sequence += 1;
  const added = { ...message, seq: inbox.sequence };
  messages.set(message.id, added);
  // A change pushed before its message arrived (the server allows that order) applies now.
  const pending = inbox.pendingChanges.get(message.id);
  if (pending) {
    inbox.pendingChanges.delete(message.id);
    for (const change of pending) applyChange(added, change);
  }
  return true;
}

/** Applies one message_updated to a message held in the page. */
function applyChange(message, event) {
  switch (event.change) {
    case 'reaction': {
      const sender = event.reaction?.sender;
      if (typeof sender !== 'string' || !sender) return;
      const reactions = { ...(message.reactions || {}) };
      const emoji = event.reaction.emoji;
      if (typeof emoji === 'string' && emoji) reactions[sender] = emoji;
      else delete reactions[sender]; // null or empty: the reaction was removed
      message.reactions = reactions;
      break;
    }
    case 'edit':
      if (typeof event.content !== 'string') return;
      message.content = event.content;
      message.truncated = false;
      message.edited = true;
      message.editedAt = event.timestamp;
      break;
    case 'delete':
      message.deleted = true;
      message.deletedAt = event.timestamp;
      break;
    default:
      break; // a change this page does not know: nothing to show
  }
}

const PENDING_CHANGES_MAX = 500;

function onMessageUpdated(event) {
  const conversationIds = event.conversation_id ? [event.conversation_id] : [...inbox.messages.keys()];
  for (const id of conversationIds) {
    const message = inbox.messages.get(id)?.get(event.message_id);
    if (message) {
      applyChange(message, event);
      if (inbox.openId === id) renderPane();
      return;
    }
  }
  // Not here yet: a later push of the message picks it up (a read API load carries it anyway).
  if (typeof event.message_id !== 'string') return;
  if (!inbox.pendingChanges.has(event.message_id)) {
    if (inbox.pendingChanges.size >= PENDING_CHANGES_MAX) inbox.pendingChanges.delete(inbox.pendingChanges.keys().next().value);
    inbox.pendingChanges.set(event.message_id, []);
  }
  inbox.pendingChanges.get(event.message_id).push(event);
}

/**
 * Two ids turned out to be one person: `from` (a hidden lid:/user: id) is gone, its messages now live
 * under `into`. The conversation_updated that follows brings `into`'s list state.
 */
function onConversationMerged(event) {
  const { from, into } = event;
  if (typeof from !== 'string' || typeof into !== 'string' || from === into) return;
  const old = inbox.conversations.get(from);
  inbox.conversations.delete(from);
  const oldMessages = inbox.messages.get(from);
  inbox.messages.delete(from);
  // Keep what the page already had, under its new conversation, until the read API answers.
  if (oldMessages) for (const message of oldMessages.values()) addMessage(into, message);
  if (old && !inbox.conversations.has(into)) {
    inbox.conversations.set(into, { ...old, conversation_id: into, version: -1 });
  }
  if (inbox.openId === from) {
    inbox.openId = into;
    renderList();
    renderPane();
    loadMessages(into)
      .then(() => markReadIfSeen(into))
      .catch((error) => showError(`Could not load the merged conversation: ${error.message}`));
  } else {
    renderList();
    if (inbox.openId === into) {
      renderPane();
      loadMessages(into).catch((error) => showError(`Could not load the merged conversation: ${error.message}`));
    }
  }
}

function onNewMessage(event) {
  const { conversation_id: conversationId, message } = event;
  if (!conversationId || !message || typeof message.id !== 'string') return;
  const isNew = addMessage(conversationId, message);
  const known = inbox.conversations.get(conversationId);
  const lastAt = known?.last_message?.timestamp;
  // The first resume replays the 30 s before the list was read: what the list already shows is not news.
  const alreadyShown = !!known?.last_message && (known.last_message.id === message.id || (lastAt && message.timestamp < lastAt));
  if (!known || !lastAt || message.timestamp >= lastAt) {
    inbox.conversations.set(conversationId, {
      unread_count: 0,
      version: -1,
      ...known,
      conversation_id: conversationId,
      lead_id: event.lead_id,
      group: known?.group ?? message.group === true,
      // In a group the message's name is the participant's, not the group's.
      name: known?.name || (message.group ? null : message.name),
      phone: known?.phone || (message.group ? null : message.phone),
      last_message: { id: message.id, content: message.content, sender: message.sender, timestamp: message.timestamp, name: message.name },
    });
  }
  const fromLead = message.sender !== 'agent';
  const open = inbox.openId === conversationId;
  if (isNew && fromLead && !alreadyShown) {
    const conversation = inbox.conversations.get(conversationId);
    const who = conversation?.group ? `${authorName(message)} in ${displayName(conversation)}` : displayName(conversation || {});
    announce(who, previewText(message).slice(0, 120));
    alertNewMessage(conversationId, message);
  }
  renderList();
  if (open) {
    const list = $('messages');
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
    if (isNew && fromLead && (!atBottom || !agentSees())) {
      if (!inbox.divider || inbox.divider.conversationId !== conversationId) inbox.divider = { conversationId, messageId: message.id };
      if (!atBottom) inbox.newBelow += 1;
    }
    renderPane();
  }
}

function onConversationUpdated(event) {
  applyConversation(event);
  renderList();
  if (inbox.openId === event.conversation_id && event.unread_count > 0) markReadIfSeen(event.conversation_id);
}

function onMessageStatus(event) {
  const conversationIds = event.conversation_id ? [event.conversation_id] : [...inbox.messages.keys()];
  for (const id of conversationIds) {
    const messages = inbox.messages.get(id);
    const message = messages?.get(event.message_id);
    if (!message) continue;
    const updated = mergeMessage(message, { status: event.status, reason: event.reason, code: event.code });
    messages.set(message.id, updated);
    if (updated.status === 'failed' && message.status !== 'failed' && inbox.openId === id) {
      setText($('announcer'), `Message not sent: ${failureReason(updated)}`);
    }
    if (inbox.openId === id) renderPane();
  }
}

// ------------------------------------------------------------------ rendering helpers

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Sets text only when it changed, so a live update does not disturb a screen reader's position. */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function displayName(conversation) {
  const id = conversation.conversation_id || '';
  if (conversation.group || id.startsWith('group:')) return conversation.name || conversation.subject || groupLabel(id);
  return conversation.name || formatPhone(conversation.phone) || formatPhone(id) || id || 'Unknown';
}

function isGroup(conversation) {
  return !!conversation && (conversation.group === true || String(conversation.conversation_id || '').startsWith('group:'));
}

/** Who wrote a message in a group: the participant's name, else their formatted number. */
function authorName(message) {
  if (message?.sender === 'agent') return 'You';
  return message?.name || formatPhone(message?.phone) || 'Participant';
}

function previewText(message) {
  if (!message) return '';
  if (message.deleted) return 'This message was deleted';
  const text = message.content ?? message.media?.caption;
  return typeof text === 'string' && text ? plainWhatsApp(text) : '📎 media';
}

/** WhatsApp formatting as DOM nodes: every piece of text through textContent, links built from checked URLs. */
function appendRich(parent, text, focusKeyPrefix) {
  let links = 0;
  const build = (nodes, into) => {
    for (const node of nodes) {
      if (node.type === 'text') into.append(node.text);
      else if (node.type === 'link') {
        const anchor = link(node.href, node.text, 'text-link', focusKeyPrefix ? `${focusKeyPrefix}:${links}` : null);
        links += 1;
        into.append(anchor);
      } else if (node.type === 'mono') into.append(element(node.text.includes('\n') ? 'pre' : 'code', null, node.text));
      else {
        const tag = node.type === 'bold' ? 'strong' : node.type === 'italic' ? 'em' : 's';
        const wrapper = element(tag);
        build(node.children, wrapper);
        into.append(wrapper);
      }
    }
  };
  build(parseWhatsApp(text), parent);
}

// ------------------------------------------------------------------ views (phones: list → conversation → back)

const narrowQuery = window.matchMedia('(max-width: 40rem)');
function isNarrow() {
  return narrowQuery.matches;
}

function setView(view) {
  if (document.body.dataset.view === view) return;
  document.body.dataset.view = view;
  // On a phone the browser's back button goes back to the list, like the app's own.
  if (view === 'conversation' && isNarrow()) history.pushState({ view: 'conversation' }, '');
  if (view === 'conversation') markReadIfSeen(inbox.openId);
}

function backToList() {
  const openId = inbox.openId;
  if (history.state?.view === 'conversation') history.back();
  else setView('list');
  setView('list');
  listNodes.get(openId)?.button.focus({ preventScroll: false });
}

window.addEventListener('popstate', () => {
  if (document.body.dataset.view === 'conversation') {
    setView('list');
    listNodes.get(inbox.openId)?.button.focus();
  }
});
narrowQuery.addEventListener?.('change', () => markReadIfSeen(inbox.openId));

// ------------------------------------------------------------------ the conversation list (keyed)

const listNodes = new Map(); // conversation_id -> { item, button, name, tag, when, preview, badge }

function fold(text) {
  return String(text || '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function matchesFilter(conversation) {
  const { query, unread } = inbox.filter;
  if (unread && !(conversation.unread_count > 0) && conversation.conversation_id !== inbox.openId) return false;
  if (!query) return true;
  const needle = fold(query);
  const haystack = fold(`${displayName(conversation)} ${conversation.last_message?.content || ''}`);
  if (haystack.includes(needle)) return true;
  // Only a query that is a phone number (digits, spaces, + - ( ) .) searches numbers: "Ana 2024" must not
  // match every phone that happens to contain 2024.
  if (!/^[\d\s+().-]+$/.test(query)) return false;
  const digits = query.replace(/\D/g, '');
  return digits.length >= 3 && `${conversation.phone || ''}${conversation.conversation_id}`.replace(/\D/g, '').includes(digits);
}

function listNode(conversation) {
  const id = conversation.conversation_id;
  let node = listNodes.get(id);
  if (!node) {
    const item = element('li', 'conversation');
    item.dataset.conversationId = id;
    const button = element('button');
    button.type = 'button';
    button.addEventListener('click', () => openConversation(id).catch((e) => showError(e.message)));
    const top = element('span', 'row');
    const name = element('span', 'name');
    name.dir = 'auto';
    const tag = element('span', 'kind-tag', 'Group');
    const when = element('time', 'when');
    top.append(name, tag, when);
    const bottom = element('span', 'row');
    const preview = element('span', 'preview');
    preview.dir = 'auto';
    const badge = element('span', 'badge');
    bottom.append(preview);
    button.append(top, bottom);
    item.append(button);
    node = { item, button, name, tag, when, preview, badge, bottom };
    listNodes.set(id, node);
  }
  const last = conversation.last_message;
  setText(node.name, displayName(conversation));
  node.tag.hidden = !isGroup(conversation);
  setText(node.when, listTime(last?.timestamp));
  const iso = isoOf(last?.timestamp);
  if (node.when.getAttribute('datetime') !== iso) {
    node.when.setAttribute('datetime', iso);
    node.when.title = fullTimestamp(last?.timestamp);
  }
  const who = !last ? '' : last.sender === 'agent' ? 'You: ' : isGroup(conversation) && last.name ? `${last.name}: ` : '';
  setText(node.preview, last ? `${who}${typeof last.content === 'string' ? plainWhatsApp(last.content) : '📎 media'}` : '');
  const unread = conversation.unread_count > 0 ? conversation.unread_count : 0;
  // The badge is there only while something is unread.
  if (unread) {
    setText(node.badge, String(unread));
    node.badge.setAttribute('aria-label', `${unread} unread`);
    if (!node.badge.isConnected) node.bottom.append(node.badge);
  } else if (node.badge.isConnected) node.badge.remove();
  if (unread) node.item.dataset.unread = 'true';
  else delete node.item.dataset.unread;
  const open = id === inbox.openId;
  node.item.classList.toggle('active', open);
  if (open) node.button.setAttribute('aria-current', 'true');
  else node.button.removeAttribute('aria-current');
  return node;
}

function renderList() {
  const list = $('conversation-list');
  const active = document.activeElement;
  const sorted = [...inbox.conversations.values()].sort((a, b) => {
    const at = a.last_message?.timestamp || '';
    const bt = b.last_message?.timestamp || '';
    return at < bt ? 1 : at > bt ? -1 : 0;
  });
  const visible = sorted.filter(matchesFilter).map((conversation) => listNode(conversation).item);
  const keep = new Set(visible);
  for (const [id, node] of listNodes) {
    if (!inbox.conversations.has(id)) listNodes.delete(id);
    if (!keep.has(node.item) && node.item.parentNode) node.item.remove();
  }
  // Move only what is out of place: a new message moves one row to the top, nothing else is touched.
  visible.forEach((item, index) => {
    if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
  });
  while (list.children.length > visible.length) list.lastElementChild.remove();
  // A moved row loses focus in some browsers: give it back, without scrolling.
  if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true });
  renderListState(sorted.length, visible.length);
  updateTitle();
}

function renderListState(total, shown) {
  const box = $('list-state');
  const state = inbox.list;
  const older = $('load-older-conversations');
  older.hidden = !state.next || !!state.error;
  setText(older, state.loadingOlder ? 'Loading older conversations…' : 'Load older conversations');
  if (state.loadingOlder) older.setAttribute('aria-disabled', 'true');
  else older.removeAttribute('aria-disabled');
  let key;
  if (state.error) key = `error:${state.error}`;
  else if (!state.loaded && state.loading) key = 'loading';
  else if (!total && state.loaded) key = 'empty';
  else if (total && !shown) key = `nomatch:${inbox.filter.query}:${inbox.filter.unread}`;
  else key = '';
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  if (state.error) {
    const problem = element('div', 'problem');
    problem.setAttribute('role', 'alert');
    problem.append(element('strong', null, 'Conversations could not be loaded'), element('span', null, `Why: ${state.error}. New messages still arrive live.`));
    const retry = element('button', 'retry', 'Retry');
    retry.type = 'button';
    retry.id = 'retry-conversations';
    retry.addEventListener('click', () => loadConversations().then(() => retryFocus(), () => retryFocus()));
    problem.append(retry);
    box.replaceChildren(problem);
  } else if (key === 'loading') {
    box.replaceChildren(element('p', null, 'Loading conversations…'));
  } else if (key === 'empty') {
    box.replaceChildren(element('p', 'empty', 'No conversations yet. Messages appear here as they arrive.'));
  } else if (key.startsWith('nomatch')) {
    const { query, unread } = inbox.filter;
    const text = query ? `No loaded conversation matches “${query}”.` : unread ? 'No unread conversations.' : 'Nothing to show.';
    box.replaceChildren(element('p', 'empty', `${text}${state.next ? ' Older conversations are not loaded yet.' : ''}`));
  } else {
    box.replaceChildren();
  }
}

function retryFocus() {
  const retry = $('retry-conversations');
  if (retry) retry.focus();
  else listNodes.values().next().value?.button.focus();
}

// ------------------------------------------------------------------ the message pane (keyed)

const pane = { conversationId: null, nodes: new Map() }; // key -> { node, signature }

/** Where the unread divider goes: before the first of the last `count` lead messages. */
function placeDivider(conversationId) {
  const divider = inbox.divider;
  if (!divider || divider.conversationId !== conversationId || divider.messageId || !divider.count) return;
  const messages = sortedMessages(conversationId).filter((message) => message.sender !== 'agent');
  divider.messageId = messages[Math.max(0, messages.length - divider.count)]?.id || null;
}

function sortedMessages(conversationId) {
  return [...(inbox.messages.get(conversationId)?.values() || [])].sort((a, b) =>
    a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.seq - b.seq);
}

function cached(key, signature, build) {
  const known = pane.nodes.get(key);
  if (known && known.signature === signature) return known.node;
  const node = build();
  pane.nodes.set(key, { node, signature });
  return node;
}

function participants(messages) {
  const names = [];
  for (let i = messages.length - 1; i >= 0 && names.length < 50; i -= 1) {
    const message = messages[i];
    if (message.sender === 'agent') continue;
    const name = authorName(message);
    if (!names.includes(name)) names.push(name);
  }
  if (!names.length) return 'Group';
  const shown = names.slice(0, 3).join(', ');
  return `Group · ${shown}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
}

function renderHeader(conversation, messages) {
  const title = $('pane-title');
  const subtitle = $('pane-subtitle');
  if (!conversation) {
    setText(title, 'Select a conversation');
    setText(subtitle, '');
    return;
  }
  setText(title, displayName(conversation));
  if (isGroup(conversation)) setText(subtitle, participants(messages));
  else {
    const phone = formatPhone(conversation.phone || (/^\d+$/.test(conversation.conversation_id) ? conversation.conversation_id : ''));
    setText(subtitle, phone && phone !== displayName(conversation) ? phone : '');
  }
}

function renderPane({ focusContentOf = null, scroll = null } = {}) {
  const list = $('messages');
  const conversation = inbox.conversations.get(inbox.openId);
  const conversationId = conversation ? inbox.openId : null;
  if (pane.conversationId !== conversationId) {
    pane.conversationId = conversationId;
    pane.nodes.clear();
    list.replaceChildren();
  }
  const messages = conversationId ? sortedMessages(conversationId) : [];
  releaseMedia(new Set(messages.map((message) => message.id)));
  renderHeader(conversation, messages);
  renderComposer();
  $('pane').dataset.open = conversationId ? 'true' : 'false';
  if (!conversation) {
    list.replaceChildren();
    updatePill();
    return;
  }
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  const active = list.contains(document.activeElement) ? document.activeElement : null;
  const focusedKey = active?.dataset.focusKey || null;

  const paging = pagingOf(conversationId);
  const group = isGroup(conversation);
  const byId = new Map(messages.map((message) => [message.id, message]));
  const wanted = [];

  // Top of the conversation: older messages, a failure to load, or nothing.
  if (paging.error && !paging.loaded) {
    wanted.push(cached('problem', paging.error, () => {
      const item = element('li', 'pane-problem');
      item.setAttribute('role', 'alert');
      item.append(element('strong', null, 'Messages could not be loaded'), element('span', null, `Why: ${paging.error}.`));
      const retry = element('button', 'retry', 'Retry');
      retry.type = 'button';
      retry.dataset.focusKey = 'retry-messages';
      retry.addEventListener('click', () => openConversation(conversationId).catch((e) => showError(e.message)));
      item.append(retry);
      return item;
    }));
  } else if (!paging.loaded && paging.loading && !messages.length) {
    wanted.push(cached('loading', '', () => element('li', 'day', 'Loading messages…')));
  } else if (paging.next) {
    wanted.push(cached('older', String(paging.loading), () => {
      const item = element('li', 'older');
      const button = element('button', 'load-older', paging.loading ? 'Loading older messages…' : 'Load older messages');
      button.type = 'button';
      button.dataset.focusKey = 'load-older-messages';
      if (paging.loading) button.setAttribute('aria-disabled', 'true');
      button.addEventListener('click', () => loadOlderMessages(conversationId));
      item.append(button);
      return item;
    }));
  }

  let day = null;
  for (const message of messages) {
    const key = dayKey(message.timestamp);
    if (key && key !== day) {
      day = key;
      const label = dayLabel(message.timestamp);
      wanted.push(cached(`day:${key}`, label, () => {
        const item = element('li', 'day');
        const time = element('time', null, label);
        time.setAttribute('datetime', isoOf(message.timestamp).slice(0, 10));
        item.append(time);
        return item;
      }));
    }
    if (inbox.divider?.conversationId === conversationId && inbox.divider.messageId === message.id) {
      wanted.push(cached('divider', '', () => {
        const item = element('li', 'unread-divider', 'Unread messages');
        item.id = 'unread-divider';
        return item;
      }));
    }
    const quotedId = quotedOf(message)?.id;
    const quoted = quotedId ? byId.get(quotedId) : null;
    const signature = JSON.stringify([message, inbox.loadingFull.has(message.id), group,
      quoted ? [quoted.content, quoted.deleted, quoted.name, quoted.sender, quoted.media?.caption] : null, conversation.name,
      mediaFiles.get(message.id)?.state]);
    wanted.push(cached(`m:${message.id}`, signature, () => renderMessage(message, { conversationId, conversation, byId, group })));
  }

  const keep = new Set(wanted);
  for (const [key, entry] of pane.nodes) {
    if (!keep.has(entry.node)) {
      entry.node.remove();
      pane.nodes.delete(key);
    }
  }
  wanted.forEach((node, index) => {
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
  });
  while (list.children.length > wanted.length) list.lastElementChild.remove();

  // Keyboard focus survives: the same node if it is still there, else its successor by focus key.
  const focusKey = focusContentOf && focusedKey === `show-full:${focusContentOf}` ? `content:${focusContentOf}` : focusedKey;
  if (active && (!active.isConnected || focusKey !== focusedKey)) {
    const target = [...list.querySelectorAll('[data-focus-key]')].find((node) => node.dataset.focusKey === focusKey);
    target?.focus({ preventScroll: true });
  } else if (active && document.activeElement !== active) {
    active.focus({ preventScroll: true });
  }

  if (scroll === 'open') {
    const divider = $('unread-divider');
    if (divider) divider.scrollIntoView({ block: 'start' });
    else list.scrollTop = list.scrollHeight;
  } else if ((atBottom && scroll !== 'keep') || scroll === 'bottom') {
    list.scrollTop = list.scrollHeight;
    inbox.newBelow = 0;
  }
  updatePill();
}

function updatePill() {
  const pill = $('new-pill');
  const count = inbox.openId ? inbox.newBelow : 0;
  pill.hidden = count === 0;
  setText(pill, count === 1 ? '↓ 1 new message' : `↓ ${count} new messages`);
}

$('new-pill').addEventListener('click', () => {
  const list = $('messages');
  inbox.newBelow = 0;
  updatePill();
  list.scrollTop = list.scrollHeight;
  list.focus({ preventScroll: true });
});

$('messages').addEventListener('scroll', () => {
  const list = $('messages');
  if (inbox.newBelow && list.scrollTop + list.clientHeight >= list.scrollHeight - 40) {
    inbox.newBelow = 0;
    updatePill();
  }
}, { passive: true });


// ------------------------------------------------------------------ one message


const MEDIA_KINDS = new Set(['image', 'video', 'audio', 'voice', 'document', 'sticker']);
const MEDIA_LABELS = {
  image: ['📷', 'Photo'], video: ['🎥', 'Video'], audio: ['🎵', 'Audio'], voice: ['🎤', 'Voice note'],
  document: ['📄', 'Document'], sticker: ['🏷️', 'Sticker'],
};
const INTERACTIVE_LABELS = { button: 'Tapped a button', list: 'Chose from a list', template: 'Quick reply' };

/** `https:`/`http:` URLs only (no javascript:, data:, …), as a string, or null. */
function safeHttpUrl(value) {
  if (typeof value !== 'string' || !value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A map link built from two numbers only, never from the payload's own url. */
function mapUrl(location) {
  const lat = typeof location?.latitude === 'string' ? Number(location.latitude) : location?.latitude;
  const lng = typeof location?.longitude === 'string' ? Number(location.longitude) : location?.longitude;
  if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  return `https://www.google.com/maps?q=${lat},${lng}`;
}

/** A tel: link from what a contact card says: a leading + and digits, nothing else. */
function telUrl(phone) {
  if (typeof phone !== 'string') return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 3 || digits.length > 20) return null;
  return `tel:${phone.trim().startsWith('+') ? '+' : ''}${digits}`;
}

function link(href, text, className, focusKey) {
  const anchor = element('a', className, text);
  anchor.href = href;
  if (!href.startsWith('tel:')) {
    anchor.target = '_blank';
    anchor.rel = 'noopener noreferrer';
  }
  if (focusKey) anchor.dataset.focusKey = focusKey;
  return anchor;
}

/** A short label whose emoji is decoration: screen readers read only the words. */
function icon(emoji) {
  const node = element('span', 'icon', emoji);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

function labelled(tag, className, emoji, text) {
  const node = element(tag, className);
  if (emoji) node.append(icon(emoji), ' ');
  node.append(text);
  return node;
}

function senderName(message, conversation) {
  if (message?.sender === 'agent') return 'You';
  return message?.name || conversation?.name || conversation?.phone || 'Lead';
}

function plainText(value) {
  return typeof value === 'string' ? value : '';
}

function scrollToMessage(messageId) {
  const target = [...$('messages').querySelectorAll('.message')].find((node) => node.dataset.messageId === messageId);
  if (!target) return;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  target.classList.remove('highlight');
  void target.offsetWidth; // restart the highlight animation
  target.classList.add('highlight');
  const content = target.querySelector('.content:not([hidden])');
  if (content) {
    content.focus({ preventScroll: true });
  } else {
    target.tabIndex = -1;
    target.focus({ preventScroll: true });
  }
}

/**
 * One message bubble, whatever its kind and wherever it came from (a push or the read API). Every
 * piece of the payload goes in as text (textContent) or as a URL this page built or checked.
 */
function renderMessage(message, { conversationId, conversation, byId, group = false }) {
  const kind = typeof message.kind === 'string' ? message.kind : null;
  const isSystem = kind === 'system';
  const item = element('li', `message ${isSystem ? 'system' : message.sender === 'agent' ? 'outgoing' : 'incoming'}`);
  item.dataset.messageId = message.id;
  if (kind) item.dataset.kind = kind;

  const text = element('p', 'content');
  text.id = `message-content-${message.seq}`;
  text.dir = 'auto'; // Arabic, Hebrew and Latin text each in its own direction
  text.tabIndex = -1; // focusable from script only: where focus goes once the full text replaces a preview
  text.dataset.focusKey = `content:${message.id}`;

  // In a group every bubble says who wrote it.
  if (group && !isSystem && message.sender !== 'agent') {
    const author = element('span', 'author', authorName(message));
    author.dir = 'auto';
    item.append(author);
  }

  if (message.deleted) {
    // The text stays in the CRM's record; the agent sees that it was taken back.
    item.classList.add('deleted');
    text.classList.add('deleted');
    text.append(icon('🚫'), ' This message was deleted');
    item.append(text, renderMeta(message));
    return item;
  }

  if (message.forwarded === true) item.append(labelled('span', 'forwarded', '↪️', 'Forwarded'));
  const quoted = quotedOf(message);
  if (quoted) item.append(renderQuoted(message, quoted, conversation, byId));
  if (message.referral && typeof message.referral === 'object') item.append(renderReferral(message.referral, message.id));

  let body = message.content ?? message.media?.caption ?? '';
  if (kind && MEDIA_KINDS.has(kind)) {
    item.append(renderMedia(message, kind));
    // The read API keeps a caption as the message's content; a push carries it in media too.
    body = plainText(message.media?.caption) || plainText(message.content);
  } else if (kind === 'location' && message.location && typeof message.location === 'object') {
    item.append(renderLocation(message.location, message.id));
    body = '';
  } else if (kind === 'contacts' && Array.isArray(message.contacts)) {
    item.append(renderContacts(message.contacts, message.id));
    body = '';
  } else if (kind === 'interactive_reply') {
    item.append(labelled('span', 'interactive-label', '☑️', INTERACTIVE_LABELS[message.interactive?.type] || 'Chose an option'));
    body = plainText(message.interactive?.title) || plainText(message.content);
    text.classList.add('interactive-title');
  } else if (isSystem) {
    body = plainText(message.system?.body) || plainText(message.content);
  } else if (kind === 'unsupported') {
    item.append(labelled('span', 'unsupported-label', '⚠️', 'Unsupported message'));
    body = plainText(message.content);
    if (body === 'Unsupported message') body = '';
  } else if (!kind && message.media) {
    // An older server: no kind, only media.
    item.append(element('span', 'media', `📎 ${message.media.type || 'media'}`));
  }
  // An edit replaces the text (or a caption) the agent reads.
  if (message.edited && typeof message.content === 'string') body = message.content;
  // WhatsApp's *bold*, _italic_, ~strike~, ```mono``` and http(s) links, built as nodes (never as markup).
  if (text.classList.contains('interactive-title')) text.textContent = typeof body === 'string' ? body : String(body);
  else appendRich(text, typeof body === 'string' ? body : String(body), `link:${message.id}`);
  // Nothing to read when a card above says it all; the paragraph stays for the focus handling.
  if (!text.textContent && item.childElementCount) text.hidden = true;
  item.append(text);

  if (message.truncated) {
    item.classList.add('truncated');
    const loading = inbox.loadingFull.has(message.id);
    const more = element('button', 'show-full', loading ? 'Loading full message…' : 'Show full message');
    more.type = 'button';
    more.dataset.focusKey = `show-full:${message.id}`;
    more.setAttribute('aria-controls', text.id);
    // aria-disabled rather than disabled: a disabled button drops keyboard focus.
    if (loading) more.setAttribute('aria-disabled', 'true');
    more.addEventListener('click', () => showFullMessage(conversationId, message.id));
    item.append(more);
  }
  const reactions = renderReactions(message, conversation);
  if (reactions) item.append(reactions);
  const meta = renderMeta(message);
  item.append(meta);
  if (message.sender === 'agent' && message.status === 'failed') item.append(renderFailure(message, conversationId));
  else if (!isSystem && !(message.sender === 'agent' && message.status === 'pending')) {
    const reply = element('button', 'reply-action', 'Reply');
    reply.type = 'button';
    reply.dataset.focusKey = `reply:${message.id}`;
    reply.setAttribute('aria-describedby', text.id);
    reply.addEventListener('click', () => startReply(conversationId, message.id));
    meta.prepend(reply);
  }
  return item;
}

function renderMeta(message) {
  const meta = element('span', 'meta');
  const time = element('time', null, clockTime(message.timestamp));
  time.setAttribute('datetime', isoOf(message.timestamp));
  time.title = fullTimestamp(message.timestamp); // the full date and time, whatever day it was
  meta.append(time);
  if (message.edited && !message.deleted) meta.append(element('span', 'edited', ' · edited'));
  const tick = message.sender === 'agent' ? TICKS[message.status] : null;
  if (tick) {
    // The glyphs are decoration; a screen reader hears the word.
    const status = element('span', `status ${message.status}`);
    status.title = tick[1];
    status.append(icon(tick[0]), element('span', 'visually-hidden', tick[1]));
    meta.append(' ', status);
  }
  return meta;
}

const TICKS = {
  pending: ['◷', 'Sending'], sent: ['✓', 'Sent'], delivered: ['✓✓', 'Delivered'], read: ['✓✓', 'Read'],
  played: ['✓✓', 'Read'], failed: ['⚠', 'Not sent'],
};

function failureReason(message) {
  return plainText(message.reason) || 'the message could not be sent';
}

function renderFailure(message, conversationId) {
  const box = element('div', 'failure');
  const why = element('span', 'failure-reason', failureReason(message));
  why.dir = 'auto';
  const retry = element('button', 'retry', 'Retry');
  retry.type = 'button';
  retry.dataset.focusKey = `retry:${message.id}`;
  retry.addEventListener('click', () => retrySend(conversationId, message));
  box.append(why, retry);
  return box;
}

/** What a message quotes: the gateway's `quoted`, or the `reply_to` id of a message sent from here. */
function quotedOf(message) {
  if (message.quoted && typeof message.quoted === 'object') return message.quoted;
  return typeof message.reply_to === 'string' && message.reply_to ? { id: message.reply_to } : null;
}

function renderQuoted(message, quoted, conversation, byId) {
  const quotedId = typeof quoted.id === 'string' ? quoted.id : null;
  const target = quotedId ? byId.get(quotedId) : null;
  let preview = target?.deleted ? 'This message was deleted' : plainText(quoted.preview);
  if (!preview && target) preview = plainText(target.content ?? target.media?.caption);
  if (!preview) preview = 'Earlier message';
  const who = target ? senderName(target, conversation) : null;
  const node = element(target ? 'button' : 'blockquote', 'quoted');
  const previewNode = element('span', 'quoted-preview', preview);
  previewNode.dir = 'auto';
  node.append(element('span', 'quoted-label', who ? `Reply to ${who}` : 'Reply to'), previewNode);
  if (target) {
    node.type = 'button';
    node.dataset.focusKey = `quoted:${message.id}`;
    node.title = 'Show the quoted message';
    node.addEventListener('click', () => scrollToMessage(quotedId));
  }
  return node;
}

function renderReferral(referral, messageId) {
  const box = element('div', 'referral');
  box.append(labelled('span', 'referral-label', '📣', referral.source_type === 'post' ? 'From a post' : 'From an ad'));
  if (plainText(referral.headline)) box.append(element('strong', 'referral-headline', referral.headline));
  if (plainText(referral.body)) box.append(element('span', 'referral-body', referral.body));
  const href = safeHttpUrl(referral.source_url);
  if (href) box.append(link(href, referral.source_type === 'post' ? 'View post' : 'View ad', 'referral-link', `referral:${messageId}`));
  return box;
}

/** A push names it file_name, the read API (the stored media) fileName. */
function fileNameOf(media) {
  return plainText(media.file_name) || plainText(media.fileName);
}

function renderMedia(message, kind) {
  const media = message.media || {};
  const voice = kind === 'voice' || media.voice === true;
  const [emoji, label] = MEDIA_LABELS[voice ? 'voice' : kind] || ['📎', 'Media'];
  const box = element('div', 'media');
  if (media.available === false) {
    box.classList.add('unavailable');
    box.append(labelled('span', 'media-label', emoji, `${label} (not downloaded yet)`));
    return box;
  }
  const name = fileNameOf(media);
  box.append(labelled('span', 'media-label', emoji, name ? `${label}: ${name}` : label));
  if (media.fetchable === true) {
    renderProxied(box, message, voice ? 'voice' : kind, name || label);
    return box;
  }
  const href = safeHttpUrl(media.url);
  if (href) box.append(' ', link(href, 'Open', 'media-link', `media:${message.id}`));
  return box;
}

// Media comes through the API's proxy with the token (a gateway's URL needs the gateway's key): fetched
// once per message while its bubble is on screen, shown from an object URL revoked when it leaves.
const PROXY_LIMIT_BYTES = 4_194_304;
const mediaFiles = new Map(); // message id -> { state: loading | ready | too_large | error, url }

function proxiedMedia(message) {
  const known = mediaFiles.get(message.id);
  if (known) return known;
  const size = message.media.size ?? message.media.size_bytes ?? message.media.sizeBytes;
  if (typeof size === 'number' && size > PROXY_LIMIT_BYTES) {
    mediaFiles.set(message.id, { state: 'too_large' });
    return mediaFiles.get(message.id);
  }
  if (!inbox.client) return { state: 'loading' };
  const entry = { state: 'loading', url: null };
  mediaFiles.set(message.id, entry);
  inbox.client.fetchMedia(message.id).then((blob) => {
    if (mediaFiles.get(message.id) !== entry) return; // the bubble left meanwhile
    entry.url = URL.createObjectURL(blob);
    entry.state = 'ready';
  }, (error) => {
    entry.state = error.status === 413 || error.code === 'media_too_large' ? 'too_large' : 'error';
  }).finally(() => {
    if (mediaFiles.get(message.id) === entry) renderPane();
  });
  return entry;
}

function releaseMedia(shownIds) {
  for (const [id, entry] of mediaFiles) {
    if (shownIds.has(id)) continue;
    if (entry.url) URL.revokeObjectURL(entry.url);
    mediaFiles.delete(id);
  }
}

function renderProxied(box, message, kind, name) {
  const entry = proxiedMedia(message);
  const focusKey = `media:${message.id}`;
  if (entry.state === 'ready' && (kind === 'image' || kind === 'sticker')) {
    const open = link(entry.url, '', 'media-open', focusKey);
    open.title = 'Open full size (new tab)';
    const image = element('img', `media-image ${kind}`);
    image.src = entry.url;
    image.alt = plainText(message.media.caption) || plainText(message.content) || name;
    open.append(image);
    box.append(open);
  } else if (entry.state === 'ready' && (kind === 'video' || kind === 'audio' || kind === 'voice')) {
    const player = element(kind === 'video' ? 'video' : 'audio', 'media-player');
    player.controls = true;
    player.preload = 'metadata';
    player.src = entry.url;
    player.setAttribute('aria-label', name);
    player.dataset.focusKey = focusKey;
    box.append(player);
  } else if (entry.state === 'ready') {
    const download = link(entry.url, `Download ${name}`, 'media-download', focusKey);
    download.download = fileNameOf(message.media) || 'document';
    box.append(download);
  } else if (entry.state === 'too_large') {
    box.append(element('span', 'media-note', 'too large to preview'));
  } else if (entry.state === 'error') {
    const retry = element('button', 'link-button', 'Retry');
    retry.type = 'button';
    retry.dataset.focusKey = `media-retry:${message.id}`;
    retry.addEventListener('click', () => {
      mediaFiles.delete(message.id);
      renderPane();
    });
    box.append(element('span', 'media-note', 'couldn’t load media · '), retry);
  } else {
    box.append(element('span', 'media-note', 'Loading…'));
  }
}

function renderLocation(location, messageId) {
  const box = element('div', 'location');
  const name = plainText(location.name);
  const address = plainText(location.address);
  const live = location.live === true;
  if (live) box.append(labelled('span', 'live', '📡', 'Live location'));
  const href = mapUrl(location);
  const title = name || address || (live ? 'Current position' : 'Location');
  if (href) {
    const anchor = link(href, '', 'location-link', `location:${messageId}`);
    anchor.append(icon('📍'), ' ', title);
    anchor.title = 'Open in Google Maps (new tab)';
    box.append(anchor);
  }
  else box.append(labelled('span', 'location-title', '📍', title));
  if (address && address !== title) box.append(element('span', 'location-address', address));
  return box;
}

function renderContacts(contacts, messageId) {
  const list = element('ul', 'contacts');
  list.setAttribute('aria-label', contacts.length === 1 ? 'Contact card' : `${contacts.length} contact cards`);
  contacts.forEach((contact, n) => {
    const card = element('li', 'contact');
    card.append(labelled('span', 'contact-name', '👤', plainText(contact?.name) || 'Contact'));
    const phones = Array.isArray(contact?.phones) ? contact.phones.filter((phone) => typeof phone === 'string') : [];
    phones.forEach((phone, p) => {
      const href = telUrl(phone);
      card.append(href ? link(href, phone, 'contact-phone', `tel:${messageId}:${n}:${p}`) : element('span', 'contact-phone', phone));
    });
    if (contact?.vcard_truncated) card.append(element('span', 'contact-note', 'Card shortened'));
    list.append(card);
  });
  return list;
}

function renderReactions(message, conversation) {
  const reactions = message.reactions && typeof message.reactions === 'object' ? message.reactions : null;
  const entries = reactions ? Object.entries(reactions).filter(([, emoji]) => typeof emoji === 'string' && emoji) : [];
  if (!entries.length) return null;
  const list = element('ul', 'reactions');
  list.setAttribute('aria-label', 'Reactions');
  for (const [sender, emoji] of entries) {
    const chip = element('li', 'reaction');
    chip.dataset.sender = sender;
    chip.append(element('span', 'reaction-emoji', emoji), ' ',
      element('span', 'reaction-who', senderName({ sender, name: sender === 'lead' ? conversation?.name : null }, conversation)));
    list.append(chip);
  }
  return list;
}

// ------------------------------------------------------------------ the composer (sending)

const MAX_TEXT = 4096;
const COUNT_FROM = 3800; // the character count shows near the limit only
const composer = { conversationId: null, drafts: new Map() }; // drafts: conversation_id -> unsent text

/** A media link's kind and MIME type from its file extension; the gateway needs them, the URL rarely says. */
const MEDIA_TYPES = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif',
  mp4: 'video/mp4', '3gp': 'video/3gpp', mp3: 'audio/mpeg', ogg: 'audio/ogg', opus: 'audio/ogg', m4a: 'audio/mp4', aac: 'audio/aac',
};

function mediaOfLink(url) {
  const last = new URL(url).pathname.split('/').pop() || '';
  let fileName = last;
  try {
    fileName = decodeURIComponent(last);
  } catch {
    // A stray % in the link: the name as it is written.
  }
  fileName = fileName || 'file';
  const mimeType = MEDIA_TYPES[fileName.split('.').pop().toLowerCase()] || (fileName.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream');
  const type = mimeType.startsWith('image/') ? 'image' : mimeType.startsWith('video/') ? 'video' : mimeType.startsWith('audio/') ? 'audio' : 'document';
  return { type, mime_type: mimeType, file_name: fileName, url, available: true };
}

/**
 * Sends and shows the bubble at once (pending), keyed by its client_id: the server's copy (the POST's
 * answer, or the new_message push, whichever comes first) merges into it, never a second bubble.
 */
async function sendMessage(conversationId, { text = '', replyTo = null, mediaUrl = null, clientId = null }) {
  if (!inbox.client) {
    showError('Not connected yet: try again in a moment.');
    return;
  }
  const media = mediaUrl ? mediaOfLink(mediaUrl) : null;
  const request = { text: text || undefined, replyTo, mediaUrl, mediaType: media?.mime_type, fileName: media?.file_name };
  let sending = inbox.client.send(conversationId, { ...request, clientId });
  const bubble = {
    id: `out-${sending.clientId}`, client_id: sending.clientId, sender: 'agent', status: 'pending',
    timestamp: new Date().toISOString(), kind: media ? media.type : 'text', content: text,
    ...(media && { media: { ...media, caption: text } }), ...(replyTo && { reply_to: replyTo }),
  };
  addMessage(conversationId, bubble);
  if (inbox.openId === conversationId) renderPane({ scroll: 'bottom' });
  for (;;) {
    try {
      addMessage(conversationId, await sending);
      break;
    } catch (error) {
      if (error.status === 401) {
        // A refused token is renewed (host hook, else the agent), and the same client_id sent again.
        const token = await obtainToken('The access token was refused or has expired.');
        inbox.client.setToken(token);
        sending = inbox.client.send(conversationId, { ...request, clientId: bubble.client_id });
        continue;
      }
      if (error.code === 'not_sendable') {
        // Nothing was stored: the bubble goes, the text comes back, and the composer says why.
        inbox.messages.get(conversationId)?.delete(bubble.id);
        inbox.notSendable.set(conversationId, error.message);
        if (!composer.drafts.get(conversationId)) composer.drafts.set(conversationId, text);
        if (inbox.openId === conversationId) {
          if (!$('composer-text').value) $('composer-text').value = text;
          renderPane();
          $('composer-unblock').focus();
        }
        break;
      }
      const known = inbox.messages.get(conversationId)?.get(bubble.id);
      if (known) {
        const failed = mergeMessage(known, { status: 'failed', reason: error.message, code: error.code });
        // unsent: no answer, so the server may hold it; a retry reuses the client_id, and its word wins.
        if (failed.status === 'failed' && (error.status === 0 || error.retryable)) failed.unsent = true;
        inbox.messages.get(conversationId).set(bubble.id, failed);
      }
      if (inbox.openId === conversationId) {
        setText($('announcer'), `Message not sent: ${error.message}`);
        renderPane();
      }
      break;
    }
  }
}

/** Retry of a failed bubble: the same text, quote and media as a new send that replaces it. */
function retrySend(conversationId, message) {
  const messages = inbox.messages.get(conversationId);
  messages?.delete(message.id);
  // A send the server refused or failed is a new message (new client_id); one that never got an answer
  // is the same message again, which the server stores once.
  if (!message.unsent) inbox.retried.add(message.id);
  const text = typeof message.content === 'string' ? message.content : plainText(message.media?.caption);
  const mediaUrl = message.media ? safeHttpUrl(message.media.url) : null;
  sendMessage(conversationId, { text, replyTo: quotedOf(message)?.id || null, mediaUrl, clientId: message.unsent ? message.client_id : null });
  $('composer-text').focus();
}

function startReply(conversationId, messageId) {
  inbox.replyTo = { conversationId, messageId };
  renderComposer();
  $('composer-text').focus();
}

function cancelReply() {
  inbox.replyTo = null;
  renderComposer();
  $('composer-text').focus();
}

function renderComposer() {
  const form = $('composer');
  const input = $('composer-text');
  const id = inbox.openId && inbox.conversations.has(inbox.openId) ? inbox.openId : null;
  if (composer.conversationId !== id) {
    // Each conversation keeps its own unsent text: a draft for one lead never goes to another.
    if (composer.conversationId) composer.drafts.set(composer.conversationId, input.value);
    input.value = (id && composer.drafts.get(id)) || '';
    composer.conversationId = id;
    if (inbox.replyTo && inbox.replyTo.conversationId !== id) inbox.replyTo = null;
  }
  form.hidden = !id;
  if (!id) return;
  const blocked = inbox.notSendable.get(id);
  input.disabled = !!blocked;
  $('composer-send').disabled = !!blocked;
  $('composer-note').hidden = !blocked;
  setText($('composer-note-text'), blocked ? `Messages cannot be sent to this conversation: ${blocked}` : '');
  const target = inbox.replyTo ? inbox.messages.get(id)?.get(inbox.replyTo.messageId) : null;
  $('reply-preview').hidden = !target;
  if (target) {
    setText($('reply-label'), `Replying to ${senderName(target, inbox.conversations.get(id))}`);
    setText($('reply-quote'), previewText(target));
  }
  const left = MAX_TEXT - input.value.length;
  setText($('composer-count'), input.value.length >= COUNT_FROM ? `${left} of ${MAX_TEXT} characters left` : '');
}

function submitComposer() {
  const conversationId = composer.conversationId;
  const input = $('composer-text');
  const attach = $('attach-url');
  if (!conversationId || input.disabled) return;
  const text = input.value.trim();
  const mediaUrl = attach.value.trim();
  if (mediaUrl && !safeHttpUrl(mediaUrl)) {
    attach.setCustomValidity('An http(s) link');
    attach.reportValidity();
    return;
  }
  if (!text && !mediaUrl) return;
  const replyTo = inbox.replyTo?.conversationId === conversationId ? inbox.replyTo.messageId : null;
  input.value = '';
  attach.value = '';
  composer.drafts.delete(conversationId);
  inbox.replyTo = null;
  renderComposer();
  sendMessage(conversationId, { text, replyTo, mediaUrl: mediaUrl || null });
}

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  submitComposer();
});
$('composer-text').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submitComposer();
  } else if (event.key === 'Escape' && inbox.replyTo) {
    event.stopPropagation(); // Escape drops the quote first; on a phone the next one goes back to the list
    cancelReply();
  }
});
$('composer-text').addEventListener('input', () => {
  const input = $('composer-text');
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  renderComposer();
});
$('attach-url').addEventListener('input', (event) => event.target.setCustomValidity(''));
$('reply-cancel').addEventListener('click', cancelReply);
$('attach-toggle').addEventListener('click', (event) => {
  const open = $('attach').hidden;
  $('attach').hidden = !open;
  event.currentTarget.setAttribute('aria-expanded', String(open));
  if (open) $('attach-url').focus();
});
$('composer-unblock').addEventListener('click', () => {
  inbox.notSendable.delete(composer.conversationId);
  renderComposer();
  $('composer-text').focus();
});

// ------------------------------------------------------------------ connection, errors, controls

function renderConnection(state) {
  inbox.connection = state;
  const indicator = $('connection');
  indicator.dataset.state = state;
  const down = sessionsDown().length > 0;
  indicator.dataset.sessions = down ? 'down' : 'ok';
  // A live socket is not a working inbox when the WhatsApp number behind it is logged out.
  const label = state === 'open' && down ? 'Live · WhatsApp disconnected' : STATE_LABELS[state] || state;
  setText(indicator.querySelector('.label'), label);
}

let errorRetry = null;
function showError(message, { retry = null } = {}) {
  const error = $('error');
  setText($('error-text'), message);
  errorRetry = retry;
  setText($('error-dismiss'), retry ? 'Retry' : 'Dismiss');
  error.hidden = false;
}

$('error-dismiss').addEventListener('click', () => {
  $('error').hidden = true;
  const retry = errorRetry;
  errorRetry = null;
  if (retry) retry();
});

$('search').addEventListener('input', (event) => {
  inbox.filter.query = event.target.value.trim();
  renderList();
});

$('unread-filter').addEventListener('click', (event) => {
  inbox.filter.unread = !inbox.filter.unread;
  event.currentTarget.setAttribute('aria-pressed', String(inbox.filter.unread));
  renderList();
});

$('load-older-conversations').addEventListener('click', () => loadOlderConversations());
$('back').addEventListener('click', backToList);

// Arrow keys move between conversations; Enter/Space open (buttons); Escape leaves a conversation on a phone.
$('conversation-list').addEventListener('keydown', (event) => {
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
  const buttons = [...$('conversation-list').querySelectorAll('.conversation button')];
  const at = buttons.indexOf(document.activeElement);
  if (at < 0) return;
  event.preventDefault();
  const next = event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1
    : Math.min(buttons.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)));
  buttons[next].focus();
});

$('pane').addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && isNarrow() && document.body.dataset.view === 'conversation') backToList();
});

// ------------------------------------------------------------------ start

async function start() {
  renderAlertsToggle();
  if (!config.token) {
    const token = await obtainToken('Paste an access token (JWT) for your tenant to open the inbox.');
    if (token) useToken(token);
  } else if (isTokenExpired(config.token, Date.now())) {
    await obtainToken('Your access token has expired. Paste a new one.');
  }
  // The list answer carries the server's cursor: the first resume replays whatever was written
  // after the list was read (ids dedupe the overlap). Never a cursor from this browser's clock.
  // A list that fails to load (read API down or not routed) must not keep the live feed away; the
  // list says what is wrong and offers a retry.
  const since = await loadConversations().catch(() => null);
  inbox.client = new InboxRelayClient({
    ...config.clientOptions,
    url: config.ws,
    api: config.api,
    token: config.token,
    tokenTransport: config.tokenTransport,
    channels: ['messages', 'statuses', 'sessions'],
    since,
    getToken: config.getToken ? (reason) => refreshedToken(reason) : null,
    checkToken,
    onStateChange: (state) => {
      renderConnection(state);
      if (state !== 'open') return;
      requestStatus(); // the WhatsApp numbers' state, on load and after every reconnect
      // The list failed to load (offline at load, read API down): the link is back, so try again.
      if (inbox.list.error && !inbox.list.loading) reloadState();
    },
    onAuthRequired: (reason) => askForToken(reason === 'token expired' || reason === 'token_expired'
      ? 'Your access token has expired. Paste a new one.'
      : 'Your access token was refused. Paste a new one.'),
    onResyncRequired: () => reloadState(),
    onMessageUpdated,
    onConversationMerged,
    onError: (error) => console.warn('inbox-relay:', error.message),
  });
  inbox.client.on('new_message', onNewMessage);
  inbox.client.on('conversation_updated', onConversationUpdated);
  inbox.client.on('message_status', onMessageStatus);
  inbox.client.on('session_status', onSessionStatus);
  inbox.client.on('status', onStatus);
  inbox.client.connect();
}

renderConnection('closed');
updateTitle();
start().catch((error) => showError(error.message));
