package io.inboxrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.bench.AwsCapacity.Index;
import io.inboxrelay.bench.AwsCapacity.Mode;
import io.inboxrelay.bench.AwsCapacity.Table;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The worked examples of AWS's own pages (cited in {@link AwsCapacity}), plus the index rules one by
 * one. 1 KB = 1,024 bytes.
 */
class AwsCapacityTest {

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(String value) {
        return AttributeValue.builder().n(value).build();
    }

    /** An item of exactly {@code bytes} bytes: one binary attribute "b" (name 1 byte + raw bytes). */
    private static Map<String, AttributeValue> itemOf(int bytes) {
        return Map.of("b", AwsCapacity.binary(bytes - 1));
    }

    @Test
    void a_string_is_the_utf8_bytes_of_its_name_and_its_value() {
        assertThat(AwsCapacity.attributeSize("name", s("Ana"))).isEqualTo(4 + 3);
        assertThat(AwsCapacity.attributeSize("nombre", s("Muñoz"))).isEqualTo(6 + 6); // ñ is 2 bytes in UTF-8
        assertThat(AwsCapacity.attributeSize("emoji", s("\uD83D\uDE00"))).isEqualTo(5 + 4);
    }

    @Test
    void a_number_is_one_byte_per_two_significant_digits_plus_one_leading_and_trailing_zeroes_trimmed() {
        assertThat(AwsCapacity.numberSize("123.45")).isEqualTo(3 + 1);   // 5 significant digits
        assertThat(AwsCapacity.numberSize("1000")).isEqualTo(1 + 1);     // "1"
        assertThat(AwsCapacity.numberSize("0.001")).isEqualTo(1 + 1);    // "1"
        assertThat(AwsCapacity.numberSize("-12")).isEqualTo(1 + 1);
        assertThat(AwsCapacity.numberSize("1764620000123")).isEqualTo(7 + 1); // 13 digits: an epoch-millis timestamp
        assertThat(AwsCapacity.numberSize("0")).isEqualTo(1);
        assertThat(AwsCapacity.attributeSize("unreadCount", n("7"))).isEqualTo(11 + 2);
    }

    @Test
    void binary_is_its_raw_bytes_not_its_base64_and_boolean_or_null_is_one_byte() {
        assertThat(AwsCapacity.attributeSize("blob", AwsCapacity.binary(300))).isEqualTo(4 + 300);
        assertThat(AwsCapacity.attributeSize("ok", AttributeValue.builder().bool(true).build())).isEqualTo(2 + 1);
        assertThat(AwsCapacity.attributeSize("gone", AttributeValue.builder().nul(true).build())).isEqualTo(4 + 1);
    }

    @Test
    void a_list_or_map_is_three_bytes_plus_one_per_element_plus_the_elements() {
        AttributeValue empty = AttributeValue.builder().l(List.of()).build();
        assertThat(AwsCapacity.attributeSize("l", empty)).isEqualTo(1 + 3);
        AttributeValue list = AttributeValue.builder().l(s("ab"), n("5")).build();
        assertThat(AwsCapacity.attributeSize("l", list)).isEqualTo(1 + 3 + (1 + 2) + (1 + 2));
        AttributeValue map = AttributeValue.builder().m(Map.of("url", s("https://x"), "size", n("1024"))).build();
        assertThat(AwsCapacity.attributeSize("media", map)).isEqualTo(5 + 3 + (1 + 3 + 9) + (1 + 4 + 3));
    }

    @Test
    void a_set_is_the_sum_of_its_elements() {
        AttributeValue channels = AttributeValue.builder().ss("messages", "statuses").build();
        assertThat(AwsCapacity.attributeSize("channels", channels)).isEqualTo(8 + 8 + 8);
    }

    @Test
    void an_item_is_the_sum_of_its_attributes() {
        Map<String, AttributeValue> item = Map.of("tenantId", s("t1"), "count", n("42"));
        assertThat(AwsCapacity.itemSize(item)).isEqualTo((8 + 2) + (5 + 2));
        assertThat(AwsCapacity.itemSize(null)).isZero();
    }

    @Test
    void a_write_is_rounded_up_to_the_next_kilobyte() {
        // read-write-operations page: "if you put or delete an item of 1.6 KB, DynamoDB rounds the item size up to 2 KB".
        assertThat(AwsCapacity.writeUnits((long) (1.6 * 1024))).isEqualTo(2);
        // Provisioned-throughput example: a 512-byte item needs 1 write unit.
        assertThat(AwsCapacity.writeUnits(512)).isEqualTo(1);
        assertThat(AwsCapacity.writeUnits(1024)).isEqualTo(1);
        assertThat(AwsCapacity.writeUnits(1025)).isEqualTo(2);
    }

