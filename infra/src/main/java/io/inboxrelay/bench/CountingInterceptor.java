package io.inboxrelay.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts the requests an SDK client makes, by operation, with their latency; on DynamoDB it asks
 * every request for its consumed capacity (ReturnConsumedCapacity TOTAL) and adds it up.
 */
public final class CountingInterceptor implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");

    /** Operations that write (and are billed as writes). */
    public static final java.util.Set<String> WRITES = java.util.Set.of(
            "PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem");

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (request instanceof TransactWriteItemsRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof PutItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof UpdateItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof DeleteItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof GetItemRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof QueryRequest r) {
            return r.toBuilder().returnConsumedCapacity(total).build();
        }
        return request;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(operation, o -> new LongAdder()).increment();
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            nanos.computeIfAbsent(operation, o -> new LongAdder()).add(System.nanoTime() - started);
        }
        SdkResponse response = context.response();
        double units = 0;
        if (response instanceof TransactWriteItemsResponse r && r.hasConsumedCapacity()) {
            units = r.consumedCapacity().stream().mapToDouble(CountingInterceptor::units).sum();
        } else if (response instanceof PutItemResponse r) {
            units = units(r.consumedCapacity());
        } else if (response instanceof UpdateItemResponse r) {
            units = units(r.consumedCapacity());
        } else if (response instanceof DeleteItemResponse r) {
            units = units(r.consumedCapacity());
        } else if (response instanceof GetItemResponse r) {
            units = units(r.consumedCapacity());
        } else if (response instanceof QueryResponse r) {
            units = units(r.consumedCapacity());
        }
        (WRITES.contains(operation) ? writeUnits : readUnits).add(units);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        requests.computeIfAbsent(operation + " (failed)", o -> new LongAdder()).increment();
    }

    private static double units(ConsumedCapacity capacity) {
        if (capacity == null) {
            return 0;
        }
        // DynamoDB Local fills CapacityUnits; AWS also splits it into read and write units.
        return capacity.capacityUnits() != null ? capacity.capacityUnits()
                : (capacity.writeCapacityUnits() == null ? 0 : capacity.writeCapacityUnits())
                + (capacity.readCapacityUnits() == null ? 0 : capacity.readCapacityUnits());
    }

    public void reset() {
        requests.clear();
        nanos.clear();
        writeUnits.reset();
        readUnits.reset();
    }

    public Map<String, Long> requests() {
        Map<String, Long> counts = new TreeMap<>();
        requests.forEach((operation, count) -> counts.put(operation, count.sum()));
        return counts;
    }

    public long requests(String operation) {
        LongAdder count = requests.get(operation);
        return count == null ? 0 : count.sum();
    }

    public long writeRequests() {
        return requests.entrySet().stream().filter(e -> WRITES.contains(e.getKey())).mapToLong(e -> e.getValue().sum()).sum();
    }

    public long totalRequests() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Mean latency of an operation in milliseconds. */
    public double meanMillis(String operation) {
        LongAdder total = nanos.get(operation);
        long count = requests(operation);
        return total == null || count == 0 ? Double.NaN : total.sum() / 1e6 / count;
    }

    public double writeUnits() {
        return writeUnits.sum();
    }

    public double readUnits() {
        return readUnits.sum();
    }
}
