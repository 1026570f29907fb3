package io.inboxrelay.bench;

import io.inboxrelay.bench.AwsCapacity.Mode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Bench-only: what the requests of an SDK client would cost in AWS, computed with {@link AwsCapacity}
 * from the real item images, whatever the code under test does. For every write request the client
 * makes (PutItem, UpdateItem, DeleteItem, BatchWriteItem, each item of TransactWriteItems), it reads
 * each written item before the request is sent and again after it succeeded — consistent GetItems
 * through a separate client that nothing counts — and charges the table write (standard or
 * transactional) plus the index writes of the table's GSIs and LSIs (from DescribeTable: key schema
 * and projection). Reads (GetItem, Query, BatchGetItem, TransactGetItems) are charged from the items
 * they return.
 *
 * <p>Exact for requests that do not overlap on the same item (the cost bench sends its webhooks one at
 * a time). Not counted: writes that fail (a failed conditional write is still charged by AWS; none
 * happen in the cost run, and {@link #failedWrites()} says so), and the size of a Query's items when it
 * projects attributes (AWS charges the full items; the returned ones are smaller).
 */
public final class AwsUnitsMeter implements ExecutionInterceptor {

    private static final ExecutionAttribute<List<Pending>> PENDING = new ExecutionAttribute<>("bench.aws-units.pending");

    /** A write target: which item, of which table, by which request kind, billed how. */
    record Target(String kind, String table, Map<String, AttributeValue> key, Mode mode, boolean conditionOnly) {
    }

    record Pending(Target target, Map<String, AttributeValue> before) {
    }

    /** Accumulated units of one table or one request kind. */
    public static final class Tally {
        private long writes;
        private long base;
        private long index;
        private long indexIfDoubled;
        private long indexWrites;

        public long itemWrites() {
            return writes;
        }

        public long baseUnits() {
            return base;
        }

        public long indexUnits() {
            return index;
        }

        public long indexUnitsIfDoubled() {
            return indexIfDoubled;
        }

        public long indexWrites() {
            return indexWrites;
        }

        public long units() {
            return base + index;
        }

        void add(AwsCapacity.WriteCost cost) {
            writes++;
            base += cost.baseUnits();
            index += cost.indexUnits();
            indexIfDoubled += cost.indexUnitsIfDoubled();
            indexWrites += cost.indexWrites();
        }
    }

    private final DynamoDbClient inspector;
    private final Map<String, AwsCapacity.Table> tables = new ConcurrentHashMap<>();
    private final Map<String, Tally> byTable = new TreeMap<>();
    private final Map<String, Tally> byKind = new TreeMap<>();
    private final Tally total = new Tally();
    private final Map<String, Double> readsByOperation = new TreeMap<>();
    private long failedWrites;

    /** @param inspector a client for the same DynamoDB that this meter's requests do not go through */
    public AwsUnitsMeter(DynamoDbClient inspector) {
        this.inspector = inspector;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<Target> targets = targets(context.request());
        if (targets.isEmpty()) {
            return;
        }
        List<Pending> pending = new ArrayList<>(targets.size());
        for (Target target : targets) {
            pending.add(new Pending(target, image(target.table(), target.key())));
        }
        attributes.putAttribute(PENDING, pending);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        List<Pending> pending = attributes.getAttribute(PENDING);
        if (pending != null) {
            for (Pending p : pending) {
                Target t = p.target();
                Map<String, AttributeValue> after = t.conditionOnly() ? p.before() : image(t.table(), t.key());
                AwsCapacity.WriteCost cost = AwsCapacity.write(table(t.table()), p.before(), after, t.mode());
                if (t.conditionOnly()) {
                    // A ConditionCheck writes nothing, but takes part in prepare and commit like any item of the transaction
                    // ("two underlying reads or writes of every item"): charged as a transactional write of the item's size,
                    // no index writes. The pages do not price it separately; the current write path sends none.
                    cost = new AwsCapacity.WriteCost(AwsCapacity.baseWriteUnits(p.before(), null, Mode.TRANSACTIONAL), 0, 0, Map.of(), Mode.TRANSACTIONAL);
                }
                record(t, cost);
            }
        }
        reads(context.request(), context.response());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(PENDING) != null) {
            synchronized (this) {
                failedWrites++;
            }
        }
    }

    private synchronized void record(Target target, AwsCapacity.WriteCost cost) {
        byTable.computeIfAbsent(target.table(), k -> new Tally()).add(cost);
        byKind.computeIfAbsent(target.kind(), k -> new Tally()).add(cost);
        total.add(cost);
    }

    private synchronized void read(String operation, double units) {
        readsByOperation.merge(operation, units, Double::sum);
    }

    // ------------------------------------------------------------------ what a request writes

    List<Target> targets(SdkRequest request) {
        List<Target> targets = new ArrayList<>();
        if (request instanceof PutItemRequest r) {
            targets.add(new Target("PutItem", r.tableName(), keyOf(r.tableName(), r.item()), Mode.STANDARD, false));
        } else if (request instanceof UpdateItemRequest r) {
            targets.add(new Target("UpdateItem", r.tableName(), r.key(), Mode.STANDARD, false));
        } else if (request instanceof DeleteItemRequest r) {
            targets.add(new Target("DeleteItem", r.tableName(), r.key(), Mode.STANDARD, false));
        } else if (request instanceof BatchWriteItemRequest r) {
            r.requestItems().forEach((table, writes) -> {
                for (WriteRequest write : writes) {
                    if (write.putRequest() != null) {
                        targets.add(new Target("BatchWriteItem.Put", table, keyOf(table, write.putRequest().item()), Mode.STANDARD, false));
                    } else if (write.deleteRequest() != null) {
                        targets.add(new Target("BatchWriteItem.Delete", table, write.deleteRequest().key(), Mode.STANDARD, false));
                    }
                }
            });
        } else if (request instanceof TransactWriteItemsRequest r) {
            for (TransactWriteItem item : r.transactItems()) {
                if (item.put() != null) {
                    targets.add(new Target("TransactWriteItems.Put", item.put().tableName(),
                            keyOf(item.put().tableName(), item.put().item()), Mode.TRANSACTIONAL, false));
                } else if (item.update() != null) {
                    targets.add(new Target("TransactWriteItems.Update", item.update().tableName(), item.update().key(), Mode.TRANSACTIONAL, false));
                } else if (item.delete() != null) {
                    targets.add(new Target("TransactWriteItems.Delete", item.delete().tableName(), item.delete().key(), Mode.TRANSACTIONAL, false));
                } else if (item.conditionCheck() != null) {
                    targets.add(new Target("TransactWriteItems.ConditionCheck", item.conditionCheck().tableName(),
                            item.conditionCheck().key(), Mode.TRANSACTIONAL, true));
                }
            }
        }
        return targets;
    }

    private Map<String, AttributeValue> keyOf(String table, Map<String, AttributeValue> item) {
        return AwsCapacity.key(table(table).keys(), item);
    }

    /** The item as it is now (consistent read), or null. */
    private Map<String, AttributeValue> image(String table, Map<String, AttributeValue> key) {
        GetItemResponse response = inspector.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build());
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    /** The table's key schema and secondary indexes, from DescribeTable (cached). */
    AwsCapacity.Table table(String name) {
        return tables.computeIfAbsent(name, n -> describe(inspector.describeTable(r -> r.tableName(n)).table()));
    }

    static AwsCapacity.Table describe(TableDescription table) {
        List<AwsCapacity.Index> indexes = new ArrayList<>();
        if (table.hasGlobalSecondaryIndexes()) {
            table.globalSecondaryIndexes().forEach(i -> indexes.add(index(i.indexName(), i.keySchema(), i.projection())));
        }
        if (table.hasLocalSecondaryIndexes()) {
            table.localSecondaryIndexes().forEach(i -> indexes.add(index(i.indexName(), i.keySchema(), i.projection())));
        }
        return new AwsCapacity.Table(table.tableName(), keys(table.keySchema()), indexes);
    }

    private static AwsCapacity.Index index(String name, List<KeySchemaElement> schema,
                                           software.amazon.awssdk.services.dynamodb.model.Projection projection) {
        AwsCapacity.Projection type = switch (projection.projectionType()) {
            case ALL -> AwsCapacity.Projection.ALL;
            case INCLUDE -> AwsCapacity.Projection.INCLUDE;
            default -> AwsCapacity.Projection.KEYS_ONLY;
        };
        return new AwsCapacity.Index(name, keys(schema), type,
                projection.hasNonKeyAttributes() ? java.util.Set.copyOf(projection.nonKeyAttributes()) : java.util.Set.of());
    }

    private static List<String> keys(List<KeySchemaElement> schema) {
        return schema.stream().sorted(Comparator.comparing((KeySchemaElement k) -> k.keyType() == KeyType.HASH ? 0 : 1))
                .map(KeySchemaElement::attributeName).toList();
    }

    // ------------------------------------------------------------------ reads

    private void reads(SdkRequest request, SdkResponse response) {
        if (request instanceof GetItemRequest r && response instanceof GetItemResponse g) {
            Map<String, AttributeValue> item = g.hasItem() ? g.item() : null;
            if (item != null && r.projectionExpression() != null) {
                item = image(r.tableName(), r.key()); // AWS charges the full item whatever is projected
            }
            read("GetItem", AwsCapacity.readUnits(AwsCapacity.itemSize(item), Boolean.TRUE.equals(r.consistentRead())));
        } else if (request instanceof QueryRequest r && response instanceof QueryResponse q) {
            long bytes = q.hasItems() ? q.items().stream().mapToLong(AwsCapacity::itemSize).sum() : 0;
            read("Query", AwsCapacity.readUnits(bytes, Boolean.TRUE.equals(r.consistentRead())));
        } else if (response instanceof BatchGetItemResponse b && b.hasResponses()) {
            double units = b.responses().values().stream().flatMap(List::stream)
                    .mapToDouble(item -> AwsCapacity.readUnits(AwsCapacity.itemSize(item), false)).sum();
            read("BatchGetItem", units); // eventually consistent unless asked otherwise: a lower bound
        } else if (response instanceof TransactGetItemsResponse t && t.hasResponses()) {
            double units = t.responses().stream()
                    .mapToDouble(item -> AwsCapacity.transactionalReadUnits(AwsCapacity.itemSize(item.hasItem() ? item.item() : null))).sum();
            read("TransactGetItems", units);
        }
    }

    // ------------------------------------------------------------------ results

    public synchronized void reset() {
        byTable.clear();
        byKind.clear();
        readsByOperation.clear();
        total.writes = 0;
        total.base = 0;
        total.index = 0;
        total.indexIfDoubled = 0;
        total.indexWrites = 0;
        failedWrites = 0;
    }

    /** All item writes: write units, table and index. */
    public synchronized Tally total() {
        return copy(total);
    }

    public synchronized Map<String, Tally> byTable() {
        Map<String, Tally> copy = new LinkedHashMap<>();
        byTable.forEach((k, v) -> copy.put(k, copy(v)));
        return copy;
    }

    public synchronized Map<String, Tally> byKind() {
        Map<String, Tally> copy = new LinkedHashMap<>();
        byKind.forEach((k, v) -> copy.put(k, copy(v)));
        return copy;
    }

    /** Read units by operation. */
    public synchronized Map<String, Double> reads() {
        return new LinkedHashMap<>(readsByOperation);
    }

    public synchronized double readUnits() {
        return readsByOperation.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Write requests that failed (not charged here). */
    public synchronized long failedWrites() {
        return failedWrites;
    }

    private static Tally copy(Tally t) {
        Tally c = new Tally();
        c.writes = t.writes;
        c.base = t.base;
        c.index = t.index;
        c.indexIfDoubled = t.indexIfDoubled;
        c.indexWrites = t.indexWrites;
        return c;
    }
}
