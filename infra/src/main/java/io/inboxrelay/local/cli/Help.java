package io.inboxrelay.local.cli;

import java.util.Map;
import java.util.Optional;

/** The help of the tool and of each command: what it does, its options, examples. */
final class Help {

    static final String PROGRAM = "inbox-relay";

    private static final String DYNAMO_OPTIONS = """
              --dynamo-port P     the local stack's DynamoDB Local port (default 8000)
              --aws               the deployed stack instead, with your AWS credentials and region
              --table NAME        with --aws: the SessionsTable's physical name
              --key-arn ARN       with --aws: the SessionSecretsKeyArn output, the KMS key that seals secrets
                                  (default: $SESSION_SECRETS_KEY_ARN)
            """;

    private static final String COMMON = """
              --verbose           show the libraries' logs on standard error
              -h, --help          this help
            """;

    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("", """
                    inbox-relay - WhatsApp gateway webhooks to CRM browsers: the local stack and its tools

                    usage: inbox-relay [COMMAND] [OPTIONS]

                    commands:
                      run        run the whole system locally (the default when no command is given)
                      token      mint a browser token (JWT) for a tenant
                      sessions   register and manage gateway sessions (add, list, rotate, credentials, connect, …)
                      status     why does a tenant receive nothing? sessions, browsers, last event, a verdict
                      tail       follow a tenant's events live, as a browser receives them
                      help       this help, or a command's: inbox-relay help sessions add

                    Every command takes -h/--help; tools print tables, --json prints JSON lines for scripts;
                    --verbose shows library logs. Exit codes: 0 ok, 1 failure, 2 usage error.

                    examples:
                      inbox-relay                                   # start the local stack
                      inbox-relay sessions add --tenant acme --provider waha
                      inbox-relay status --tenant acme
                      inbox-relay tail --tenant acme
                    """),
            Map.entry("run", """
                    usage: inbox-relay run [OPTIONS]

                    Runs the local stack (DynamoDB Local, HTTP API, WebSocket API, stream pollers, the SQS queues with an
                    SQS endpoint) on loopback, with the handlers and routes of template.yaml, and seeds a demo tenant whose
                    session sends through the gateway simulator, so a reply typed on the page goes out. Ctrl-C stops it.

                    options:
                      --http-port P            HTTP API port (default 3000)
                      --ws-port P              WebSocket API and @connections port (default 3001)
                      --dynamo-port P          DynamoDB Local port (default 8000)
                      --sqs-port P             SQS endpoint port (default 9324, a free one if taken): SQS_ENDPOINT
                      --persist DIR            keep DynamoDB's data in DIR (default: in memory)
                      --template FILE          another SAM template (default: the repository's template.yaml)
                      --idle-timeout SECONDS   WebSocket idle timeout (default 600, as AWS)
                      --max-connection SECONDS WebSocket connection cap (default 7200, as AWS)
                      --stack-file FILE        write the URLs, demo tenant and secrets as JSON once the stack is up
                      --no-simulator           leave out the gateway simulator (Evolution, WAHA, Meta, Inbox Hub APIs on
                                               loopback), which otherwise runs with the demo session's gateway
                                               credentials pointing at it as an Inbox Hub bridge
                      --simulator-port P       its port (default 3002, a free one if taken)
                      --no-simulator-auto-reply  no simulated lead answering each message sent through it
                      --simulator, --simulator-auto-reply   the defaults (accepted, as before they were)
                    """ + COMMON + """

                    examples:
                      inbox-relay run
                      inbox-relay run --persist .local-data/dynamodb --http-port 4000
                      inbox-relay run --no-simulator-auto-reply
                      inbox-relay run --no-simulator --sqs-port 9325
                    """),
            Map.entry("token", """
                    usage: inbox-relay token --tenant T [--user U] [--ttl SECONDS] [--json]

                    Mints an HS256 browser token with the local JWT secret (JWT_SECRET, else .local-data/jwt-secret),
                    which the running local stack accepts. Prints the token alone (or, with --json, an object).

                    options:
                      --tenant T          the tenant the token is for (required)
                      --user U            its user id (default local-user)
                      --ttl SECONDS       how long it is valid (default 3600)
                      --json              {"token":…,"tenant_id":…,"user_id":…,"expires_at":…}
                    """ + COMMON + """

                    examples:
                      inbox-relay token --tenant demo-tenant --user agent-1
                      wscat -c "ws://127.0.0.1:3001/prod?token=$(inbox-relay token --tenant demo-tenant)"
                    """),
            Map.entry("sessions", """
                    usage: inbox-relay sessions ACTION [OPTIONS]

                    Gateway sessions map a webhook URL (/webhooks/SESSION) to a tenant, a provider and a secret.

                    actions:
                      add       register a session (prints its secret, the only time it is shown)
                      list      the sessions and their webhook diagnostics (the default action)
                      rotate    a new secret; the previous one stays valid until the next rotation (or --revoke-previous)
                      disable   refuse its webhooks (404) until enabled
                      enable    accept its webhooks again
                      seal      seal the secrets of sessions stored in plain text before sealing existed
                      credentials  the gateway's base URL and API key or access token (sealed, never shown again)
                      connect   register the webhook URL and secret at the gateway, then prove the path
                      test      prove the path alone: a signed test event, stored?, browsers, round trip

                    They talk to the running local stack's DynamoDB Local; with --aws --table NAME --key-arn ARN to the
                    deployed registry. Output is a table; --json prints one JSON object a line (the admin API's Session).
                    See inbox-relay sessions ACTION --help.

                    examples:
                      inbox-relay sessions add --tenant acme --provider evolution
                      inbox-relay sessions list --tenant acme
                      inbox-relay sessions list --aws --table prod-SessionsTable-ABC123 --json
                    """),
            Map.entry("sessions add", """
                    usage: inbox-relay sessions add --tenant T [OPTIONS]

                    Registers a gateway session and prints its secret once: store it in the gateway's webhook settings.

                    options:
                      --tenant T          the tenant whose browsers see its messages (required)
                      --session S         its id, the last part of the webhook URL (default: generated s_…)
                      --provider P        inboxhub (default), evolution, waha or meta
                      --signature S       hmac-sha256, hmac-sha256-body, standard-webhooks, waha-hmac-sha512,
                                          meta-sha256, evolution-jwt, static-token (default: the provider's own)
                      --secret -          read the secret to use from standard input (first line) instead of generating one
                      --secret-env NAME   read it from the environment variable NAME
                      --secret X          the secret itself (warned: it lands in shell history); at least 32 bytes
                      --verify-token V    Meta's hub.verify_token (required for meta, except a number of a --meta-app)
                      --meta-app ID       Meta: the app this number belongs to; with --session meta-app-ID, the app's
                                          endpoint (one callback URL for every number of the app)
                      --allow-cidr LIST   source addresses allowed to post, comma-separated CIDRs (default: any)
                      --json              the session as JSON, with "secret"
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      inbox-relay sessions add --tenant acme --provider waha
                      inbox-relay sessions add --tenant acme --provider inboxhub --signature hmac-sha256-body
                      inbox-relay sessions add --tenant acme --provider meta --session 1234567890 --verify-token v3r1fy
                      printf '%s\\n' "$APP_SECRET" | inbox-relay sessions add --tenant ops --provider meta \\
                          --session meta-app-42 --meta-app 42 --secret - --verify-token v3r1fy
                      inbox-relay sessions add --tenant acme --provider meta --session 1234567890 --meta-app 42
                    """),
            Map.entry("sessions list", """
                    usage: inbox-relay sessions list [--tenant T] [OPTIONS]

                    The sessions (of one tenant, or all) with their webhook diagnostics; never their secrets.

                    options:
                      --tenant T          only this tenant's sessions
                      --json              one JSON object a line (the admin API's Session)
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      inbox-relay sessions list
                      inbox-relay sessions list --tenant acme --json | jq -r .session_id
                    """),
            Map.entry("sessions rotate", """
                    usage: inbox-relay sessions rotate --session S [--revoke-previous] [--secret -] [OPTIONS]

                    Gives the session a new secret, printed once; the previous secret stays valid until the next
                    rotation, so the gateway can be switched over without refused webhooks. With --revoke-previous
                    only the new secret is valid from now on: for a secret that leaked.

                    options:
                      --session S         the session (required)
                      --revoke-previous   drop every older secret at once (a leaked secret stops working now)
                      --secret -          read the new secret from standard input instead of generating one
                      --secret-env NAME   read it from the environment variable NAME
                      --secret X          the secret itself (warned: it lands in shell history); at least 32 bytes
                      --json              the session as JSON, with "secret"
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      inbox-relay sessions rotate --session s_123
                      inbox-relay sessions rotate --session s_123 --revoke-previous
                    """),
            Map.entry("sessions seal", """
                    usage: inbox-relay sessions seal [OPTIONS]

                    Seals the secrets of sessions registered before secrets were sealed at rest (KMS envelope
                    encryption; the local stack's own key locally), and removes their plain-text copies.

                    options:
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      inbox-relay sessions seal
                      inbox-relay sessions seal --aws --table prod-SessionsTable-ABC123 --key-arn arn:aws:kms:…
                    """),
            Map.entry("sessions credentials", """
                    usage: inbox-relay sessions credentials --session S --base-url URL (--api-key - | --api-key-env NAME) [OPTIONS]

                    Stores the session's gateway API connection: its base URL and its API key (Evolution apikey, WAHA
                    X-Api-Key, Inbox Hub X-API-Key) or Meta's access token, sealed like the webhook secrets. Listings show
                    only gateway: {base_url, has_credential: true}; the key is never printed or logged.

                    options:
                      --session S            the session (required)
                      --base-url URL         the gateway API's base URL: https, or http only to localhost/127.0.0.1 (the
                                             local simulator); Meta: leave out for the Graph API
                      --api-key -            read the key or token from standard input (first line)
                      --api-key-env NAME     read it from the environment variable NAME
                      --gateway-session N    the gateway's name for the session (Evolution instance, WAHA session, Inbox
                                             Hub id, Meta phone-number id; default: the session id)
                      --api-version V        Meta's Graph API version, e.g. v23.0 (default: the client's)
                      --json                 the session as JSON
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      printf '%s\\n' "$EVOLUTION_KEY" | inbox-relay sessions credentials --session evo-1 \\
                          --base-url https://evolution.example.com --api-key -
                      inbox-relay sessions credentials --session 1234567890 --api-key-env META_TOKEN --api-version v23.0
                    """),
            Map.entry("sessions connect", """
                    usage: inbox-relay sessions connect --session S --url PUBLIC_WEBHOOK_BASE [OPTIONS]

                    Registers PUBLIC_WEBHOOK_BASE/webhooks/S and the session's secret at its gateway with the stored
                    credentials (Evolution /webhook/set with jwt_key, so it signs evolution-jwt; WAHA's session config with
                    the HMAC key; Inbox Hub's PUT webhook), then proves the path: posts a signed session-connected event in
                    the provider's own format to that URL and reports stored or duplicate, how many of the tenant's browsers
                    are connected, and the round trip. Meta's API cannot register a webhook: the dashboard steps are printed.

                    Opens the session's secret and key: locally with the stack's own key; with --aws it needs kms:Decrypt on
                    the SessionSecretsKey (the admin role has none; POST /admin/sessions/S/connect runs with the one role that has).

                    options:
                      --session S              the session (required)
                      --url URL                the public webhook base, the stack's WebhookBaseUrl output (required)
                      --connections-table NAME with --aws: the ConnectionsTable's physical name (browsers are counted there)
                      --json                   the outcome as JSON
                    """ + DYNAMO_OPTIONS + COMMON + """

                    exit status: 0 registered and proved, 1 the gateway refused (its reason) or the test event was not
                    accepted (or Meta: do the printed steps), 2 usage

                    examples:
                      inbox-relay sessions connect --session evo-1 --url https://abc123.execute-api.us-east-1.amazonaws.com/prod
                    """),
            Map.entry("sessions test", """
                    usage: inbox-relay sessions test --session S --url PUBLIC_WEBHOOK_BASE [OPTIONS]

                    The proof of sessions connect alone: a signed session-connected event posted to
                    PUBLIC_WEBHOOK_BASE/webhooks/S; reports stored or duplicate (or the webhook's refusal), the tenant's
                    connected browsers and the round trip. Meta: use the Test button of the app dashboard's webhook fields.

                    options:
                      --session S              the session (required)
                      --url URL                the public webhook base (required)
                      --connections-table NAME with --aws: the ConnectionsTable's physical name
                      --json                   the outcome as JSON
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      inbox-relay sessions test --session evo-1 --url http://127.0.0.1:3000
                    """),
            Map.entry("sessions disable", """
                    usage: inbox-relay sessions disable --session S [OPTIONS]

                    Refuses the session's webhooks (404, nothing stored) until it is enabled again.

                    options:
                      --session S         the session (required)
                      --json              the session as JSON
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      inbox-relay sessions disable --session s_123
                    """),
            Map.entry("sessions enable", """
                    usage: inbox-relay sessions enable --session S [OPTIONS]

                    Accepts the session's webhooks again.

                    options:
                      --session S         the session (required)
                      --json              the session as JSON
                    """ + DYNAMO_OPTIONS + COMMON + """

                    examples:
                      inbox-relay sessions enable --session s_123
                    """),
            Map.entry("status", """
                    usage: inbox-relay status --tenant T [OPTIONS]

                    Why does a tenant's browser receive nothing? Shows every session feeding the tenant (provider,
                    enabled, state, last accepted webhook, last rejection and its reason), the browsers connected
                    now and their channels, the last event and when, the events given up on (resync_required,
                    delivery_failed) in the log's retention, and a verdict in words - the same verdict the
                    WebSocket status route answers.

                    options:
                      --tenant T                the tenant (required)
                      --json                    one JSON object
                      --dynamo-port P           the local stack's DynamoDB Local port (default 8000)
                      --aws                     the deployed stack, with your AWS credentials and region; then:
                      --sessions-table NAME     SessionsTable's physical name (--table works too)
                      --connections-table NAME  ConnectionsTable's physical name
                      --events-table NAME       EventsTable's physical name
                    """ + COMMON + """

                    verdicts: no session feeds this tenant / all sessions disabled / webhooks arrive but are
                    rejected: CODE / session S is disconnected from WhatsApp (state …) / session S has never sent
                    a webhook / session S last sent 3 days ago / no browser connected / ok: …

                    examples:
                      inbox-relay status --tenant acme
                      inbox-relay status --tenant acme --json | jq -r .verdict
                      inbox-relay status --tenant acme --aws --sessions-table T1 --connections-table T2 --events-table T3
                    """),
            Map.entry("tail", """
                    usage: inbox-relay tail --tenant T [OPTIONS]

                    Follows the tenant's events live through the WebSocket API, as a browser does: one line per
                    event. Pings keep the socket open; after a drop it reconnects and resumes from the last event
                    seen, so nothing is missed. Ctrl-C stops it (exit 0).

                    options:
                      --tenant T          the tenant (required unless --token)
                      --user U            the token's user id (default tail)
                      --url URL           the WebSocket API (default ws://127.0.0.1:3001/prod)
                      --token JWT         use this token (a deployed stack's) instead of minting one with the local secret
                      --channels LIST     messages,statuses,sessions (default: all)
                      --since WHEN        first replay what came after WHEN: a cursor, or 30s, 10m, 2h, 1d ago
                      --ping-seconds N    ping interval (default 60)
                      --json              each event as the raw JSON the browser receives
                    """ + COMMON + """

                    examples:
                      inbox-relay tail --tenant demo-tenant
                      inbox-relay tail --tenant acme --since 10m --json | jq .type
                      inbox-relay tail --url wss://abc.execute-api.eu-west-1.amazonaws.com/prod --token "$JWT"
                    """),
            Map.entry("help", """
                    usage: inbox-relay help [COMMAND [ACTION]]

                    examples:
                      inbox-relay help
                      inbox-relay help sessions add
                    """));

    private Help() {
    }

    static Optional<String> of(String command) {
        return Optional.ofNullable(TEXTS.get(command));
    }

    /** What to type to read a command's help. */
    static String hint(String command) {
        return command.isEmpty() ? PROGRAM + " --help" : PROGRAM + " " + command + " --help";
    }
}
