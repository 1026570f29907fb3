package io.inboxrelay.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a DynamoDB request costs <em>in AWS</em>, computed from item sizes with AWS's documented
 * rules. A pure calculator: no client, no clock. DynamoDB Local's own {@code ConsumedCapacity} is a
 * different accounting and is never what this class returns.
 *
 * <p>The rules and where AWS documents them (1 KB = 1,024 bytes throughout, per the quotas page):
 * <ul>
 * <li><b>Item size</b> — the sum of attribute name lengths (UTF-8 bytes) and value sizes: a string is
 * its UTF-8 bytes; a number about 1 byte per two significant digits + 1 byte (leading and trailing
 * zeroes trimmed); a binary its raw bytes; a boolean or null 1 byte; a list or map 3 bytes + 1 byte
 * per element + the elements. <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html">
 * DynamoDB item sizes and formats</a>. Sets are not spelled out there; they are counted as the sum of
 * their elements (each element as the scalar of that type), with no overhead.</li>
 * <li><b>Write units</b> — one write unit per 1 KB, rounded up: {@code PutItem} charges the larger of
 * the replaced and the new item, {@code UpdateItem} the larger of the item before and after (even if
 * one attribute changes), {@code DeleteItem} the deleted item; {@code BatchWriteItem} rounds each item
 * on its own. <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html#write-operation-consumption">
 * DynamoDB read and write operations: capacity unit consumption for write operations</a>.</li>
 * <li><b>Read units</b> — one read unit per 4 KB, rounded up, for a strongly consistent read; half for
 * an eventually consistent one; a {@code Query} rounds the sum of the items it reads; a read of a
 * missing item still costs the minimum. Same page, "capacity unit consumption for read operations".</li>
 * <li><b>Transactions</b> — "DynamoDB performs two underlying reads or writes of every item in the
 * transaction: one to prepare the transaction and one to commit the transaction", i.e. a transactional
 * write costs twice a standard one (AWS's worked example: three 500-byte items per second = 6 write
 * units). <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling">
 * Amazon DynamoDB Transactions: How it works — capacity management</a>; also the on-demand pricing page
 * (<a href="https://aws.amazon.com/dynamodb/pricing/on-demand/">aws.amazon.com/dynamodb/pricing/on-demand</a>:
 * "a transactional write requires two write request units").</li>
 * <li><b>Global secondary indexes</b> — every index write is charged on top of the table write, at the
 * size of the <em>projected index entry</em> rounded up to 1 KB: a new item (or an update that defines
 * the index key) = 1 write; an update that changes an index key value = 2 (delete the old entry, put the
 * new one); an update that removes the index key = 1; an update that changes only projected non-key
 * attributes = 1; no entry before or after, or no projected attribute changed = 0.
 * <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes">
 * Global secondary indexes: provisioned throughput considerations — write capacity units</a>. An
 * entry holds the table's key, the index's key and the projected attributes (KEYS_ONLY: none more;
 * INCLUDE: the listed ones; ALL: every attribute), same page, "Attribute projections".</li>
 * </ul>
 *
 * <p>One point the pages leave open: whether the index writes that follow a <em>transactional</em>
 * write are doubled too. AWS describes index maintenance as asynchronous propagation after the commit
 * ("changes start propagating to global secondary indexes... gradually", transactions page), so this
 * class charges them once, as standard writes ({@link #TRANSACTIONAL_INDEX_MULTIPLIER}); callers can
 * report the doubled variant next to it ({@link WriteCost#indexUnitsIfDoubled()}).
 */
public final class AwsCapacity {

    /** Bytes per write unit (1 KB = 1,024 bytes in DynamoDB's documentation). */
    public static final int WRITE_UNIT_BYTES = 1024;
    /** Bytes per read unit. */
    public static final int READ_UNIT_BYTES = 4096;
    /** A transactional write of an item costs this many times a standard write. */
    public static final int TRANSACTIONAL_MULTIPLIER = 2;
    /** Index writes caused by a transactional write: charged as standard writes (see the class comment). */
    public static final int TRANSACTIONAL_INDEX_MULTIPLIER = 1;

    private AwsCapacity() {
    }

    /** How a write is billed. */
    public enum Mode { STANDARD, TRANSACTIONAL }

    /** Projection types of a global secondary index. */
    public enum Projection { KEYS_ONLY, INCLUDE, ALL }

    /**
     * A global secondary index as DescribeTable reports it.
     *
     * @param name        index name
     * @param keys        the index's key attributes (partition key, then sort key if any)
     * @param projection  KEYS_ONLY, INCLUDE or ALL
     * @param included    the non-key attributes of an INCLUDE projection (empty otherwise)
     */
    public record Index(String name, List<String> keys, Projection projection, Set<String> included) {
        public Index {
            keys = List.copyOf(keys);
            included = Set.copyOf(included);
        }

        public static Index all(String name, String... keys) {
            return new Index(name, List.of(keys), Projection.ALL, Set.of());
        }

        public static Index keysOnly(String name, String... keys) {
            return new Index(name, List.of(keys), Projection.KEYS_ONLY, Set.of());
        }
    }

    /**
     * A table's key schema and its global secondary indexes.
     *
     * @param name    table name
     * @param keys    the table's key attributes (partition key, then sort key if any)
     * @param indexes its global secondary indexes
     */
    public record Table(String name, List<String> keys, List<Index> indexes) {
        public Table {
            keys = List.copyOf(keys);
            indexes = List.copyOf(indexes);
        }
    }

    /**
     * What one item write costs.
     *
     * @param baseUnits        write units charged on the table (doubled for a transactional write)
     * @param indexWrites      index writes (entries put or deleted), all indexes
     * @param indexUnits       write units charged on the indexes
     * @param perIndexUnits    index name → its write units
     * @param mode             standard or transactional
     */
    public record WriteCost(int baseUnits, int indexWrites, int indexUnits, Map<String, Integer> perIndexUnits, Mode mode) {
        public int totalUnits() {
            return baseUnits + indexUnits;
        }

        /** Index units if AWS did double the index writes of a transaction too (the bound the docs leave open). */
        public int indexUnitsIfDoubled() {
            return mode == Mode.TRANSACTIONAL ? indexUnits * TRANSACTIONAL_MULTIPLIER / TRANSACTIONAL_INDEX_MULTIPLIER : indexUnits;
        }
    }

    // ------------------------------------------------------------------ sizes

    /** Size in bytes of an item: the sum of its attributes' name and value sizes. */
    public static long itemSize(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += attributeSize(e.getKey(), e.getValue());
        }
        return size;
    }

    /** Size of one attribute: UTF-8 bytes of its name + the size of its value. */
    public static long attributeSize(String name, AttributeValue value) {
        return utf8(name) + valueSize(value);
    }

    /** Size of a value on its own (as a list element, without the element's 1-byte overhead). */
    public static long valueSize(AttributeValue v) {
        Objects.requireNonNull(v, "value");
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return numberSize(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(AwsCapacity::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(AwsCapacity::numberSize).sum();
        }
        if (v.hasBs()) {
            return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
        }
        if (v.hasL()) {
            long size = 3;
            for (AttributeValue element : v.l()) {
                size += 1 + valueSize(element);
            }
            return size;
        }
        if (v.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                size += 1 + attributeSize(e.getKey(), e.getValue());
            }
            return size;
        }
        throw new IllegalArgumentException("an AttributeValue with no value: " + v);
    }

    /**
     * Size of a number: 1 byte per two significant digits (rounded up) + 1 byte, leading and trailing
     * zeroes trimmed. AWS calls this "approximately"; zero counts as 1 byte.
     */
    public static long numberSize(String number) {
        BigDecimal value = new BigDecimal(number.trim());
        if (value.signum() == 0) {
            return 1;
        }
        int digits = value.stripTrailingZeros().unscaledValue().abs().toString().length();
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ------------------------------------------------------------------ units

    /** Write units for an item of this many bytes: ceil(bytes / 1 KB), at least 1. */
    public static int writeUnits(long bytes) {
        return (int) Math.max(1, (bytes + WRITE_UNIT_BYTES - 1) / WRITE_UNIT_BYTES);
    }

    /** Read units of a read of this many bytes (a GetItem's item, or a Query's items summed). */
    public static double readUnits(long bytes, boolean stronglyConsistent) {
        double units = Math.max(1, (bytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
        return stronglyConsistent ? units : units / 2;
    }

    /** Read units of a transactional read (TransactGetItems) of an item of this many bytes: twice a strong read. */
    public static double transactionalReadUnits(long bytes) {
        return TRANSACTIONAL_MULTIPLIER * readUnits(bytes, true);
    }

    /**
     * Write units charged on the table by a Put, Update or Delete of one item, from its image before and
     * after ({@code null} = no item): the larger of the two, rounded up to 1 KB; doubled in a transaction.
     * BatchWriteItem is this, item by item, in STANDARD mode.
     */
    public static int baseWriteUnits(Map<String, AttributeValue> before, Map<String, AttributeValue> after, Mode mode) {
        int units = writeUnits(Math.max(itemSize(before), itemSize(after)));
        return mode == Mode.TRANSACTIONAL ? units * TRANSACTIONAL_MULTIPLIER : units;
    }

    /** The full cost of one item write: the table's write units plus every index write it causes. */
    public static WriteCost write(Table table, Map<String, AttributeValue> before, Map<String, AttributeValue> after, Mode mode) {
        int base = baseWriteUnits(before, after, mode);
        int writes = 0;
        int units = 0;
        Map<String, Integer> perIndex = new LinkedHashMap<>();
        for (Index index : table.indexes()) {
            int[] cost = indexWrite(table, index, before, after);
            writes += cost[0];
            int indexUnits = cost[1] * (mode == Mode.TRANSACTIONAL ? TRANSACTIONAL_INDEX_MULTIPLIER : 1);
            units += indexUnits;
            perIndex.put(index.name(), indexUnits);
        }
        return new WriteCost(base, writes, units, perIndex, mode);
    }

    /**
     * The index writes one item write causes on one index: {writes, units}. The rules of "Write capacity
     * units" on AWS's GSI page, each entry write charged at its projected size rounded up to 1 KB.
     */
    public static int[] indexWrite(Table table, Index index, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        boolean was = inIndex(index, before);
        boolean is = inIndex(index, after);
        if (!was && !is) {
            return new int[] {0, 0};
        }
        if (!was) {
            return new int[] {1, writeUnits(itemSize(entry(table, index, after)))};
        }
        if (!is) {
            return new int[] {1, writeUnits(itemSize(entry(table, index, before)))};
        }
        boolean keyChanged = index.keys().stream().anyMatch(k -> !Objects.equals(before.get(k), after.get(k)));
        Map<String, AttributeValue> oldEntry = entry(table, index, before);
        Map<String, AttributeValue> newEntry = entry(table, index, after);
        if (keyChanged) {
            return new int[] {2, writeUnits(itemSize(oldEntry)) + writeUnits(itemSize(newEntry))};
        }
        if (oldEntry.equals(newEntry)) {
            return new int[] {0, 0};
        }
        return new int[] {1, writeUnits(Math.max(itemSize(oldEntry), itemSize(newEntry)))};
    }

    /** Whether an item has an entry in the index: it defines every key attribute of the index (sparse indexes). */
    public static boolean inIndex(Index index, Map<String, AttributeValue> item) {
        return item != null && index.keys().stream().allMatch(item::containsKey);
    }

    /** The index entry of an item: the table's key, the index's key, and the projected attributes. */
    public static Map<String, AttributeValue> entry(Table table, Index index, Map<String, AttributeValue> item) {
        if (index.projection() == Projection.ALL) {
            return Map.copyOf(item);
        }
        Map<String, AttributeValue> entry = new LinkedHashMap<>();
        for (String key : table.keys()) {
            copy(item, key, entry);
        }
        for (String key : index.keys()) {
            copy(item, key, entry);
        }
        if (index.projection() == Projection.INCLUDE) {
            for (String attribute : index.included()) {
                copy(item, attribute, entry);
            }
        }
        return entry;
    }

    private static void copy(Map<String, AttributeValue> from, String name, Map<String, AttributeValue> to) {
        AttributeValue value = from.get(name);
        if (value != null) {
            to.put(name, value);
        }
    }

    /** The key of an item under a key schema (for capturing which item a PutItem writes). */
    public static Map<String, AttributeValue> key(List<String> keys, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String name : keys) {
            AttributeValue value = item.get(name);
            if (value == null) {
                throw new IllegalArgumentException("item lacks key attribute " + name);
            }
            key.put(name, value);
        }
        return key;
    }

    /** A binary value of this many bytes, for tests and examples. */
    static AttributeValue binary(int bytes) {
        return AttributeValue.builder().b(SdkBytes.fromByteArray(new byte[bytes])).build();
    }
}
