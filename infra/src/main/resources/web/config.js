// Deployment settings for the inbox page. Edit this file when hosting the page as static files, or
// pass the same names as query parameters (?api=...&ws=...&token=...), which win over this file.
//
//   api: base URL of the HTTP API (the read API lives under {api}/api/...); '' = the page's own origin
//   ws:  WebSocket URL including the stage, e.g. 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod';
//        '' = the local stack: ws://{the page's host}:3001/prod
//   token: a JWT for the agent; normally left empty so the page asks for one (or the CRM passes it).
//        A token passed as ?token= is read once, kept in sessionStorage and removed from the address bar.
//   tokenTransport: 'query' (?token=) or 'subprotocol' (Sec-WebSocket-Protocol: inbox-relay, <token>)
//   getToken: the host CRM's refresh hook, async (reason) => a fresh JWT or null. Called shortly before the
//        token's exp, when the server refuses it (token_expired) and when the read API answers 401; the
//        agent is asked to paste a token only when this gives none. Only settable here, not by URL.
//   pageSize: conversations and messages per read API page (1–100; "Load older" fetches the next)
//   markReadDelayMs: how long an open conversation must be in view before it is marked read
window.INBOX_RELAY_CONFIG = {
  api: '',
  ws: '',
  token: '',
  tokenTransport: 'query',
  getToken: null, // e.g. async () => (await fetch('/crm/inbox-token', { credentials: 'include' })).text()
  pageSize: 50,
  markReadDelayMs: 300,
};
