package io.inboxrelay.ingest;

import static io.inboxrelay.ingest.TenantInbox.inboxHub;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.Direction;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.MessageStatus;
import io.inboxrelay.core.Party;
import io.inboxrelay.core.Session;
import io.inboxrelay.core.identity.IdentityResolver;
import io.inboxrelay.core.ingest.InboxStore.StoreOutcome;
import io.inboxrelay.store.DynamoAliasStore;
import io.inboxrelay.store.DynamoInboxStore;
import io.inboxrelay.store.DynamoSessionRegistry;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One person is one conversation whichever of their ids arrives first (docs/MESSAGE-KINDS.md, "Identity"). */
class IdentityMergeTest {

    private static final String LID = "204936527069362@lid";
    private static final String PHONE_JID = "5511987654321@s.whatsapp.net";
    private static final String DIGITS = "5511987654321";

    private static LocalDynamo dynamo;
    private static Config config;
    private static WebhookHandler handler;

    private TenantInbox inbox;
    private long clock = Instant.now().getEpochSecond() - 600;

    @BeforeAll
    static void startDynamo() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = Config.from(dynamo.environment());
        handler = new WebhookHandler(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterAll
    static void stopDynamo() {
        dynamo.close();
    }

    @BeforeEach
    void newTenant() {
        inbox = new TenantInbox(dynamo, config, handler, Provider.INBOX_HUB, SignatureKind.HMAC_SHA256);
    }

    private String receive(String id, String fields) {
        return inbox.post(inboxHub("message.received", id, fields, clock++));
    }

    @Test
    void an_lid_conversation_becomes_the_phone_conversation_when_a_later_message_names_the_phone() {
        assertThat(receive("M1", "\"from\":\"" + LID + "\",\"name\":\"Ana\"")).isEqualTo("stored");
        assertThat(receive("M2", "\"from\":\"" + LID + "\"")).isEqualTo("stored");
        assertThat(inbox.conversationIds()).containsExactly("lid:204936527069362");

        assertThat(receive("M3", "\"from\":\"" + LID + "\",\"phone\":\"+55 11 98765-4321\"")).isEqualTo("stored");

        assertThat(inbox.conversationIds()).containsExactly(DIGITS);
        assertThat(inbox.messageIdsIn(DIGITS)).containsExactly("M1", "M2", "M3");
        assertThat(inbox.messageIdsIn("lid:204936527069362")).isEmpty();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> merged = inbox.conversation(DIGITS);
        assertThat(merged.get("unreadCount").n()).isEqualTo("3");
        assertThat(merged.get("name").s()).isEqualTo("Ana");
        assertThat(merged.get("lastMessageId").s()).isEqualTo("M3");
        assertThat(merged.get("phone").s()).isEqualTo("+5511987654321");
        assertThat(inbox.contact("lid:204936527069362").get("aliasOf").s()).isEqualTo(DIGITS);
        assertThat(inbox.events()).anySatisfy(event -> {
            assertThat(event.get("type")).isEqualTo("conversation_merged");
            assertThat(event.get("from")).isEqualTo("lid:204936527069362");
            assertThat(event.get("into")).isEqualTo(DIGITS);
        });
        assertThat(lastConversationUpdate(DIGITS).get("unread_count")).isEqualTo(3);
    }

    @Test
    void once_the_alias_is_known_lid_only_messages_and_the_agents_replies_in_the_lid_chat_file_under_the_phone() {
        receive("M1", "\"from\":\"" + LID + "\",\"phone\":\"" + DIGITS + "\"");

        assertThat(receive("M2", "\"from\":\"" + LID + "\"")).isEqualTo("stored");
        assertThat(inbox.post(inboxHub("message.sent", "A1", "\"to\":\"" + LID + "\"", clock++))).isEqualTo("stored");

        assertThat(inbox.conversationIds()).containsExactly(DIGITS);
        assertThat(inbox.messageIdsIn(DIGITS)).containsExactly("A1", "M1", "M2");
        assertThat(inbox.eventTypes()).doesNotContain("conversation_merged");
        assertThat(inbox.conversation(DIGITS).get("unreadCount").n()).isEqualTo("2");
    }

    @Test
    void a_phone_twin_of_a_stored_lid_message_is_a_duplicate_that_still_merges_the_conversation() {
        assertThat(receive("TWIN", "\"from\":\"" + LID + "\"")).isEqualTo("stored");

        assertThat(receive("TWIN", "\"from\":\"" + PHONE_JID + "\"")).isEqualTo("duplicate");

        assertThat(inbox.conversationIds()).containsExactly(DIGITS);
        assertThat(inbox.messageConversations()).containsExactly(Map.entry("TWIN", DIGITS));
        assertThat(inbox.conversation(DIGITS).get("unreadCount").n()).isEqualTo("1");
        assertThat(inbox.eventTypes().stream().filter("new_message"::equals)).hasSize(1);
    }

    @Test
    void an_lid_twin_of_a_stored_phone_message_teaches_the_alias_for_later_lid_messages() {
        receive("TWIN", "\"from\":\"" + PHONE_JID + "\"");
        assertThat(receive("TWIN", "\"from\":\"" + LID + "\"")).isEqualTo("duplicate");

        receive("LATER", "\"from\":\"" + LID + "\"");

        assertThat(inbox.conversationIds()).containsExactly(DIGITS);
        assertThat(inbox.messageIdsIn(DIGITS)).containsExactly("LATER", "TWIN");
    }

    @Test
    void a_group_participants_pair_merges_their_private_lid_conversation() {
        receive("P1", "\"from\":\"" + LID + "\"");

        inbox.post(inboxHub("message.received", "G1", "\"chat\":\"120363041234567890@g.us\",\"from\":\"" + LID
                + "\",\"phone\":\"" + DIGITS + "\"", clock++));

        assertThat(inbox.conversationIds()).containsExactly(DIGITS, "group:120363041234567890");
        assertThat(inbox.messageIdsIn(DIGITS)).containsExactly("P1");
        assertThat(inbox.messageIdsIn("group:120363041234567890")).containsExactly("G1");
    }

    @Test
    void a_receipt_named_by_the_lid_chat_is_pushed_with_the_phone_conversation() {
        receive("M1", "\"from\":\"" + LID + "\",\"phone\":\"" + DIGITS + "\"");
        inbox.post(inboxHub("message.sent", "A1", "\"to\":\"" + LID + "\"", clock++));

        inbox.post("{\"event\":\"message.read\",\"message\":{\"id\":\"A1\",\"to\":\"" + LID + "\"}}");

        assertThat(inbox.events()).filteredOn(event -> "message_status".equals(event.get("type")))
                .singleElement().satisfies(event -> assertThat(event.get("conversation_id")).isEqualTo(DIGITS));
    }

    @Test
    void meta_user_ids_and_wa_ids_of_one_person_end_in_one_conversation() {
        TenantInbox meta = new TenantInbox(dynamo, config, handler, Provider.META, SignatureKind.META);
        meta.post(metaMessage("wamid.A", null, "US.1349"));
        assertThat(meta.conversationIds()).containsExactly("user:US.1349");

        meta.post(metaMessage("wamid.B", "573001234567", "US.1349"));

        assertThat(meta.conversationIds()).containsExactly("573001234567");
        assertThat(meta.messageIdsIn("573001234567")).containsExactly("wamid.A", "wamid.B");
        assertThat(meta.conversation("573001234567").get("unreadCount").n()).isEqualTo("2");
    }

    @Test
    void a_message_filed_under_the_lid_while_the_merge_ran_is_moved_by_its_own_check_after_commit() {
        receive("M1", "\"from\":\"" + LID + "\",\"phone\":\"" + DIGITS + "\"");
        // A webhook that read "no alias" just before M1 taught it, and commits after the merge finished:
        Session session = new DynamoSessionRegistry(dynamo.client(), config.sessionsTable()).find(inbox.sessionId).orElseThrow();
        Party lid = new Party("lid:204936527069362", null, LID, "Ana");
        InboundMessage late = new InboundMessage("LATE", "LATE", Direction.LEAD, lid.contactId(), false, lid, "late",
                null, Instant.now(), MessageStatus.DELIVERED);
        StoreOutcome outcome = new DynamoInboxStore(dynamo.client(), config, Clock.systemUTC()).storeMessage(session, late);
        assertThat(inbox.conversationIds()).containsExactly(DIGITS, "lid:204936527069362");

        new IdentityResolver(new DynamoAliasStore(dynamo.client(), config, Clock.systemUTC())).afterStore(session, late, late, outcome);

        assertThat(inbox.conversationIds()).containsExactly(DIGITS);
        assertThat(inbox.messageIdsIn(DIGITS)).containsExactly("LATE", "M1");
        assertThat(inbox.conversation(DIGITS).get("unreadCount").n()).isEqualTo("2");
    }

    @Test
    void a_meta_number_change_moves_the_customers_conversation_to_the_new_number() throws Exception {
        TenantInbox meta = new TenantInbox(dynamo, config, handler, Provider.META, SignatureKind.META);
        meta.post(metaMessage("wamid.OLD1", "573001234567", "US.77"));
        String system = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("events.dir", "../events"),
                "gateways", "meta", "kinds-system-changed-number.json"));

