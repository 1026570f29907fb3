// What the browser tests need from a running stack (the local one by default, any by configuration).
import crypto from 'node:crypto';
import fs from 'node:fs';

function settingsFile() {
  const file = process.env.INBOX_RELAY_STACK_FILE;
  if (!file || !fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const file = settingsFile();
const pick = (env, key, fallback) => process.env[env] || file[key] || fallback;

export const stack = {
  http: pick('INBOX_RELAY_HTTP', 'http', 'http://127.0.0.1:3000').replace(/\/+$/, ''),
  ws: pick('INBOX_RELAY_WS', 'ws', 'ws://127.0.0.1:3001/prod'),
  management: pick('INBOX_RELAY_MANAGEMENT', 'management', 'http://127.0.0.1:3001/prod'),
  jwtSecret: pick('INBOX_RELAY_JWT_SECRET', 'jwtSecret', ''),
  tenant: pick('INBOX_RELAY_TENANT', 'tenant', 'demo'),
  sessionId: pick('INBOX_RELAY_SESSION_ID', 'sessionId', 'demo'),
  webhookSecret: pick('INBOX_RELAY_WEBHOOK_SECRET', 'webhookSecret', ''),
  simulator: pick('INBOX_RELAY_SIMULATOR', 'simulator', 'http://127.0.0.1:3002').replace(/\/+$/, ''),
  simulatorApiKey: pick('INBOX_RELAY_SIMULATOR_API_KEY', 'simulatorApiKey', 'simulator-key'),
};

const base64url = (data) => Buffer.from(data).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** An HS256 JWT as a CRM backend would mint it for an agent. */
export function token({ tenant = stack.tenant, expiresInSeconds = 3600 } = {}) {
  if (!stack.jwtSecret) throw new Error('INBOX_RELAY_JWT_SECRET (or jwtSecret in INBOX_RELAY_STACK_FILE) is not set');
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: 'browser-test-agent', tenant_id: tenant, iat: now - 120, exp: now + expiresInSeconds }));
  const signature = base64url(crypto.createHmac('sha256', stack.jwtSecret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}

/** Posts a generic-format (Inbox Hub) webhook signed with the session's HMAC-SHA256 secret. */
export async function postWebhook(body) {
  const raw = Buffer.from(JSON.stringify(body));
  const signature = crypto.createHmac('sha256', stack.webhookSecret).update(raw).digest('hex');
  const response = await fetch(`${stack.http}/webhooks/${encodeURIComponent(stack.sessionId)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Webhook-Signature': `sha256=${signature}` },
    body: raw,
  });
  const answer = await response.json().catch(() => ({}));
  if (response.status !== 200 || answer.status !== 'stored') {
    throw new Error(`webhook answered ${response.status} ${JSON.stringify(answer)}`);
  }
  return answer;
}

export function leadMessage({ id, phone, name, text, at = Date.now() }) {
  return {
    event: 'message.received',
    timestamp: at,
    message: { id, from: phone, fromMe: false, name, text, timestamp: at },
  };
}

/** Closes a connection from the server side, as API Gateway does on a deploy or its 2-hour cap. */
export async function dropConnection(connectionId) {
  if (!stack.management) throw new Error('INBOX_RELAY_MANAGEMENT (the @connections endpoint incl. stage) is not set');
  const response = await fetch(`${stack.management.replace(/\/+$/, '')}/@connections/${encodeURIComponent(connectionId)}`, { method: 'DELETE' });
  if (response.status !== 204 && response.status !== 200) {
    throw new Error(`DELETE @connections answered ${response.status}`);
  }
}

export async function waitForStack(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${stack.http}/`);
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the stack at ${stack.http} did not answer: ${last}`);
}

export function uniquePhone() {
  return `+57300${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}
