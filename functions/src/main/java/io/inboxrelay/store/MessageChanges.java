package io.inboxrelay.store;

import io.inboxrelay.core.MessageChange;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a change writes on its target message item (docs/MESSAGE-KINDS.md section 2): a reaction per
 * side ({@code reactionLead}/{@code reactionAgent}, removed with the emoji), an edit's text with
 * {@code edited}/{@code editedAt}, a deletion's {@code deleted}/{@code deletedAt} (the text is kept).
 */
final class MessageChanges {

    private MessageChanges() {
    }

    static Update targetUpdate(String table, Map<String, AttributeValue> key, String tenant, MessageChange change) {
        Update write = new Update(table, key)
                .set("tenantId", tenant)
                .set(MessageItems.MESSAGE_ID, change.targetMessageId());
        long at = change.timestamp().toEpochMilli();
        switch (change.type()) {
            case REACTION -> {
                String attribute = MessageItems.reactionAttribute(change.actor());
                if (change.emoji() == null) {
                    write.remove(attribute);
                } else {
                    write.set(attribute, change.emoji());
                }
            }
            case EDIT -> {
                if (change.newText() != null) {
                    write.set(MessageItems.TEXT, change.newText());
                }
                write.set(MessageItems.EDITED, Attrs.bool(true)).set(MessageItems.EDITED_AT, at);
            }
            case DELETE -> write.set(MessageItems.DELETED, Attrs.bool(true)).set(MessageItems.DELETED_AT, at);
            default -> throw new IllegalArgumentException("unknown change " + change.type());
        }
        return write;
    }
}
