#!/usr/bin/env python3
"""Wraps every gateway fixture in events/gateways/ into the HTTP API (payload 2.0) event that API
Gateway would hand WebhookFunction, signed for the sample session of its provider, so that
`sam local invoke WebhookFunction -e events/api/<name>.json` works. Regenerate after editing a
fixture: python3 events/make-api-events.py (ApiGatewayEventFixturesTest fails when they drift)."""
import base64, hashlib, hmac, json, pathlib

SECRET = "sample-secret-for-sam-local-invoke"
HERE = pathlib.Path(__file__).resolve().parent


def headers_for(provider, body):
    if provider == "inboxhub":
        return {"x-webhook-signature": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}
    if provider == "waha":
        return {"x-webhook-hmac": hmac.new(SECRET.encode(), body, hashlib.sha512).hexdigest(),
                "x-webhook-hmac-algorithm": "sha512"}
    if provider == "meta":
        return {"x-hub-signature-256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}
    if provider == "evolution":
        return {"authorization": "Bearer " + SECRET}
    raise ValueError(provider)


def main():
    out = HERE / "api"
    out.mkdir(exist_ok=True)
    for old in out.glob("webhook-*.json"):
        old.unlink()
    for fixture in sorted((HERE / "gateways").glob("*/*.json")):
        provider = fixture.parent.name
        body = fixture.read_bytes()
        session = "sample-" + provider
        suffix = None
        if provider == "evolution" and fixture.name.startswith("by-events-suffix-"):
            suffix = fixture.stem[len("by-events-suffix-"):]
        path = "/webhooks/" + session + ("/" + suffix if suffix else "")
        headers = {"content-type": "application/json", "user-agent": provider + "-gateway",
                   "host": "abc123.execute-api.us-east-1.amazonaws.com"}
        headers.update(headers_for(provider, body))
        if fixture.stem.startswith("header-event-"):
            # The event name travels in a header for this one, e.g. header-event-message-received.
            headers["x-webhook-event"] = fixture.stem[len("header-event-"):].replace("-", ".")
        params = {"sessionId": session}
        if suffix:
            params["event"] = suffix
        event = {
            "version": "2.0",
            "routeKey": "POST /webhooks/{sessionId}" + ("/{event}" if suffix else ""),
            "rawPath": "/prod" + path,
            "rawQueryString": "",
            "headers": headers,
            "pathParameters": params,
            "requestContext": {
                "accountId": "123456789012", "apiId": "abc123", "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
                "domainPrefix": "abc123", "stage": "prod", "requestId": "sample-" + fixture.stem,
                "routeKey": "POST /webhooks/{sessionId}" + ("/{event}" if suffix else ""),
                "time": "22/Nov/2026:19:33:07 +0000", "timeEpoch": 1795289587000,
                "http": {"method": "POST", "path": "/prod" + path, "protocol": "HTTP/1.1",
                         "sourceIp": "203.0.113.10", "userAgent": provider + "-gateway"},
            },
            "body": base64.b64encode(body).decode(),
            "isBase64Encoded": True,
        }
        name = out / ("webhook-" + provider + "-" + fixture.stem + ".json")
        name.write_text(json.dumps(event, indent=2) + "\n")


if __name__ == "__main__":
    main()