    @Test
    void batch_write_item_rounds_each_item_on_its_own() {
        // read-write-operations page: a 500-byte item and a 3.5 KB item cost 5 KB (1 KB + 4 KB), not 4 KB.
        int batch = AwsCapacity.baseWriteUnits(null, itemOf(500), Mode.STANDARD)
                + AwsCapacity.baseWriteUnits(null, itemOf((int) (3.5 * 1024)), Mode.STANDARD);
        assertThat(batch).isEqualTo(5);
    }

    @Test
    void put_and_update_charge_the_larger_of_the_item_before_and_after_delete_the_deleted_item() {
        Map<String, AttributeValue> big = itemOf(3 * 1024);
        Map<String, AttributeValue> small = itemOf(500);
        assertThat(AwsCapacity.baseWriteUnits(big, small, Mode.STANDARD)).isEqualTo(3);  // update that shrinks
        assertThat(AwsCapacity.baseWriteUnits(small, big, Mode.STANDARD)).isEqualTo(3);  // put that replaces
        assertThat(AwsCapacity.baseWriteUnits(big, null, Mode.STANDARD)).isEqualTo(3);   // delete
    }

    @Test
    void a_transactional_write_costs_twice_a_standard_write() {
        // Transactions page: one transaction per second writing three 500-byte items needs 6 write units.
        int transaction = 0;
        for (int i = 0; i < 3; i++) {
            transaction += AwsCapacity.baseWriteUnits(null, itemOf(500), Mode.TRANSACTIONAL);
        }
        assertThat(transaction).isEqualTo(6);
        // Pricing page: a standard write of a 3 KB item is 3 units, a transactional one 6.
        assertThat(AwsCapacity.baseWriteUnits(null, itemOf(3 * 1024), Mode.STANDARD)).isEqualTo(3);
        assertThat(AwsCapacity.baseWriteUnits(null, itemOf(3 * 1024), Mode.TRANSACTIONAL)).isEqualTo(6);
    }

    @Test
    void reads_round_up_to_4_kb_and_an_eventually_consistent_read_costs_half() {
        // read-write-operations page: 3.5 KB reads as 4 KB; 10 KB as 12 KB; an 8 KB item is 2 strong, 1 eventual, 4 transactional.
        assertThat(AwsCapacity.readUnits((long) (3.5 * 1024), true)).isEqualTo(1.0);
        assertThat(AwsCapacity.readUnits(10 * 1024, true)).isEqualTo(3.0);
        assertThat(AwsCapacity.readUnits(8 * 1024, true)).isEqualTo(2.0);
        assertThat(AwsCapacity.readUnits(8 * 1024, false)).isEqualTo(1.0);
        assertThat(AwsCapacity.transactionalReadUnits(8 * 1024)).isEqualTo(4.0);
        // A read of a missing item still costs 1 (strong) or 0.5 (eventual).
        assertThat(AwsCapacity.readUnits(0, true)).isEqualTo(1.0);
        assertThat(AwsCapacity.readUnits(0, false)).isEqualTo(0.5);
    }

    @Test
    void a_query_rounds_the_sum_of_its_items() {
        // read-write-operations page: 10 items of 40.8 KB in all are read as 44 KB (11 strong units).
        assertThat(AwsCapacity.readUnits((long) (40.8 * 1024), true)).isEqualTo(11.0);
        // GSI page: a query returning 8 index entries of 2,000 bytes, eventually consistent: 0.5 × (16 KB / 4 KB) = 2.
        assertThat(AwsCapacity.readUnits(8 * 2000, false)).isEqualTo(2.0);
    }

    private final Index keysOnly = Index.keysOnly("by-status", "status");
    private final Index include = new Index("by-status-inc", List.of("status"), AwsCapacity.Projection.INCLUDE, Set.of("title"));
    private final Index all = Index.all("by-status-all", "status");
    private final Table table = new Table("t", List.of("id"), List.of(keysOnly, include, all));

