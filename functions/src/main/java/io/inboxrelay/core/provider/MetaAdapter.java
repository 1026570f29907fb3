package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.GatewayEvent;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.StatusUpdate;
import io.inboxrelay.core.WebhookRequest;
import io.inboxrelay.core.phone.Parties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Meta WhatsApp Cloud API: {@code entry[].changes[]} with {@code field: messages}, each value holding
 * several {@code messages} and/or {@code statuses}. A user may carry only a business-scoped
 * {@code user_id} and no phone number. Fields and message types this relay does not show are ignored.
 */
public final class MetaAdapter implements ProviderAdapter {

    /** Coexistence: what the business sends from the WhatsApp Business app. */
    private static final String SMB_MESSAGE_ECHOES = "smb_message_echoes";

    static final String WHATSAPP_OBJECT = "whatsapp_business_account";

    @Override
    public Provider provider() {
        return Provider.META;
    }

    @Override
    public ParsedWebhook parse(WebhookRequest request, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new MalformedWebhookException("expected a JSON object");
        }
        String object = Nodes.text(body, "object");
        if (object == null) {
            throw new MalformedWebhookException("missing `object`");
        }
        if (!WHATSAPP_OBJECT.equals(object)) {
            return ParsedWebhook.ignored(object);
        }
        JsonNode entries = Nodes.field(body, "entry");
        if (entries == null || !entries.isArray()) {
            throw new MalformedWebhookException("missing `entry` array");
        }
        Instant received = ReceivedTime.of(request);
        Set<String> kinds = new LinkedHashSet<>();
        List<GatewayEvent> events = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        for (JsonNode entry : entries) {
            for (JsonNode change : Nodes.array(entry, "changes")) {
                String field = Nodes.text(change, "field");
                JsonNode value = Nodes.object(change, "value");
                // One Meta app posts every number's changes to one callback: the number is in the payload.
                String phoneNumberId = Nodes.text(Nodes.object(value, "metadata"), "phone_number_id");
                if (SMB_MESSAGE_ECHOES.equals(field) && value != null) {
                    kinds.add(SMB_MESSAGE_ECHOES);
                    for (JsonNode echo : Nodes.array(value, "message_echoes")) {
                        echo(echo, received).ifPresent(event -> {
                            events.add(event);
                            routes.add(phoneNumberId);
                        });
                    }
                    continue;
                }
                if (!"messages".equals(field) || value == null) {
                    kinds.add(field == null ? "unknown" : field);
                    continue;
                }
                List<JsonNode> contacts = Nodes.array(value, "contacts");
                for (JsonNode message : Nodes.array(value, "messages")) {
                    kinds.add("messages");
                    message(message, contacts, received).ifPresent(event -> {
                        events.add(event);
                        routes.add(phoneNumberId);
                    });
                }
                for (JsonNode status : Nodes.array(value, "statuses")) {
                    kinds.add("statuses");
                    status(status, received).ifPresent(event -> {
                        events.add(event);
                        routes.add(phoneNumberId);
                    });
                }
            }
        }
        return new ParsedWebhook(kinds.isEmpty() ? WHATSAPP_OBJECT : String.join(",", kinds), events, routes);
    }

    private static Optional<GatewayEvent> message(JsonNode message, List<JsonNode> contacts, Instant received) {
        String id = Nodes.text(message, "id");
        if (id == null) {
            throw new MalformedWebhookException("a message has no `id`");
        }
        String from = Nodes.text(message, "from");
        String fromUserId = Nodes.text(message, "from_user_id");
        JsonNode contact = contactFor(contacts, from, fromUserId);
        String name = Nodes.text(Nodes.object(contact, "profile"), "name");
        String userId = BaileysMessages.firstText(fromUserId, Nodes.text(contact, "user_id"));
        Party party = Parties.fromPhone(from, userId, name);
        if (party == null) {
            party = Parties.businessUser(userId, name);
        }
        if (party == null) {
            throw new MalformedWebhookException("message " + id + " has neither `from` nor `from_user_id`");
        }
        Instant timestamp = Nodes.instant(Nodes.field(message, "timestamp"));
        if (timestamp == null) {
            timestamp = received;
        }
        String type = Nodes.text(message, "type");
        if ("reaction".equals(type)) {
            JsonNode reaction = Nodes.object(message, "reaction");
            String target = Nodes.text(reaction, "message_id");
            return target == null ? Optional.empty() : Optional.of(MessageChange.reaction(id, target, party.contactId(),
                    Direction.LEAD, Nodes.text(reaction, "emoji"), timestamp));
        }
        MessageContent content = MetaContent.read(message, type);
        if (content == null) {
            return Optional.empty();
        }
        return Optional.of(new InboundMessage(id, id, Direction.LEAD, party.contactId(), false, party,
                content.text(), content.media(), timestamp, MessageStatus.DELIVERED, content.kind(), content.details()));
    }

    /**
     * {@code smb_message_echoes} (coexistence): a message the business sent from the WhatsApp Business app or a linked
     * device, {@code from} the business to the user in {@code to} (also {@code to_user_id}); {@code type: "revoke"}
     * ({@code revoke.original_message_id}) and {@code type: "edit"} ({@code edit.original_message_id}, {@code
     * edit.message}) change an earlier one.
     */
    private static Optional<GatewayEvent> echo(JsonNode echo, Instant received) {
        String id = Nodes.text(echo, "id");
        if (id == null) {
            throw new MalformedWebhookException("a message echo has no `id`");
        }
        String userId = Nodes.text(echo, "to_user_id");
        Party party = Parties.fromPhone(Nodes.text(echo, "to"), userId, null);
        if (party == null) {
            party = Parties.businessUser(userId, null);
        }
        if (party == null) {
            throw new MalformedWebhookException("message echo " + id + " has neither `to` nor `to_user_id`");
        }
        Instant timestamp = Nodes.instant(Nodes.field(echo, "timestamp"));
        if (timestamp == null) {
            timestamp = received;
        }
        String type = Nodes.text(echo, "type");
        if ("revoke".equals(type)) {
            String target = Nodes.text(Nodes.object(echo, "revoke"), "original_message_id");
            return target == null ? Optional.empty()
                    : Optional.of(MessageChange.delete(target, party.contactId(), Direction.AGENT, timestamp));
        }
        if ("edit".equals(type)) {
            JsonNode edit = Nodes.object(echo, "edit");
            String target = Nodes.text(edit, "original_message_id");
            JsonNode edited = Nodes.object(edit, "message");
            MessageContent content = edited == null ? null : MetaContent.read(edited, Nodes.text(edited, "type"));
            return target == null || content == null || content.text() == null ? Optional.empty()
                    : Optional.of(MessageChange.edit(target, party.contactId(), Direction.AGENT, content.text(), timestamp));
        }
        MessageContent content = MetaContent.read(echo, type);
        if (content == null) {
            return Optional.empty();
        }
        return Optional.of(new InboundMessage(id, id, Direction.AGENT, party.contactId(), false, party,
                content.text(), content.media(), timestamp, MessageStatus.SENT, content.kind(), content.details()));
    }

    private static Optional<GatewayEvent> status(JsonNode status, Instant received) {
        String id = Nodes.text(status, "id");
        if (id == null) {
            throw new MalformedWebhookException("a status has no `id`");
        }
        String name = Nodes.text(status, "status");
        MessageStatus canonical = name == null ? null : switch (name) {
            case "sent" -> MessageStatus.SENT;
            case "delivered" -> MessageStatus.DELIVERED;
            case "read" -> MessageStatus.READ;
            case "played" -> MessageStatus.PLAYED;
            case "failed" -> MessageStatus.FAILED;
            default -> null;
        };
        if (canonical == null) {
            return Optional.empty();
        }
        Party recipient = Parties.fromPhone(Nodes.text(status, "recipient_id"), null);
        if (recipient == null) {
            recipient = Parties.businessUser(Nodes.text(status, "recipient_user_id"), null);
        }
        String reason = canonical == MessageStatus.FAILED ? errorReason(status) : null;
        Instant timestamp = Nodes.instant(Nodes.field(status, "timestamp"));
        return Optional.of(new StatusUpdate(id, recipient == null ? null : recipient.contactId(), canonical, reason,
                timestamp != null ? timestamp : received));
    }

    private static String errorReason(JsonNode status) {
        List<JsonNode> errors = Nodes.array(status, "errors");
        if (errors.isEmpty()) {
            return null;
        }
        String code = Nodes.text(errors.get(0), "code");
        String title = BaileysMessages.firstText(Nodes.text(errors.get(0), "title"), Nodes.text(errors.get(0), "message"));
        String reason = ((code == null ? "" : code) + " " + (title == null ? "" : title)).trim();
        return reason.isEmpty() ? null : reason;
    }

    private static JsonNode contactFor(List<JsonNode> contacts, String waId, String userId) {
        for (JsonNode contact : contacts) {
            String contactWaId = Nodes.text(contact, "wa_id");
            String contactUserId = Nodes.text(contact, "user_id");
            if (waId != null && waId.equals(contactWaId) || userId != null && userId.equals(contactUserId)) {
                return contact;
            }
        }
        // A delivery from one user lists one contact, sometimes without the id the message carries.
        return contacts.size() == 1 ? contacts.get(0) : null;
    }
}
