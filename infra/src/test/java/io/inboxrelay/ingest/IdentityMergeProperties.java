package io.inboxrelay.ingest;

import static io.inboxrelay.ingest.TenantInbox.inboxHub;
import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.config.Config;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.handler.WebhookHandler;
import io.inboxrelay.local.LocalDynamo;
import io.inboxrelay.local.template.SamTemplate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 12's property: whatever order twin deliveries of one person's messages arrive in — under
 * the {@code @lid}, under the phone JID, or with both — the tenant ends with one conversation and
 * every message stored once in it, with an exact unread count.
 */
class IdentityMergeProperties {

    private static final String LID = "204936527069362@lid";
    private static final String PHONE_JID = "5511987654321@s.whatsapp.net";
    private static final String DIGITS = "5511987654321";

    private static LocalDynamo dynamo;
    private static Config config;
    private static WebhookHandler handler;

    @BeforeContainer
    static void startDynamo() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
        config = Config.from(dynamo.environment());
        handler = new WebhookHandler(dynamo.client(), config, Clock.systemUTC());
    }

    @AfterContainer
    static void stopDynamo() {
        dynamo.close();
    }

    enum Form { LID_ONLY, PHONE_ONLY, LID_WITH_PHONE }

    record Delivery(int message, Form form) {
    }

    @Property(tries = 40)
    void any_order_of_twin_deliveries_ends_in_one_conversation_with_each_message_stored_once(
            @ForAll("deliveries") List<Delivery> deliveries) {
        TenantInbox inbox = new TenantInbox(dynamo, config, handler, Provider.INBOX_HUB, SignatureKind.HMAC_SHA256);
        long base = Instant.now().getEpochSecond() - 3600;
        for (Delivery delivery : deliveries) {
            String from = switch (delivery.form()) {
                case LID_ONLY -> "\"from\":\"" + LID + "\"";
                case PHONE_ONLY -> "\"from\":\"" + PHONE_JID + "\"";
                case LID_WITH_PHONE -> "\"from\":\"" + LID + "\",\"phone\":\"+" + DIGITS + "\"";
            };
            inbox.post(inboxHub("message.received", "M" + delivery.message(), from, base + delivery.message()));
        }

        Set<String> ids = new TreeSet<>();
        deliveries.forEach(delivery -> ids.add("M" + delivery.message()));
        assertThat(inbox.conversationIds()).containsExactly(DIGITS);
        assertThat(inbox.messageIdsIn(DIGITS)).containsExactlyElementsOf(ids);
        assertThat(inbox.messageConversations().values()).containsOnly(DIGITS);
        assertThat(inbox.conversation(DIGITS).get("unreadCount").n()).isEqualTo(String.valueOf(ids.size()));
        assertThat(inbox.eventTypes().stream().filter("new_message"::equals)).hasSize(ids.size());
    }

    /**
     * One to four messages, each delivered one to three times in random forms, shuffled — and at
     * least one delivery that tells the pair (one with both ids, or one message seen under both).
     */
    @Provide
    Arbitrary<List<Delivery>> deliveries() {
        Arbitrary<List<Form>> formsOfOneMessage = Arbitraries.of(Form.class).list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(formsOfOneMessage.list().ofMinSize(1).ofMaxSize(4), Arbitraries.longs())
                .as((forms, seed) -> {
                    List<Delivery> all = new ArrayList<>();
                    for (int message = 0; message < forms.size(); message++) {
                        for (Form form : forms.get(message)) {
                            all.add(new Delivery(message, form));
                        }
                    }
                    Collections.shuffle(all, new Random(seed));
                    return all;
                })
                .filter(IdentityMergeProperties::tellsThePair);
    }

    private static boolean tellsThePair(List<Delivery> deliveries) {
        if (deliveries.stream().anyMatch(delivery -> delivery.form() == Form.LID_WITH_PHONE)) {
            return true;
        }
        boolean anyLid = deliveries.stream().anyMatch(delivery -> delivery.form() == Form.LID_ONLY);
        boolean anyPhone = deliveries.stream().anyMatch(delivery -> delivery.form() == Form.PHONE_ONLY);
        if (!anyLid) {
            return anyPhone; // phone only: one conversation by construction
        }
        return deliveries.stream().anyMatch(lid -> lid.form() == Form.LID_ONLY && deliveries.stream()
                .anyMatch(phone -> phone.form() == Form.PHONE_ONLY && phone.message() == lid.message()));
    }
}