    private Map<String, AttributeValue> item(String status, String title, String body) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s("1"));
        if (status != null) {
            item.put("status", s(status));
        }
        item.put("title", s(title));
        item.put("body", s(body));
        return item;
    }

    private int[] on(Index index, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return AwsCapacity.indexWrite(table, index, before, after);
    }

    @Test
    void a_new_item_with_the_index_key_is_one_index_write() {
        assertThat(on(keysOnly, null, item("open", "t", "b"))).containsExactly(1, 1);
    }

    @Test
    void an_update_that_defines_a_previously_undefined_index_key_is_one_write() {
        assertThat(on(keysOnly, item(null, "t", "b"), item("open", "t", "b"))).containsExactly(1, 1);
    }

    @Test
    void an_update_that_changes_an_index_key_is_two_writes_delete_and_put() {
        assertThat(on(keysOnly, item("open", "t", "b"), item("closed", "t", "b"))).containsExactly(2, 2);
    }

    @Test
    void an_update_that_removes_the_index_key_is_one_write() {
        assertThat(on(keysOnly, item("open", "t", "b"), item(null, "t", "b"))).containsExactly(1, 1);
    }

    @Test
    void no_entry_before_or_after_costs_nothing() {
        assertThat(on(keysOnly, item(null, "t", "b"), item(null, "t2", "b2"))).containsExactly(0, 0);
        assertThat(on(keysOnly, null, null)).containsExactly(0, 0);
    }

    @Test
    void an_update_of_attributes_a_keys_only_or_include_index_does_not_project_costs_nothing_there() {
        Map<String, AttributeValue> before = item("open", "t", "b");
        Map<String, AttributeValue> after = item("open", "t", "b-edited");
        assertThat(on(keysOnly, before, after)).containsExactly(0, 0);
        assertThat(on(include, before, after)).containsExactly(0, 0);
        // ALL projects every attribute: any change rewrites the entry.
        assertThat(on(all, before, after)).containsExactly(1, 1);
    }

    @Test
    void an_update_of_a_projected_non_key_attribute_is_one_write() {
        assertThat(on(include, item("open", "t", "b"), item("open", "t2", "b"))).containsExactly(1, 1);
        assertThat(on(keysOnly, item("open", "t", "b"), item("open", "t2", "b"))).containsExactly(0, 0);
    }

    @Test
    void an_index_write_is_charged_at_the_projected_entry_size_not_the_item_size() {
        Map<String, AttributeValue> big = item("open", "t", "x".repeat(3000));
        assertThat(on(keysOnly, null, big)).containsExactly(1, 1);  // keys only: a few bytes
        assertThat(on(all, null, big)).containsExactly(1, 3);       // ALL: the whole ~3 KB item
    }

    @Test
    void write_adds_the_table_units_and_every_index_write() {
        AwsCapacity.WriteCost insert = AwsCapacity.write(table, null, item("open", "t", "b"), Mode.STANDARD);
        assertThat(insert.baseUnits()).isEqualTo(1);
        assertThat(insert.indexWrites()).isEqualTo(3);
        assertThat(insert.totalUnits()).isEqualTo(4);
        AwsCapacity.WriteCost transactional = AwsCapacity.write(table, null, item("open", "t", "b"), Mode.TRANSACTIONAL);
        assertThat(transactional.baseUnits()).isEqualTo(2);
        assertThat(transactional.indexUnits()).isEqualTo(3);          // index writes charged once (see AwsCapacity)
        assertThat(transactional.indexUnitsIfDoubled()).isEqualTo(6);
    }

    @Test
    void the_issues_estimate_of_a_small_message_five_items_in_a_transaction_plus_index_moves_is_13() {
        // Issue 11: message (insert, conversation-index ALL), conversation (update that moves recent-index's sort key),
        // contact, two events; every item under 1 KB.
        Table messages = new Table("Messages", List.of("pk"), List.of(Index.all("conversation-index", "conversationKey", "sortKey")));
        Table conversations = new Table("Conversations", List.of("tenantId", "conversationId"),
                List.of(Index.all("recent-index", "tenantId", "lastMessageSort")));
        Table plain = new Table("Events", List.of("tenantId", "cursor"), List.of());
        Map<String, AttributeValue> message = Map.of("pk", s("t#m1"), "conversationKey", s("t#c1"), "sortKey", s("0001#m1"), "text", s("hi"));
        Map<String, AttributeValue> before = Map.of("tenantId", s("t"), "conversationId", s("c1"), "lastMessageSort", s("0000#m0"));
        Map<String, AttributeValue> after = Map.of("tenantId", s("t"), "conversationId", s("c1"), "lastMessageSort", s("0001#m1"));
        Map<String, AttributeValue> event = Map.of("tenantId", s("t"), "cursor", s("0001-a"), "body", s("{}"));
        int total = AwsCapacity.write(messages, null, message, Mode.TRANSACTIONAL).totalUnits()       // 2 + 1
                + AwsCapacity.write(conversations, before, after, Mode.TRANSACTIONAL).totalUnits()     // 2 + 2
                + AwsCapacity.write(plain, null, Map.of("tenantId", s("t"), "cursor", s("contact")), Mode.TRANSACTIONAL).totalUnits()
                + AwsCapacity.write(plain, null, event, Mode.TRANSACTIONAL).totalUnits()
                + AwsCapacity.write(plain, null, event, Mode.TRANSACTIONAL).totalUnits();
        assertThat(total).isEqualTo(13);
    }
}
