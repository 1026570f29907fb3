// The inbox page: conversation list, message pane, connection status. State lives in plain maps;
// the REST read API fills them on load, the WebSocket client keeps them current.
import { InboxRelayClient, cursorAt, isTokenExpired } from './inbox-relay-client.js';

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

async function loadConversations() {
  const body = await withToken(() => api('/api/conversations?limit=100'));
  for (const conversation of body.conversations) applyConversation(conversation, { fromList: true });
  renderList();
}

async function openConversation(conversationId) {
  inbox.openId = conversationId;
  renderList();
  renderPane();
  const body = await withToken(() => api(`/api/conversations/${encodeURIComponent(conversationId)}/messages?limit=100`));
  // Oldest first, so arrival order matches time order for equal timestamps.
  for (const message of [...body.messages].reverse()) addMessage(conversationId, message);
  if (inbox.openId === conversationId) renderPane();
  await markRead(conversationId);
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
    messages.set(message.id, { ...known, ...message, seq: known.seq });
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

function renderPane() {
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
  list.replaceChildren(...messages.map((message) => {
    const item = element('li', `message ${message.sender === 'agent' ? 'outgoing' : 'incoming'}`);
    item.dataset.messageId = message.id;
    const text = element('p', 'content', message.content ?? message.media?.caption ?? '');
    if (message.media) item.append(element('span', 'media', `📎 ${message.media.type || 'media'}`));
    const meta = element('span', 'meta', timeOf(message.timestamp));
    if (message.sender === 'agent' && message.status) meta.append(element('span', `status ${message.status}`, ` · ${message.status}`));
    item.append(text, meta);
    return item;
  }));
  if (stickToBottom) list.scrollTop = list.scrollHeight;
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
  // Events written while the list loads are replayed by the first resume; ids dedupe the overlap.
  const since = cursorAt(Date.now());
  // A list that fails to load (read API down or not routed) must not keep the live feed away.
  await loadConversations().catch((error) => showError(`Could not load conversations: ${error.message}`));
  inbox.client = new InboxRelayClient({
    url: config.ws,
    token: config.token,
    tokenTransport: config.tokenTransport,
    channels: ['messages', 'statuses', 'sessions'],
    since,
    onStateChange: renderConnection,
    onAuthRequired: () => askForToken('Your access token has expired or was refused. Paste a new one.'),
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
