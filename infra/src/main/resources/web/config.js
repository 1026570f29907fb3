// Deployment settings for the inbox page. Edit this file when hosting the page as static files, or
// pass the same names as query parameters (?api=...&ws=...&token=...), which win over this file.
//
//   api: base URL of the HTTP API (the read API lives under {api}/api/...); '' = the page's own origin
//   ws:  WebSocket URL including the stage, e.g. 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod';
//        '' = the local stack: ws://{the page's host}:3001/prod
//   token: a JWT for the agent; normally left empty so the page asks for one (or the CRM passes it)
//   tokenTransport: 'query' (?token=) or 'subprotocol' (Sec-WebSocket-Protocol: inbox-relay, <token>)
window.INBOX_RELAY_CONFIG = {
  api: '',
  ws: '',
  token: '',
  tokenTransport: 'query',
};