        assertThat(meta.post(system)).isEqualTo("stored");

        assertThat(meta.conversationIds()).containsExactly("573009876543");
        assertThat(meta.messageIdsIn("573009876543")).containsExactly("wamid.HBgMNTczMDAxMjM0NTY3FQIAEhgUM0VCMTAwMDAwMDAwMDAwMDAwMTIA",
                "wamid.OLD1");
        assertThat(meta.events()).anySatisfy(event -> {
            assertThat(event.get("type")).isEqualTo("conversation_merged");
            assertThat(event.get("from")).isEqualTo("573001234567");
            assertThat(event.get("into")).isEqualTo("573009876543");
        });
    }

    private String metaMessage(String id, String waId, String userId) {
        String from = waId == null ? "" : "\"from\":\"" + waId + "\",";
        String contactWaId = waId == null ? "" : "\"wa_id\":\"" + waId + "\",";
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"WABA\",\"changes\":[{\"field\":\"messages\",\"value\":{"
                + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550001111\",\"phone_number_id\":\""
                + inboxSessionNumber() + "\"},\"contacts\":[{\"profile\":{\"name\":\"River\"}," + contactWaId + "\"user_id\":\"" + userId
                + "\"}],\"messages\":[{" + from + "\"from_user_id\":\"" + userId + "\",\"id\":\"" + id + "\",\"timestamp\":\""
                + (clock++) + "\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}]}}]}]}";
    }

    /** The test's Meta session is registered under a random id, not a number: every change is its own. */
    private static String inboxSessionNumber() {
        return "15550001111";
    }

    private Map<String, Object> lastConversationUpdate(String conversationId) {
        List<Map<String, Object>> updates = inbox.events().stream()
                .filter(event -> "conversation_updated".equals(event.get("type")) && conversationId.equals(event.get("conversation_id")))
                .toList();
        return updates.get(updates.size() - 1);
    }
}
