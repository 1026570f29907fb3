package io.inboxrelay.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Config;
import io.inboxrelay.config.SendConfig;
import io.inboxrelay.core.auth.AuthException;
import io.inboxrelay.outbound.OutboxJob;
import io.inboxrelay.outbound.ReadReceipts;
import io.inboxrelay.outbound.SqsOutbox;
import io.inboxrelay.store.OutboundStore;
import io.inboxrelay.core.auth.HmacSecrets;
import io.inboxrelay.core.auth.Identity;
import io.inboxrelay.core.auth.TokenVerifier;
import io.inboxrelay.readapi.BadRequestException;
import io.inboxrelay.readapi.HttpResponses;
import io.inboxrelay.readapi.ReadApiJson;
import io.inboxrelay.readapi.ReadApiRequest;
import io.inboxrelay.store.InboxReader;
import io.inboxrelay.core.event.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The inbox page's REST read API: {@code GET /api/conversations}, {@code GET
 * /api/conversations/{id}/messages}, {@code POST /api/conversations/{id}/read}. The tenant always
 * comes from the bearer token, never from the request.
 */
public class ReadApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(ReadApiHandler.class);

    private final InboxReader reader;
    private final TokenVerifier verifier;
    private final ReadReceipts receipts;

    public ReadApiHandler() {
        this(Clients.dynamo(), Config.fromEnv(), SendConfig.fromEnv());
    }

    private ReadApiHandler(DynamoDbClient dynamo, Config config, SendConfig send) {
        this(new InboxReader(dynamo, config, Clock.systemUTC()), TokenVerifiers.from(config),
                send.outboxQueueUrl() == null ? null : new ReadReceipts(
                        new OutboundStore(dynamo, config, Clock.systemUTC()), new SqsOutbox(Clients.sqs(), send.outboxQueueUrl())));
    }

    public ReadApiHandler(InboxReader reader, TokenVerifier verifier) {
        this(reader, verifier, null);
    }

    /** @param receipts read receipts to the lead on mark-read, or null for none */
    public ReadApiHandler(InboxReader reader, TokenVerifier verifier, ReadReceipts receipts) {
        this.reader = reader;
        this.verifier = verifier;
        this.receipts = receipts;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : null;
        ReadApiRequest request = ReadApiRequest.of(method, event.getRawPath(), event.getPathParameters());
        try {
            return switch (request.operation()) {
                case PREFLIGHT -> HttpResponses.preflight();
                case NOT_FOUND -> HttpResponses.error(404, "not_found", "no such route");
                case METHOD_NOT_ALLOWED -> HttpResponses.error(405, "method_not_allowed", "method not allowed on this path");
                default -> serve(request, authenticate(event.getHeaders()), event.getQueryStringParameters());
            };
        } catch (AuthException e) {
            return HttpResponses.error(401, "unauthorized", e.getMessage());
        } catch (BadRequestException e) {
            return HttpResponses.error(400, "bad_request", e.getMessage());
        } catch (HmacSecrets.KeysUnavailableException e) {
            // Not the caller's fault, and its token may be fine: not a 401 that would send it to log in again.
            LOG.error("token keys unavailable error={}", e.getMessage());
            return HttpResponses.error(503, "unavailable", "token keys unavailable; retry shortly");
        }
    }

    private APIGatewayV2HTTPResponse serve(ReadApiRequest request, Identity identity, Map<String, String> query) {
        String tenantId = identity.tenantId();
        return switch (request.operation()) {
            case LIST_CONVERSATIONS -> {
                // Taken before the read, so every event the read may have missed comes after it.
                String position = Cursors.floor(Instant.now());
                yield HttpResponses.json(200, ReadApiJson.conversations(
                        reader.conversations(tenantId, ReadApiRequest.limit(query, 50, 100), ReadApiRequest.cursor(query, "cursor")), position));
            }
            case LIST_MESSAGES -> {
                int limit = ReadApiRequest.limit(query, 50, 100);
                String before = ReadApiRequest.cursor(query, "before");
                if (reader.conversation(tenantId, request.conversationId()).isEmpty()) {
                    yield unknownConversation();
                }
                yield HttpResponses.json(200, ReadApiJson.messages(request.conversationId(),
                        reader.messages(tenantId, request.conversationId(), limit, before)));
            }
            case MARK_READ -> {
                // Taken before the mark-read clears the unread count it is measured by.
                Optional<OutboxJob.Read> receipt = receipts == null ? Optional.empty() : receipts.pending(tenantId, request.conversationId());
                yield reader.markRead(tenantId, request.conversationId())
                        .map(conversation -> {
                            LOG.info("conversation marked read: tenantId={} conversationId={} version={}",
                                    tenantId, conversation.conversationId(), conversation.version());
                            receipt.ifPresent(receipts::send);
                            return HttpResponses.json(200, ReadApiJson.conversation(conversation));
                        })
                        .orElseGet(ReadApiHandler::unknownConversation);
            }
            default -> throw new IllegalStateException("unrouted operation " + request.operation());
        };
    }

    // Another tenant's conversation answers exactly like a missing one: its existence is not revealed.
    private static APIGatewayV2HTTPResponse unknownConversation() {
        return HttpResponses.error(404, "conversation_not_found", "no such conversation");
    }

    private Identity authenticate(Map<String, String> headers) {
        return BearerTokens.verify(verifier, headers);
    }
}
