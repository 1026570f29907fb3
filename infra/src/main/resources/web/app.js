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
  pendingChanges: new Map(), // message id -> message_updated events that came before their message
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
    throw Object.assign(new Error(body.message || `${path} answered ${response.status}`), { status: response.status });
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
  try {
    await loadMessages(conversationId);
  } catch (error) {
    // 404: the server no longer has it — merged into another while this page missed the
    // conversation_merged (a resync reloads the list but cannot tell what vanished from it).
    if (error.status !== 404) throw error;
    dropConversation(conversationId);
    throw new Error('This conversation no longer exists: it was merged into another one.');
  }
  await markRead(conversationId);
}

function dropConversation(conversationId) {
  inbox.conversations.delete(conversationId);
  inbox.messages.delete(conversationId);
  if (inbox.openId === conversationId) inbox.openId = null;
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
        const gone = await loadMessages(openId).then(() => false, (error) => {
          if (error.status !== 404) throw error;
          dropConversation(openId); // merged away while the link was down
          return true;
        });
        if (!gone && inbox.conversations.get(openId)?.unread_count > 0) markReadSoon(openId);
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

// What a message_updated changed on a message. The read API carries them too; a pushed new_message
// (a replay of the original) never does, so it must not undo them.
const CHANGE_FIELDS = ['reactions', 'edited', 'editedAt', 'deleted', 'deletedAt'];

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
      .then(() => { if (inbox.conversations.get(into)?.unread_count > 0) markReadSoon(into); })
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
  const byId = new Map(messages.map((message) => [message.id, message]));
  list.replaceChildren(...messages.map((message, index) => renderMessage(message, {
    index, conversationId, conversation, byId,
  })));
  if (stickToBottom) list.scrollTop = list.scrollHeight;
  const focusKey = focusContentOf && focused === `show-full:${focusContentOf}` ? `content:${focusContentOf}` : focused;
  if (focusKey) {
    const target = [...list.querySelectorAll('[data-focus-key]')].find((node) => node.dataset.focusKey === focusKey);
    target?.focus({ preventScroll: true });
  }
}

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
function renderMessage(message, { index, conversationId, conversation, byId }) {
  const kind = typeof message.kind === 'string' ? message.kind : null;
  const isSystem = kind === 'system';
  const item = element('li', `message ${isSystem ? 'system' : message.sender === 'agent' ? 'outgoing' : 'incoming'}`);
  item.dataset.messageId = message.id;
  if (kind) item.dataset.kind = kind;

  const text = element('p', 'content');
  text.id = `message-content-${index}`;
  text.tabIndex = -1; // focusable from script only: where focus goes once the full text replaces a preview
  text.dataset.focusKey = `content:${message.id}`;

  if (message.deleted) {
    // The text stays in the CRM's record; the agent sees that it was taken back.
    item.classList.add('deleted');
    text.classList.add('deleted');
    text.append(icon('🚫'), ' This message was deleted');
    item.append(text, renderMeta(message));
    return item;
  }

  if (message.forwarded === true) item.append(labelled('span', 'forwarded', '↪️', 'Forwarded'));
  if (message.quoted && typeof message.quoted === 'object') item.append(renderQuoted(message, conversation, byId));
  if (message.referral && typeof message.referral === 'object') item.append(renderReferral(message.referral, message.id));

  let body = message.content ?? message.media?.caption ?? '';
  if (kind && MEDIA_KINDS.has(kind)) {
    item.append(renderMedia(message, kind));
    body = plainText(message.media?.caption);
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
  text.textContent = typeof body === 'string' ? body : String(body);
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
  item.append(renderMeta(message));
  return item;
}

function renderMeta(message) {
  const meta = element('span', 'meta', timeOf(message.timestamp));
  if (message.edited && !message.deleted) meta.append(element('span', 'edited', ' · edited'));
  if (message.sender === 'agent' && message.status) meta.append(element('span', `status ${message.status}`, ` · ${message.status}`));
  return meta;
}

function renderQuoted(message, conversation, byId) {
  const quotedId = typeof message.quoted.id === 'string' ? message.quoted.id : null;
  const target = quotedId ? byId.get(quotedId) : null;
  let preview = target?.deleted ? 'This message was deleted' : plainText(message.quoted.preview);
  if (!preview && target) preview = plainText(target.content ?? target.media?.caption);
  if (!preview) preview = 'Earlier message';
  const who = target ? senderName(target, conversation) : null;
  const node = element(target ? 'button' : 'blockquote', 'quoted');
  node.append(element('span', 'quoted-label', who ? `Reply to ${who}` : 'Reply to'), element('span', 'quoted-preview', preview));
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
  const name = plainText(media.file_name);
  box.append(labelled('span', 'media-label', emoji, name ? `${label}: ${name}` : label));
  const href = safeHttpUrl(media.url);
  if (href) box.append(' ', link(href, 'Open', 'media-link', `media:${message.id}`));
  return box;
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
    onMessageUpdated,
    onConversationMerged,
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
