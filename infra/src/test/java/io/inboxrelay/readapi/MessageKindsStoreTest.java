package io.inboxrelay.readapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.MessageChange;
import io.inboxrelay.core.MessageDetails;
import io.inboxrelay.core.MessageDetails.Location;
import io.inboxrelay.core.MessageDetails.Quoted;
import io.inboxrelay.core.MessageKind;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.event.Envelopes.ConversationState;
import io.inboxrelay.core.ingest.InboxStore.StoreOutcome;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.EventItems;
import io.inboxrelay.store.InboxReader;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Kinds and changes as DynamoDB holds them and the read API returns them (docs/MESSAGE-KINDS.md). */
class MessageKindsStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static final Party MARIA = new Party("5511987654321", "+5511987654321", "5511987654321@s.whatsapp.net", "Maria Souza");

    private static LocalDynamo dynamo;
    private static Config config;
    private static DynamoInboxStore store;
    private static InboxReader reader;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = Config.from(dynamo.environment());
        store = new DynamoInboxStore(dynamo.client(), config, Clock.systemUTC());
        reader = new InboxReader(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void a_location_reply_is_stored_with_its_kind_and_details_and_listed_as_the_read_api_shows_it() {
        Session session = session();
        MessageDetails details = MessageDetails.location(new Location(-23.5505199, -46.6333094, "Praça da Sé", null, null, false))
                .withQuoted(new Quoted("BAE5", "Quer agendar?"));
        store.storeMessage(session, message("L1", "Praça da Sé", MessageKind.LOCATION, details, T0));

        JsonNode listed = readApi(session, 0);
        assertThat(listed.path("kind").asText()).isEqualTo("location");
        assertThat(listed.path("content").asText()).isEqualTo("Praça da Sé");
        assertThat(listed.path("location").path("latitude").asDouble()).isEqualTo(-23.5505199);
        assertThat(listed.path("location").path("live").asBoolean()).isFalse();
        assertThat(listed.path("quoted").path("id").asText()).isEqualTo("BAE5");
        assertThat(listed.has("reactions")).isFalse();
        assertThat(conversation(session).lastMessageText()).isEqualTo("📍 Location: Praça da Sé");
    }

    @Test
    void a_redelivered_reaction_is_applied_once_and_never_moves_unread_or_the_preview() {
        Session session = session();
        store.storeMessage(session, message("M1", "Olá", MessageKind.TEXT, null, T0));
        ConversationState before = conversation(session);
        MessageChange reaction = MessageChange.reaction("R1", "M1", MARIA.contactId(), Direction.AGENT, "👍", T0.plusSeconds(5));

        assertThat(store.storeChange(session, reaction)).isEqualTo(StoreOutcome.STORED);
        assertThat(store.storeChange(session, reaction)).isEqualTo(StoreOutcome.DUPLICATE);

        JsonNode listed = readApi(session, 0);
        assertThat(listed.path("reactions").path("agent").asText()).isEqualTo("👍");
        assertThat(eventTypes(session)).containsExactly("new_message", "conversation_updated", "message_updated");
        ConversationState after = conversation(session);
        assertThat(after.unreadCount()).isEqualTo(before.unreadCount());
        assertThat(after.lastMessageText()).isEqualTo("Olá");
        assertThat(after.version()).isEqualTo(before.version());
    }

    @Test
    void a_removed_reaction_drops_the_senders_emoji_and_keeps_the_other_sides() {
        Session session = session();
        store.storeMessage(session, message("M2", "Olá", MessageKind.TEXT, null, T0));
        store.storeChange(session, MessageChange.reaction("R2", "M2", null, Direction.LEAD, "❤️", T0.plusSeconds(1)));
        store.storeChange(session, MessageChange.reaction("R3", "M2", null, Direction.AGENT, "👍", T0.plusSeconds(2)));
        store.storeChange(session, MessageChange.reaction("R4", "M2", null, Direction.LEAD, null, T0.plusSeconds(3)));

        JsonNode reactions = readApi(session, 0).path("reactions");
        assertThat(reactions.has("lead")).isFalse();
        assertThat(reactions.path("agent").asText()).isEqualTo("👍");
    }

    @Test
    void an_edit_that_overtakes_its_message_is_kept_when_the_message_arrives() {
        Session session = session();
        MessageChange edit = MessageChange.edit("M3", MARIA.contactId(), Direction.LEAD, "texto novo", T0.plusSeconds(9));
        assertThat(store.storeChange(session, edit)).isEqualTo(StoreOutcome.STORED);
        assertThat(reader.messages(session.tenantId(), MARIA.contactId(), 10, null).items()).isEmpty();

        store.storeMessage(session, message("M3", "texto velho", MessageKind.TEXT, null, T0));

        JsonNode listed = readApi(session, 0);
        assertThat(listed.path("id").asText()).isEqualTo("M3");
        assertThat(listed.path("content").asText()).isEqualTo("texto novo");
        assertThat(listed.path("edited").asBoolean()).isTrue();
        assertThat(listed.path("sender").asText()).isEqualTo("lead");
    }

    @Test
    void a_deleted_message_keeps_its_text_and_says_it_was_deleted_and_its_event_names_the_stored_conversation() {
        Session session = session();
        store.storeMessage(session, message("M4", "mensagem apagada", MessageKind.TEXT, null, T0));
        store.storeChange(session, MessageChange.delete("M4", null, Direction.LEAD, T0.plusSeconds(3)));
        assertThat(store.storeChange(session, MessageChange.delete("M4", null, Direction.LEAD, T0.plusSeconds(4))))
                .isEqualTo(StoreOutcome.DUPLICATE);

        JsonNode listed = readApi(session, 0);
        assertThat(listed.path("deleted").asBoolean()).isTrue();
        assertThat(listed.path("content").asText()).isEqualTo("mensagem apagada");
        List<Map<String, AttributeValue>> events = events(session);
        JsonNode updated = Json.parse(events.get(events.size() - 1).get(EventItems.BODY).s());
        assertThat(updated.path("change").asText()).isEqualTo("delete");
        assertThat(updated.path("conversation_id").asText()).isEqualTo(MARIA.contactId());
    }

    private static JsonNode readApi(Session session, int index) {
        Page<Message> page = reader.messages(session.tenantId(), MARIA.contactId(), 10, null);
        return ReadApiJson.messages(MARIA.contactId(), page).path("messages").get(index);
    }

    private static ConversationState conversation(Session session) {
        return reader.conversation(session.tenantId(), MARIA.contactId()).orElseThrow();
    }

    private static List<Map<String, AttributeValue>> events(Session session) {
        return dynamo.client().query(q -> q.tableName(config.eventsTable())
                .keyConditionExpression("#t = :t")
                .expressionAttributeNames(Map.of("#t", EventItems.TENANT_ID))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(session.tenantId())))
                .consistentRead(true)).items();
    }

    private static List<String> eventTypes(Session session) {
        return events(session).stream().map(item -> item.get(EventItems.TYPE).s()).toList();
    }

    private static InboundMessage message(String id, String text, MessageKind kind, MessageDetails details, Instant at) {
        return new InboundMessage(id, id, Direction.LEAD, MARIA.contactId(), false, MARIA, text, null, at, MessageStatus.DELIVERED,
                kind, details);
    }

    private static Session session() {
        return new Session("s-" + UUID.randomUUID(), "tenant-" + UUID.randomUUID(), Provider.EVOLUTION, SignatureKind.HMAC_SHA256,
                List.of("secret"), null, List.of(), true, T0, null, null, null);
    }
}
