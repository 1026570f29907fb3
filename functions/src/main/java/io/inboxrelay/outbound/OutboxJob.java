package io.inboxrelay.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One job in the outbox (an SQS FIFO queue): send a stored reply, or tell the lead's phone their messages were read.
 * Jobs of one conversation share a message group, so they run in order, one at a time; conversations run in parallel.
 */
public sealed interface OutboxJob permits OutboxJob.Send, OutboxJob.Read {

    /** SQS's limit for a message group id and a deduplication id. */
    int MAX_ID = 128;

    String tenantId();

    String sessionId();

    String conversationId();

    /** The FIFO message group: one per conversation. */
    default String groupId() {
        return bounded("", tenantId() + "#" + conversationId());
    }

    /** Within SQS's five-minute window, the same job enqueued twice is delivered once. */
    String deduplicationId();

    String toJson();

    /** @param messageId the stored reply, {@code out-<clientId>} */
    record Send(String tenantId, String sessionId, String conversationId, String messageId) implements OutboxJob {

        @Override
        public String deduplicationId() {
            return bounded("send:", messageId);
        }

        @Override
        public String toJson() {
            return Json.write(header("send", this).put("message_id", messageId));
        }
    }

    /**
     * @param chat       the lead's address at the gateway
     * @param messageIds the gateway's ids of the lead's messages that were unread, newest first
     */
    record Read(String tenantId, String sessionId, String conversationId, String chat, List<String> messageIds) implements OutboxJob {

        public Read {
            messageIds = List.copyOf(messageIds);
            if (messageIds.isEmpty()) {
                throw new IllegalArgumentException("a read job names at least one message");
            }
        }

        @Override
        public String deduplicationId() {
            return bounded("read:", conversationId + ":" + messageIds.get(0));
        }

        @Override
        public String toJson() {
            ObjectNode body = header("read", this).put("chat", chat);
            messageIds.forEach(body.putArray("message_ids")::add);
            return Json.write(body);
        }
    }

    /** @throws IllegalArgumentException for a body that is not a job of this version */
    static OutboxJob parse(String body) {
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || node.path("v").asInt() != 1) {
            throw new IllegalArgumentException("not an outbox job of version 1");
        }
        String tenant = required(node, "tenant_id");
        String session = required(node, "session_id");
        String conversation = required(node, "conversation_id");
        return switch (node.path("kind").asText()) {
            case "send" -> new Send(tenant, session, conversation, required(node, "message_id"));
            case "read" -> {
                List<String> ids = new ArrayList<>();
                node.path("message_ids").forEach(id -> ids.add(id.asText()));
                yield new Read(tenant, session, conversation, required(node, "chat"), ids);
            }
            default -> throw new IllegalArgumentException("unknown job kind '" + node.path("kind").asText() + "'");
        };
    }

    private static ObjectNode header(String kind, OutboxJob job) {
        return Json.object().put("v", 1).put("kind", kind).put("tenant_id", job.tenantId()).put("session_id", job.sessionId())
                .put("conversation_id", job.conversationId());
    }

    private static String required(JsonNode node, String field) {
        String value = node.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the job has no " + field);
        }
        return value;
    }

    /** The id as it is when SQS accepts it (printable ASCII, at most 128 characters), else its prefix and SHA-256. */
    private static String bounded(String prefix, String id) {
        String whole = prefix + id;
        if (whole.length() <= MAX_ID && whole.chars().allMatch(c -> c > 32 && c < 127)) {
            return whole;
        }
        try {
            return prefix + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
