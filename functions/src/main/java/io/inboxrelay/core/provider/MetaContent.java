package io.inboxrelay.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageDetails.ContactCard;
import io.inboxrelay.core.MessageDetails.Interactive;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageDetails.Referral;
import io.inboxrelay.core.MessageDetails.SystemNotice;
import io.inboxrelay.core.MessageKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of a Cloud API message by its {@code type}, with its {@code context} (the message it replies
 * to, forwarded) and {@code referral} (a click-to-WhatsApp ad). A type this relay does not model is shown as
 * {@code unsupported}, never dropped.
 */
final class MetaContent {

    private MetaContent() {
    }

    static MessageContent read(JsonNode message, String type) {
        MessageContent content = kind(message, type == null ? "unknown" : type);
        if (content == null) {
            return null;
        }
        MessageDetails details = content.details();
        JsonNode context = Nodes.object(message, "context");
        String quotedId = Nodes.text(context, "id");
        if (quotedId != null) {
            details = details.withQuoted(new Quoted(quotedId, null));
        }
        if (Boolean.TRUE.equals(Nodes.bool(context, "forwarded")) || Boolean.TRUE.equals(Nodes.bool(context, "frequently_forwarded"))) {
            details = details.withForwarded(true);
        }
        JsonNode referral = Nodes.object(message, "referral");
        if (referral != null) {
            details = details.withReferral(new Referral(Nodes.text(referral, "source_type"), Nodes.text(referral, "source_id"),
                    Nodes.text(referral, "source_url"), Nodes.text(referral, "headline"), Nodes.text(referral, "body"),
                    Nodes.text(referral, "media_type"), Nodes.text(referral, "ctwa_clid")));
        }
        return content.with(details);
    }

    private static MessageContent kind(JsonNode message, String type) {
        JsonNode node = Nodes.object(message, type);
        return switch (type) {
            case "text" -> MessageContent.text(Nodes.text(node, "body"));
            case "image", "video", "audio", "document", "sticker" -> {
                String caption = Nodes.text(node, "caption");
                Media media = new Media(type, Nodes.text(node, "mime_type"), caption, Nodes.text(node, "url"),
                        Nodes.text(node, "filename"), Nodes.text(node, "id"), null);
                yield MessageContent.media(Boolean.TRUE.equals(Nodes.bool(node, "voice")) ? media.asVoice() : media, caption);
            }
            case "location" -> location(node);
            case "contacts" -> contacts(Nodes.array(message, "contacts"));
            case "button" -> interactive(new Interactive("template", Nodes.text(node, "payload"), Nodes.text(node, "text")));
            case "interactive" -> {
                JsonNode button = Nodes.object(node, "button_reply");
                JsonNode row = Nodes.object(node, "list_reply");
                JsonNode chosen = button != null ? button : row;
                yield chosen == null ? MessageContent.unsupported(null)
                        : interactive(new Interactive(button != null ? "button" : "list", Nodes.text(chosen, "id"),
                                Nodes.text(chosen, "title")));
            }
            case "system" -> {
                String body = Nodes.text(node, "body");
                String newWaId = BaileysMessages.firstText(Nodes.text(node, "new_wa_id"), Nodes.text(node, "wa_id"));
                SystemNotice notice = new SystemNotice(Nodes.text(node, "type"), body,
                        newWaId != null && newWaId.matches("[0-9]{6,15}") ? "+" + newWaId : newWaId);
                yield new MessageContent(MessageKind.SYSTEM, body, null, MessageDetails.NONE.withSystem(notice));
            }
            // A user opening the chat for the first time (a cue for a welcome message), not something they wrote.
            case "request_welcome" -> null;
            default -> MessageContent.unsupported(unsupportedText(message));
        };
    }

    private static MessageContent location(JsonNode node) {
        Double latitude = Nodes.decimal(node, "latitude");
        Double longitude = Nodes.decimal(node, "longitude");
        String name = Nodes.text(node, "name");
        String address = Nodes.text(node, "address");
        if (latitude == null || longitude == null) {
            return MessageContent.unsupported(MessageContent.placeText(name, address));
        }
        return new MessageContent(MessageKind.LOCATION, MessageContent.placeText(name, address), null,
                MessageDetails.location(new Location(latitude, longitude, name, address, Nodes.text(node, "url"), false)));
    }

    private static MessageContent contacts(List<JsonNode> shared) {
        List<ContactCard> cards = new ArrayList<>();
        for (JsonNode card : shared) {
            if (cards.size() >= VCards.MAX_CARDS) {
                break;
            }
            JsonNode name = Nodes.object(card, "name");
            String shown = BaileysMessages.firstText(Nodes.text(name, "formatted_name"), Nodes.text(name, "first_name"));
            List<String> phones = new ArrayList<>();
            boolean truncated = false;
            for (JsonNode phone : Nodes.array(card, "phones")) {
                String waId = Nodes.text(phone, "wa_id");
                String number = waId != null ? "+" + waId : Nodes.text(phone, "phone");
                if (number == null) {
                    continue;
                }
                if (phones.size() < VCards.MAX_PHONES) {
                    phones.add(VCards.cut(number));
                } else {
                    truncated = true;
                }
            }
            cards.add(new ContactCard(VCards.cut(shown), phones, truncated));
        }
        return new MessageContent(MessageKind.CONTACTS, MessageContent.namesText(cards), null,
                MessageDetails.NONE.withContacts(cards));
    }

    private static MessageContent interactive(Interactive interactive) {
        return new MessageContent(MessageKind.INTERACTIVE_REPLY, interactive.title(), null,
                MessageDetails.NONE.withInteractive(interactive));
    }

    /** Meta's {@code unsupported} message says why in {@code errors[0].title} (or {@code unsupported.type}). */
    private static String unsupportedText(JsonNode message) {
        List<JsonNode> errors = Nodes.array(message, "errors");
        String title = errors.isEmpty() ? null : BaileysMessages.firstText(Nodes.text(Nodes.object(errors.get(0), "error_data"),
                "details"), Nodes.text(errors.get(0), "title"));
        return title == null ? null : MessageKind.UNSUPPORTED.label() + ": " + BaileysContent.cut(title);
    }
}
