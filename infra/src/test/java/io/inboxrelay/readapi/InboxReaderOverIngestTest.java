package io.inboxrelay.readapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Media;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.InboxReader;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reader reads exactly what the webhook path writes: no second idea of the item shapes. */
class InboxReaderOverIngestTest {

    private static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");

    private static LocalDynamo dynamo;
    private static DynamoInboxStore store;
    private static InboxReader reader;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        Config config = Config.from(dynamo.environment());
        store = new DynamoInboxStore(dynamo.client(), config, Clock.systemUTC());
        reader = new InboxReader(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void stored_messages_are_listed_with_their_conversation_unread_count_and_last_message() {
        Session session = session();
        Party ana = new Party("573001112233", "+573001112233", "573001112233@s.whatsapp.net", "Ana Gómez");
        store.storeMessage(session, message("m1", Direction.LEAD, ana, "Hola", null, T0));
        store.storeMessage(session, message("m2", Direction.AGENT, ana, "¡Hola Ana! ¿En qué te ayudo?", null, T0.plusSeconds(5)));
        store.storeMessage(session, message("m3", Direction.LEAD, ana, null,
                new Media("image", "image/jpeg", "la factura", "https://media.example.test/1.jpg", null, null, 2048L), T0.plusSeconds(9)));

        List<ConversationState> conversations = reader.conversations(session.tenantId(), 10, null).items();

        assertThat(conversations).hasSize(1);
        ConversationState conversation = conversations.get(0);
        assertThat(conversation.name()).isEqualTo("Ana Gómez");
        assertThat(conversation.phone()).isEqualTo("+573001112233");
        assertThat(conversation.unreadCount()).isEqualTo(2);
        assertThat(conversation.lastMessageId()).isEqualTo("m3");
        assertThat(conversation.lastMessageAt()).isEqualTo(T0.plusSeconds(9));

        List<Message> messages = reader.messages(session.tenantId(), conversation.conversationId(), 10, null).items();
        assertThat(messages).extracting(Message::id).containsExactly("m3", "m2", "m1");
        assertThat(messages.get(1).sender()).isEqualTo("agent");
        assertThat(messages.get(1).content()).isEqualTo("¡Hola Ana! ¿En qué te ayudo?");
        assertThat(messages.get(2).timestamp()).isEqualTo(T0);
        assertThat(messages.get(0).media()).containsEntry("caption", "la factura");
    }

    @Test
    void mark_read_after_ingest_continues_the_writers_version_and_a_later_message_counts_from_zero() {
        Session session = session();
        Party bruno = new Party("573001114455", "+573001114455", null, "Bruno");
        store.storeMessage(session, message("b1", Direction.LEAD, bruno, "uno", null, T0));
        store.storeMessage(session, message("b2", Direction.LEAD, bruno, "dos", null, T0.plusSeconds(1)));
        long versionBefore = reader.conversation(session.tenantId(), "573001114455").orElseThrow().version();

        ConversationState read = reader.markRead(session.tenantId(), "573001114455").orElseThrow();
        store.storeMessage(session, message("b3", Direction.LEAD, bruno, "tres", null, T0.plusSeconds(2)));

        assertThat(read.unreadCount()).isZero();
        assertThat(read.version()).isEqualTo(versionBefore + 1);
        ConversationState after = reader.conversation(session.tenantId(), "573001114455").orElseThrow();
        assertThat(after.unreadCount()).isEqualTo(1);
        assertThat(after.version()).isEqualTo(versionBefore + 2);
    }

    private static Session session() {
        return new Session("s-" + UUID.randomUUID(), "tenant-" + UUID.randomUUID(), Provider.INBOX_HUB, SignatureKind.HMAC_SHA256,
                List.of("secret"), null, List.of(), true, T0, null, null, null);
    }

    private static InboundMessage message(String id, Direction direction, Party contact, String text, Media media, Instant at) {
        return new InboundMessage(id, id, direction, contact.contactId(), false, contact, text, media, at, MessageStatus.DELIVERED);
    }
}
