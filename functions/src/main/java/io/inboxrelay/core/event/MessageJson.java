package io.inboxrelay.core.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageDetails.ContactCard;

/**
 * The kind-specific fields of a message as clients see them (docs/MESSAGE-KINDS.md section 1), one
 * mapping for the pushed {@code new_message}, the stored {@code details} and the read API: a field that
 * does not apply is absent, never null.
 */
public final class MessageJson {

    private MessageJson() {
    }

    /** {@code location}, {@code contacts}, {@code interactive}, {@code system}, {@code quoted}, {@code referral}, {@code forwarded}. */
    public static ObjectNode details(MessageDetails details) {
        ObjectNode node = Json.object();
        if (details.location() != null) {
            MessageDetails.Location location = details.location();
            ObjectNode place = node.putObject("location");
            place.put("latitude", location.latitude());
            place.put("longitude", location.longitude());
            putIfPresent(place, "name", location.name());
            putIfPresent(place, "address", location.address());
            putIfPresent(place, "url", location.url());
            place.put("live", location.live());
        }
        if (details.contacts() != null) {
            ArrayNode cards = node.putArray("contacts");
            for (ContactCard card : details.contacts()) {
                ObjectNode shown = cards.addObject();
                putIfPresent(shown, "name", card.name());
                ArrayNode phones = shown.putArray("phones");
                card.phones().forEach(phones::add);
                if (card.truncated()) {
                    shown.put("vcard_truncated", true);
                }
            }
        }
        if (details.interactive() != null) {
            ObjectNode reply = node.putObject("interactive");
            putIfPresent(reply, "type", details.interactive().type());
            putIfPresent(reply, "id", details.interactive().id());
            putIfPresent(reply, "title", details.interactive().title());
        }
        if (details.system() != null) {
            ObjectNode system = node.putObject("system");
            putIfPresent(system, "type", details.system().type());
            putIfPresent(system, "body", details.system().body());
            putIfPresent(system, "new_phone", details.system().newPhone());
        }
        if (details.quoted() != null) {
            ObjectNode quoted = node.putObject("quoted");
            quoted.put("id", details.quoted().id());
            putIfPresent(quoted, "preview", details.quoted().preview());
        }
        if (details.referral() != null) {
            MessageDetails.Referral ad = details.referral();
            ObjectNode referral = node.putObject("referral");
            putIfPresent(referral, "source_type", ad.sourceType());
            putIfPresent(referral, "source_id", ad.sourceId());
            putIfPresent(referral, "source_url", ad.sourceUrl());
            putIfPresent(referral, "headline", ad.headline());
            putIfPresent(referral, "body", ad.body());
            putIfPresent(referral, "media_type", ad.mediaType());
            putIfPresent(referral, "ctwa_clid", ad.ctwaClid());
        }
        if (details.forwarded()) {
            node.put("forwarded", true);
        }
        return node;
    }

    /**
     * The media object: {@code type}, {@code mime_type}, …, {@code available}, {@code fetchable} (the media proxy can
     * locate it at the gateway), {@code size} when known, and {@code voice: true} for a voice note.
     *
     * @param providerMessageId the message's id at its gateway, or null
     */
    public static ObjectNode media(Media media, String providerMessageId) {
        ObjectNode node = Json.object();
        node.put("type", media.type());
        node.put("mime_type", media.mimeType());
        node.put("caption", Envelopes.cut(media.caption(), Envelopes.PUSHED_TEXT_CHARS));
        node.put("url", media.url());
        node.put("file_name", Envelopes.cut(media.fileName(), Envelopes.PUSHED_FIELD_CHARS));
        node.put("media_id", media.mediaId());
        if (media.sizeBytes() != null) {
            node.put("size_bytes", media.sizeBytes());
            node.put("size", media.sizeBytes());
        }
        node.put("available", media.available());
        node.put("fetchable", media.fetchable(providerMessageId));
        if (media.voice()) {
            node.put("voice", true);
        }
        return node;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, Envelopes.cut(value, Envelopes.PUSHED_FIELD_CHARS));
        }
    }
}
