package io.inboxrelay.core.provider;

import static io.inboxrelay.core.provider.Fixtures.only;
import static io.inboxrelay.core.provider.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.StatusUpdate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetaAdapterTest {

    private final MetaAdapter adapter = new MetaAdapter();

    @Test
    void a_text_message_has_the_wa_id_as_contact_and_the_profile_name() {
        ParsedWebhook parsed = parse(adapter, "messages-text.json");
        InboundMessage message = only(parsed, InboundMessage.class);
        assertThat(parsed.eventName()).isEqualTo("messages");
        assertThat(message.messageId()).isEqualTo("wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgUM0VCMEI2QzE5QjVGNTg0MzYwQjcA");
        assertThat(message.direction()).isEqualTo(Direction.LEAD);
        assertThat(message.conversationId()).isEqualTo("573001234567");
        assertThat(message.contact()).isEqualTo(new Party("573001234567", "+573001234567", "573001234567", "Juan Pérez"));
        assertThat(message.text()).isEqualTo("Hola, quiero información del plan");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-02T14:05:11Z"));
        assertThat(message.group()).isFalse();
    }

    @Test
    void an_image_carries_its_media_id_mime_type_and_caption() {
        InboundMessage message = only(parse(adapter, "messages-image.json"), InboundMessage.class);
        assertThat(message.media()).isEqualTo(new Media("image", "image/jpeg", "Mi factura", null, null, "1479537139650973", null));
        assertThat(message.text()).isEqualTo("Mi factura");
    }

    @Test
    void several_messages_in_one_delivery_each_get_their_own_contact_and_a_reaction_changes_its_target() {
        ParsedWebhook parsed = parse(adapter, "messages-batch-two-users.json");
        assertThat(parsed.events()).hasSize(3);
        MessageChange reaction = (MessageChange) parsed.events().get(2);
        assertThat(reaction.type()).isEqualTo(MessageChange.ChangeType.REACTION);
        assertThat(reaction.targetMessageId()).isEqualTo("wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFDNFQjAyQkJCQkJCQkJCQkJCQkJCAA==");
        assertThat(reaction.changeId()).isEqualTo("wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYFDNFQjAzQ0NDQ0NDQ0NDQ0NDQ0NDAA==");
        assertThat(reaction.emoji()).isEqualTo("👍");
        assertThat(reaction.actor()).isEqualTo(Direction.LEAD);
        assertThat(reaction.conversationId()).isEqualTo("525512345678");
        InboundMessage first = (InboundMessage) parsed.events().get(0);
        InboundMessage second = (InboundMessage) parsed.events().get(1);
        assertThat(first.contact().name()).isEqualTo("Juan Pérez");
        assertThat(first.text()).isEqualTo("¿Siguen abiertos?");
        assertThat(second.contact().name()).isEqualTo("Mariana Ruiz");
        assertThat(second.contact().contactId()).isEqualTo("525512345678");
        assertThat(second.contact().originalId()).isEqualTo("5215512345678");
        assertThat(second.media().type()).isEqualTo("document");
        assertThat(second.media().fileName()).isEqualTo("cotizacion.pdf");
    }

    @Test
    void delivered_and_read_statuses_name_the_recipient_conversation() {
        StatusUpdate delivered = only(parse(adapter, "statuses-delivered.json"), StatusUpdate.class);
        assertThat(delivered).isEqualTo(new StatusUpdate("wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSQUJDREVGMDEyMzQ1Njc4OQA=", "573001234567",
                MessageStatus.DELIVERED, null, Instant.parse("2026-03-02T14:08:20Z")));
        StatusUpdate read = only(parse(adapter, "statuses-read.json"), StatusUpdate.class);
        assertThat(read.status()).isEqualTo(MessageStatus.READ);
        assertThat(read.messageId()).isEqualTo(delivered.messageId());
    }

    @Test
    void a_failed_status_keeps_the_error_code_and_title_as_reason() {
        ParsedWebhook parsed = parse(adapter, "statuses-failed.json");
        StatusUpdate failed = only(parsed, StatusUpdate.class);
        assertThat(parsed.eventName()).isEqualTo("statuses");
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(failed.reason()).isEqualTo("131047 Re-engagement message");
    }

    @Test
    void a_user_known_only_by_business_scoped_id_has_no_phone() {
        InboundMessage message = only(parse(adapter, "messages-user-id-only.json"), InboundMessage.class);
        assertThat(message.contact()).isEqualTo(new Party("user:US.13491208655302741918", null, "US.13491208655302741918", "River"));
        assertThat(message.conversationId()).isEqualTo("user:US.13491208655302741918");
    }

    @Test
    void other_fields_are_ignored_with_their_name() {
        ParsedWebhook parsed = parse(adapter, "template-status-update.json");
        assertThat(parsed.isIgnored()).isTrue();
        assertThat(parsed.eventName()).isEqualTo("message_template_status_update");
    }

    @Test
    void another_object_is_ignored_and_a_body_without_object_or_entry_is_malformed() {
        assertThat(adapter.parse(Fixtures.request(), Json.parse("{\"object\":\"page\",\"entry\":[]}")).isIgnored()).isTrue();
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"entry\":[]}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("object");
        assertThatThrownBy(() -> adapter.parse(Fixtures.request(), Json.parse("{\"object\":\"whatsapp_business_account\"}")))
                .isInstanceOf(MalformedWebhookException.class).hasMessageContaining("entry");
    }
}
