// The inbox page: conversation list, message pane, connection status. State lives in plain maps;
// the REST read API fills them on load (and again whenever the server says it cannot replay a gap),
// the WebSocket client keeps them current.
import { InboxRelayClient, isTokenExpired } from './inbox-relay-client.js';

const TOKEN_KEY = 'inbox-relay.token';
const STATE_LABELS = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

const $ = (id) => document.getElementById(id);

function settings() {
  const file = window.INBOX_RELAY_CONFIG || {};
  const query = new URLSearchParams(location.search);
  const pick = (name) => query.get(name) || file[name] || '';
  const defaultWs = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.hostname || 'localhost'}:3001/prod`;
  return {
    api: pick('api').replace(/\/+$/, ''),
    ws: pick('ws') || defaultWs,
    token: query.get('token') || sessionStorage.getItem(TOKEN_KEY) || file.token || '',
    tokenTransport: pick('tokenTransport') || 'query',
  };
}

const config = settings();

const inbox = {
  conversations: new Map(), // conversation_id -> summary (the REST / conversation_updated shape)
  messages: new Map(), // conversation_id -> Map(message id -> message with a local arrival sequence)
  openId: null,
  sequence: 0,
  client: null,
  loadingFull: new Set(), // ids of truncated messages whose full text is being fetched
  resyncs: 0, // completed reloads after resync_required, for the browser tests
};
window.inbox = inbox; // for the browser console and the browser tests

// ------------------------------------------------------------------ token

let pendingToken = null;

function askForToken(reason) {
  $('token-reason').textContent = reason || 'Paste an access token (JWT) for your tenant.';
  $('token-prompt').hidden = false;
  $('token-input').focus();
  if (!pendingToken) {
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    pendingToken = { promise, resolve };
  }
  return pendingToken.promise;
}

$('token-form').addEventListener('submit', (submit) => {
  submit.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) return;
  config.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token-prompt').hidden = true;
  $('token-input').value = '';
  const waiting = pendingToken;
  pendingToken = null;
  if (waiting) waiting.resolve(token);
});

// ------------------------------------------------------------------ REST

class AuthError extends Error {}

async function api(path, options = {}) {
  const response = await fetch(`${config.api}${path}`, {
    ...options,
    headers: { Authorization: `Bearer ${config.token}`, ...(options.headers || {}) },
  });
  if (response.status === 401) throw new AuthError('The access token was refused or has expired.');
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.message || `${path} answered ${response.status}`);
  }
  return response.json();
}

/** Runs a REST call; a refused token makes the page ask for a new one and try again. */
async function withToken(call) {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const token = await askForToken(error.message);
      if (inbox.client) inbox.client.setToken(token);
    }
  }
}

/** Loads the conversation list; returns the server's cursor for the socket to resume from. */
async function loadConversations() {
  const body = await withToken(() => api('/api/conversations?limit=100'));
  for (const conversation of body.conversations) applyConversation(conversation, { fromList: true });
  renderList();
  return typeof body.cursor === 'string' && body.cursor ? body.cursor : null;
}

function messagesPath(conversationId, before) {
  const query = new URLSearchParams({ limit: '100' });
  if (before) query.set('before', before);
  return `/api/conversations/${encodeURIComponent(conversationId)}/messages?${query}`;
}

/** The read API's messages carry their full text. */
function fromReadApi(message) {
  return { ...message, truncated: message.truncated === true };
}

async function loadMessages(conversationId) {
  const body = await withToken(() => api(messagesPath(conversationId)));
  // Oldest first, so arrival order matches time order for equal timestamps.
  for (const message of [...body.messages].reverse()) addMessage(conversationId, fromReadApi(message));
  if (inbox.openId === conversationId) renderPane();
}

async function openConversation(conversationId) {
  inbox.openId = conversationId;
  renderList();
  renderPane();
  await loadMessages(conversationId);
  await markRead(conversationId);
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
        await loadMessages(openId);
        if (inbox.conversations.get(openId)?.unread_count > 0) markReadSoon(openId);
      }
      inbox.resyncs += 1;
    } while (reloadAgain);
  })().catch((error) => showError(`Could not reload the inbox: ${error.message}`))
    .finally(() => { reloading = null; });
  return reloading;
}

let markReadTimer = null;
async function markRead(conversationId) {
  const conversation = inbox.conversations.get(conversationId);
  if (!conversation || !conversation.unread_count) return;
  conversation.unread_count = 0; // optimistic; the answer carries the new version
  renderList();
  try {
    const updated = await withToken(() => api(`/api/conversations/${encodeURIComponent(conversationId)}/read`, { method: 'POST' }));
    applyConversation(updated);
    renderList();
  } catch (error) {
    showError(error.message);
  }
}

function markReadSoon(conversationId) {
  clearTimeout(markReadTimer);
  markReadTimer = setTimeout(() => markRead(conversationId), 300);
}

// ------------------------------------------------------------------ state

function applyConversation(update, { fromList = false } = {}) {
  const known = inbox.conversations.get(update.conversation_id);
  // Updates can arrive out of order (REST answer vs pushed event); the highest version wins.
  if (known && typeof update.version === 'number' && typeof known.version === 'number' && update.version < known.version) return;
  if (known && !fromList && typeof update.version !== 'number') return;
  inbox.conversations.set(update.conversation_id, { ...known, ...update });
}

function addMessage(conversationId, message) {
  if (!inbox.messages.has(conversationId)) inbox.messages.set(conversationId, new Map());
  const messages = inbox.messages.get(conversationId);
  const known = messages.get(message.id);
  if (known) {
    // A replayed push is only a preview of a long text: it must not shorten what the read API gave.
    const keepFull = message.truncated && !known.truncated && typeof known.content === 'string'
      && typeof message.content === 'string' && known.content.startsWith(message.content);
    const merged = { ...known, ...message, seq: known.seq };
    if (keepFull) Object.assign(merged, { content: known.content, truncated: known.truncated });
    messages.set(message.id, merged);
    return false;
  }
  inbox.sequence += 1;
  messages.set(message.id, { ...message, seq: inbox.sequence });
  return true;
}

function onNewMessage(event) {
  const { conversation_id: conversationId, message } = event;
  const isNew = addMessage(conversationId, message);
  const known = inbox.conversations.get(conversationId);
  const lastAt = known?.last_message?.timestamp;
  if (!known || !lastAt || message.timestamp >= lastAt) {
    inbox.conversations.set(conversationId, {
      unread_count: 0,
      version: -1,
      ...known,
      conversation_id: conversationId,
      lead_id: event.lead_id,
      name: known?.name || message.name,
      phone: known?.phone || message.phone,
      last_message: { id: message.id, content: message.content, sender: message.sender, timestamp: message.timestamp },
    });
  }
  renderList();
  if (inbox.openId === conversationId) {
    renderPane();
    if (isNew && message.sender === 'lead') markReadSoon(conversationId);
  }
}

function onConversationUpdated(event) {
  applyConversation(event);
  if (inbox.openId === event.conversation_id && event.unread_count > 0) markReadSoon(event.conversation_id);
  renderList();
}

function onMessageStatus(event) {
  const conversationIds = event.conversation_id ? [event.conversation_id] : [...inbox.messages.keys()];
  for (const id of conversationIds) {
    const message = inbox.messages.get(id)?.get(event.message_id);
    if (message) {
      message.status = event.status;
      if (inbox.openId === id) renderPane();
    }
  }
}

function onSessionStatus(event) {
  const badge = $('session-status');
  badge.hidden = false;
  badge.dataset.status = event.status;
  badge.textContent = `WhatsApp ${event.session_id}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`;
}

// ------------------------------------------------------------------ rendering

function timeOf(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const today = new Date();
  return date.toDateString() === today.toDateString()
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderList() {
  const list = $('conversation-list');
  const sorted = [...inbox.conversations.values()].sort((a, b) => {
    const at = a.last_message?.timestamp || '';
    const bt = b.last_message?.timestamp || '';
    return at < bt ? 1 : at > bt ? -1 : 0;
  });
  list.replaceChildren(...sorted.map((conversation) => {
    const item = element('li', 'conversation');
    item.dataset.conversationId = conversation.conversation_id;
    if (conversation.conversation_id === inbox.openId) item.classList.add('active');
    const button = element('button');
    button.type = 'button';
    button.addEventListener('click', () => openConversation(conversation.conversation_id).catch((e) => showError(e.message)));
    const top = element('span', 'row');
    top.append(element('span', 'name', conversation.name || conversation.phone || conversation.conversation_id),
      element('time', 'when', timeOf(conversation.last_message?.timestamp)));
    const bottom = element('span', 'row');
    const preview = conversation.last_message
      ? `${conversation.last_message.sender === 'agent' ? 'You: ' : ''}${conversation.last_message.content ?? '📎 media'}`
      : '';
    bottom.append(element('span', 'preview', preview));
    if (conversation.unread_count > 0) {
      const badge = element('span', 'badge', String(conversation.unread_count));
      badge.setAttribute('aria-label', `${conversation.unread_count} unread`);
      bottom.append(badge);
    }
    button.append(top, bottom);
    item.append(button);
    return item;
  }));
  $('no-conversations').hidden = sorted.length > 0;
}

function renderPane({ focusContentOf = null } = {}) {
  const header = $('pane-header');
  const list = $('messages');
  const conversation = inbox.conversations.get(inbox.openId);
  if (!conversation) {
    header.replaceChildren(element('span', 'placeholder', 'Select a conversation'));
    list.replaceChildren();
    return;
  }
  header.replaceChildren(element('strong', 'name', conversation.name || conversation.phone),
    element('span', 'phone', conversation.phone || ''));
  const messages = [...(inbox.messages.get(inbox.openId)?.values() || [])].sort((a, b) =>
    a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.seq - b.seq);
  const stickToBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  // Every render rebuilds the bubbles; keyboard focus on one of their controls must survive it.
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  const conversationId = inbox.openId;
  list.replaceChildren(...messages.map((message, index) => {
    const item = element('li', `message ${message.sender === 'agent' ? 'outgoing' : 'incoming'}`);
    item.dataset.messageId = message.id;
    const text = element('p', 'content', message.content ?? message.media?.caption ?? '');
    text.id = `message-content-${index}`;
    text.tabIndex = -1; // focusable from script only: where focus goes once the full text replaces a preview
    text.dataset.focusKey = `content:${message.id}`;
    if (message.media) item.append(element('span', 'media', `📎 ${message.media.type || 'media'}`));
    const meta = element('span', 'meta', timeOf(message.timestamp));
    if (message.sender === 'agent' && message.status) meta.append(element('span', `status ${message.status}`, ` · ${message.status}`));
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
    item.append(meta);
    return item;
  }));
  if (stickToBottom) list.scrollTop = list.scrollHeight;
  const focusKey = focusContentOf && focused === `show-full:${focusContentOf}` ? `content:${focusContentOf}` : focused;
  if (focusKey) {
    const target = [...list.querySelectorAll('[data-focus-key]')].find((node) => node.dataset.focusKey === focusKey);
    target?.focus({ preventScroll: true });
  }
}

function renderConnection(state) {
  const indicator = $('connection');
  indicator.dataset.state = state;
  indicator.querySelector('.label').textContent = STATE_LABELS[state] || state;
}

function showError(message) {
  const error = $('error');
  error.textContent = message;
  error.hidden = false;
  setTimeout(() => { error.hidden = true; }, 6000);
}

// ------------------------------------------------------------------ start

async function start() {
  if (!config.token) {
    await askForToken('Paste an access token (JWT) for your tenant to open the inbox.');
  } else if (isTokenExpired(config.token, Date.now())) {
    await askForToken('Your access token has expired. Paste a new one.');
  }
  // The list answer carries the server's cursor: the first resume replays whatever was written
  // after the list was read (ids dedupe the overlap). Never a cursor from this browser's clock.
  // A list that fails to load (read API down or not routed) must not keep the live feed away.
  const since = await loadConversations().catch((error) => {
    showError(`Could not load conversations: ${error.message}`);
    return null;
  });
  inbox.client = new InboxRelayClient({
    url: config.ws,
    token: config.token,
    tokenTransport: config.tokenTransport,
    channels: ['messages', 'statuses', 'sessions'],
    since,
    onStateChange: renderConnection,
    onAuthRequired: () => askForToken('Your access token has expired or was refused. Paste a new one.'),
    onResyncRequired: () => reloadState(),
    onError: (error) => console.warn('inbox-relay:', error.message),
  });
  inbox.client.on('new_message', onNewMessage);
  inbox.client.on('conversation_updated', onConversationUpdated);
  inbox.client.on('message_status', onMessageStatus);
  inbox.client.on('session_status', onSessionStatus);
  inbox.client.connect();
}

renderConnection('closed');
start().catch((error) => showError(error.message));
