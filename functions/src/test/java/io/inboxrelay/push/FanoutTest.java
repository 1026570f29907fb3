package io.inboxrelay.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.event.Channel;
import io.inboxrelay.core.realtime.Channels;
import io.inboxrelay.core.realtime.Connection;
import io.inboxrelay.core.realtime.ConnectionDirectory;
import io.inboxrelay.core.realtime.StoredEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Ordering and failure semantics of the fan-out, with an in-memory directory and sender. */
class FanoutTest {

    private final Map<String, List<Connection>> byTenant = new ConcurrentHashMap<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();

    private final ConnectionDirectory directory = new ConnectionDirectory() {
        @Override
        public List<Connection> forTenant(String tenantId) {
            return byTenant.getOrDefault(tenantId, List.of());
        }

        @Override
        public void delete(String tenantId, String connectionId) {
            deleted.add(connectionId);
        }
    };

    @Test
    void a_tenants_events_reach_each_connection_in_stream_order() {
        connect("t1", "c1");
        List<FanoutRecord> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(record("s" + i, "t1", String.format("%013d-a", i)));
        }
        try (Fanout fanout = new Fanout(directory, 8, Clock.systemUTC())) {
            assertThat(fanout.deliver(batch, sender(Map.of()), new PushCounters())).isEmpty();
        }
        assertThat(received.get("c1")).isSorted().hasSize(50);
    }

    @Test
    void a_throttled_record_holds_back_the_later_records_of_its_tenant_only() {
        connect("t1", "c1");
        connect("t2", "c2");
        List<FanoutRecord> batch = List.of(record("s1", "t1", "0000000000001-a"), record("s2", "t2", "0000000000002-a"),
                record("s3", "t1", "0000000000003-a"), record("s4", "t2", "0000000000004-a"));
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(batch, sender(Map.of("c1", Delivery.THROTTLED)), new PushCounters());
        }
        assertThat(failed).containsExactly("s1", "s3");
        assertThat(received.get("c2")).containsExactly("0000000000002-a", "0000000000004-a");
        assertThat(received.get("c1")).isNull();
        assertThat(closed).isEmpty();
    }

    @Test
    void a_socket_that_fails_for_good_is_closed_and_dropped_and_never_fails_the_record_for_the_others() {
        connect("t1", "ok");
        connect("t1", "broken");
        connect("t1", "too-small");
        List<FanoutRecord> batch = List.of(record("s1", "t1", "0000000000001-a"), record("s2", "t1", "0000000000002-a"));
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(batch, sender(Map.of("broken", Delivery.FAILED, "too-small", Delivery.REFUSED)), new PushCounters());
        }
        assertThat(failed).isEmpty();
        assertThat(received.get("ok")).containsExactly("0000000000001-a", "0000000000002-a");
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(closed).containsExactlyInAnyOrder("broken", "too-small"));
        assertThat(deleted).containsExactlyInAnyOrder("broken", "too-small");
    }

    @Test
    void a_socket_throttled_while_the_others_are_served_is_a_stuck_client_and_is_closed_not_retried() {
        connect("t1", "reading");
        connect("t1", "stuck");
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(List.of(record("s1", "t1", "0000000000001-a")), sender(Map.of("stuck", Delivery.THROTTLED)),
                    new PushCounters());
        }
        assertThat(failed).isEmpty();
        assertThat(received.get("reading")).containsExactly("0000000000001-a");
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(closed).containsExactly("stuck"));
    }

    @Test
    void an_event_too_large_for_api_gateway_keeps_the_socket_and_tells_it_to_resynchronise() {
        connect("t1", "c1");
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(List.of(record("s1", "t1", "0000000000001-a")), new ConnectionSender() {
                @Override
                public Delivery send(String connectionId, String body) {
                    if (body.startsWith("{")) {
                        received.computeIfAbsent(connectionId, c -> Collections.synchronizedList(new ArrayList<>())).add(body);
                        return Delivery.SENT;
                    }
                    return Delivery.TOO_LARGE;
                }

                @Override
                public void close(String connectionId) {
                    closed.add(connectionId);
                }
            }, new PushCounters());
        }
        assertThat(failed).as("retrying cannot make it smaller").isEmpty();
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(received.get("c1")).singleElement()
                .satisfies(notice -> assertThat(notice).contains("\"type\":\"resync_required\"").contains("delivery_failed")));
        assertThat(deleted).isEmpty();
        assertThat(closed).isEmpty();
    }

    @Test
    void a_410_right_after_connect_leaves_the_connection_in_place() {
        byTenant.computeIfAbsent("t1", t -> new ArrayList<>())
                .add(new Connection("t1", "opening", "u", Channels.all(), System.currentTimeMillis()));
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(List.of(record("s1", "t1", "0000000000001-a")), sender(Map.of("opening", Delivery.GONE)),
                    new PushCounters());
        }
        assertThat(failed).isEmpty();
        assertThat(deleted).isEmpty();
    }

    @Test
    void a_resync_marker_reaches_every_socket_whatever_it_subscribed_to() {
        byTenant.computeIfAbsent("t1", t -> new ArrayList<>())
                .add(new Connection("t1", "statuses-only", "u", java.util.Set.of(Channel.STATUSES), 0));
        FanoutRecord marker = new FanoutRecord("s1", new StoredEvent("t1", "0000000000001-a", "resync_required", Channel.MESSAGES,
                "marker", 0));
        FanoutRecord message = record("s2", "t1", "0000000000002-a");
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            assertThat(fanout.deliver(List.of(marker, message), sender(Map.of()), new PushCounters())).isEmpty();
        }
        assertThat(received.get("statuses-only")).containsExactly("marker");
    }

    @Test
    void a_gone_connection_is_deleted_once_and_not_posted_to_again() {
        connect("t1", "c1");
        connect("t1", "gone");
        List<FanoutRecord> batch = List.of(record("s1", "t1", "0000000000001-a"), record("s2", "t1", "0000000000002-a"));
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(batch, sender(Map.of("gone", Delivery.GONE)), new PushCounters());
        }
        assertThat(failed).isEmpty();
        assertThat(deleted).containsExactly("gone");
        assertThat(received.get("c1")).hasSize(2);
    }

    @Test
    void a_socket_whose_token_has_expired_gets_no_event_but_token_expired_and_is_closed_and_dropped() {
        long now = System.currentTimeMillis();
        byTenant.computeIfAbsent("t1", t -> new ArrayList<>()).add(new Connection("t1", "valid", "u", Channels.all(), 0, now / 1000 + 600));
        byTenant.computeIfAbsent("t1", t -> new ArrayList<>()).add(new Connection("t1", "expired", "u", Channels.all(), 0, now / 1000 - 1));
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(List.of(record("s1", "t1", "0000000000001-a")), sender(Map.of()), new PushCounters());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> closed.contains("expired"));
        }
        assertThat(failed).isEmpty();
        assertThat(received.get("valid")).containsExactly("0000000000001-a");
        assertThat(received.get("expired")).singleElement().asString()
                .contains("\"type\":\"error\"").contains("\"code\":\"token_expired\"");
        assertThat(deleted).containsExactly("expired");
        assertThat(closed).containsExactly("expired");
    }

    private void connect(String tenant, String connectionId) {
        byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new Connection(tenant, connectionId, "u", Channels.all(), 0));
    }

    private ConnectionSender sender(Map<String, Delivery> outcomes) {
        return new ConnectionSender() {
            @Override
            public Delivery send(String connectionId, String body) {
                Delivery outcome = outcomes.getOrDefault(connectionId, Delivery.SENT);
                if (outcome == Delivery.SENT) {
                    received.computeIfAbsent(connectionId, c -> Collections.synchronizedList(new ArrayList<>())).add(body);
                }
                return outcome;
            }

            @Override
            public void close(String connectionId) {
                closed.add(connectionId);
            }
        };
    }

    private static FanoutRecord record(String sequence, String tenant, String cursor) {
        return new FanoutRecord(sequence, new StoredEvent(tenant, cursor, "new_message", Channel.MESSAGES, cursor, 0));
    }
}
