package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.WebhookRequest;
import io.inboxrelay.core.ingest.WebhookResponse;
import io.inboxrelay.core.ingest.WebhookService;
import io.inboxrelay.observability.Metrics;
import io.inboxrelay.store.DynamoAliasStore;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.CachedSessionRegistry;
import io.inboxrelay.store.DynamoSessionRegistry;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code POST /webhooks/{sessionId}[/{event}]} and Meta's {@code GET} handshake. */
public class WebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);

    private final WebhookService service;
    private final Clock clock;

    public WebhookHandler() {
        this(Clients.dynamo(), Config.fromEnv(), Clock.systemUTC());
    }

    public WebhookHandler(DynamoDbClient dynamo, Config config, Clock clock) {
        this.service = new WebhookService(
                new CachedSessionRegistry(new DynamoSessionRegistry(dynamo, config.sessionsTable()), config.sessionCacheTtl(), clock),
                new DynamoInboxStore(dynamo, config, clock),
                new DynamoAliasStore(dynamo, config, clock));
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Instant received = clock.instant();
        WebhookRequest request = new WebhookRequest(
                HttpEvents.method(event),
                HttpEvents.pathParameter(event, "sessionId"),
                HttpEvents.pathParameter(event, "event"),
                event.getHeaders(),
                event.getQueryStringParameters(),
                HttpEvents.body(event),
                HttpEvents.sourceIp(event),
                received);
        Metrics metrics = new Metrics("webhook");
        MDC.put("sessionId", request.sessionId());
        try {
            WebhookResponse response = service.handle(request, metrics);
            LOG.info("webhook answered status={} outcome={} bytes={} tookMs={}", response.status(), response.outcome(),
                    request.body().length, clock.millis() - received.toEpochMilli());
            return HttpEvents.response(response.status(), response.contentType(), response.body());
        } catch (RuntimeException e) {
            // Our own failure (DynamoDB unreachable, throttled): 503 so the gateway retries later.
            metrics.count("WebhooksFailed");
            LOG.error("webhook could not be stored; the gateway will retry", e);
            return HttpEvents.response(503, "application/json",
                    "{\"error\":\"unavailable\",\"message\":\"the webhook could not be stored now; retry later\"}");
        } finally {
            metrics.flush();
            MDC.clear();
        }
    }
}
