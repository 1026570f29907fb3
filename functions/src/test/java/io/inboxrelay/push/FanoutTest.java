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
    void a_failing_record_holds_back_the_later_records_of_its_tenant_only() {
        connect("t1", "c1");
        connect("t2", "c2");
        List<FanoutRecord> batch = List.of(record("s1", "t1", "0000000000001-a"), record("s2", "t2", "0000000000002-a"),
                record("s3", "t1", "0000000000003-a"), record("s4", "t2", "0000000000004-a"));
        List<String> failed;
        try (Fanout fanout = new Fanout(directory, 4, Clock.systemUTC())) {
            failed = fanout.deliver(batch, sender(Map.of("c1", Delivery.FAILED)), new PushCounters());
        }
        assertThat(failed).containsExactly("s1", "s3");
        assertThat(received.get("c2")).containsExactly("0000000000002-a", "0000000000004-a");
        assertThat(received.get("c1")).isNull();
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

    private void connect(String tenant, String connectionId) {
        byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new Connection(tenant, connectionId, "u", Channels.all(), 0));
    }

    private ConnectionSender sender(Map<String, Delivery> outcomes) {
        return (connectionId, body) -> {
            Delivery outcome = outcomes.getOrDefault(connectionId, Delivery.SENT);
            if (outcome == Delivery.SENT) {
                received.computeIfAbsent(connectionId, c -> Collections.synchronizedList(new ArrayList<>())).add(body);
            }
            return outcome;
        };
    }

    private static FanoutRecord record(String sequence, String tenant, String cursor) {
        return new FanoutRecord(sequence, new StoredEvent(tenant, cursor, "new_message", Channel.MESSAGES, cursor, 0));
    }
}
