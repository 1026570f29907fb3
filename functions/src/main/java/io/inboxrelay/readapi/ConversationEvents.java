package io.inboxrelay.readapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import java.security.SecureRandom;
import java.time.Instant;

/** The {@code conversation_updated} envelope a mark-read pushes, and the cursor it is stored under. */
public final class ConversationEvents {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConversationEvents() {
    }

    /** {@code {epochMillis:013}-{random:10}}: lexicographic order is time order. */
    public static String nextCursor(Instant now) {
        StringBuilder cursor = new StringBuilder(24).append(String.format("%013d", now.toEpochMilli())).append('-');
        for (int i = 0; i < 10; i++) {
            cursor.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return cursor.toString();
    }

    public static String updated(String tenantId, String cursor, Conversation conversation) {
        ObjectNode body = Json.object();
        body.put("type", "conversation_updated");
        body.put("id", cursor);
        body.put("tenant_id", tenantId);
        ReadApiJson.putConversation(body, conversation);
        return Json.write(body);
    }
}
