package io.inboxrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.local.LocalDynamo;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The meter against DynamoDB Local: whatever requests a client makes, the units are AWS's rules applied
 * to the items as they were before and after (DynamoDB Local's own ConsumedCapacity plays no part).
 */
class AwsUnitsMeterTest {

    private static LocalDynamo dynamo;
    private static final String TABLE = "MeterTest";

    private AwsUnitsMeter meter;
    private DynamoDbClient client;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory();
        // Key "id"; a KEYS_ONLY index on "status" and an ALL index on "owner" + "sort".
        dynamo.client().createTable(r -> r.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("id"), attribute("status"), attribute("owner"), attribute("sort"))
                .keySchema(key("id", KeyType.HASH))
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder().indexName("by-status").keySchema(key("status", KeyType.HASH))
                                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build(),
                        GlobalSecondaryIndex.builder().indexName("by-owner").keySchema(key("owner", KeyType.HASH), key("sort", KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @BeforeEach
    void meter() {
        meter = new AwsUnitsMeter(dynamo.client());
        client = DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(meter))
                .build();
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static Map<String, AttributeValue> item(String id, String status, String owner, String body) {
        return Map.of("id", s(id), "status", s(status), "owner", s(owner), "sort", s("0001"), "body", s(body));
    }

    @Test
    void a_put_of_a_new_item_is_one_table_write_and_one_write_per_index_it_appears_in() {
        client.putItem(r -> r.tableName(TABLE).item(item("a", "open", "ana", "hello")));

        AwsUnitsMeter.Tally total = meter.total();
        assertThat(total.baseUnits()).isEqualTo(1);
        assertThat(total.indexWrites()).isEqualTo(2);
        assertThat(total.units()).isEqualTo(3);
        assertThat(meter.byKind()).containsOnlyKeys("PutItem");
        assertThat(meter.byTable()).containsOnlyKeys(TABLE);
    }

    @Test
    void updates_charge_what_changed_in_each_index() {
        client.putItem(r -> r.tableName(TABLE).item(item("b", "open", "ana", "hello")));
        meter.reset();

        // A non-key attribute: KEYS_ONLY index untouched, ALL index rewritten.
        client.updateItem(r -> r.tableName(TABLE).key(Map.of("id", s("b"))).updateExpression("SET body = :b")
                .expressionAttributeValues(Map.of(":b", s("edited"))));
        assertThat(meter.total().units()).isEqualTo(1 + 0 + 1);

        // Both index keys: a delete and a put in each index.
        meter.reset();
        client.updateItem(r -> r.tableName(TABLE).key(Map.of("id", s("b"))).updateExpression("SET #s = :s, #o = :o")
                .expressionAttributeNames(Map.of("#s", "status", "#o", "owner"))
                .expressionAttributeValues(Map.of(":s", s("closed"), ":o", s("bob"))));
        assertThat(meter.total().indexWrites()).isEqualTo(4);
        assertThat(meter.total().units()).isEqualTo(1 + 2 + 2);

        // Removing an index key: one delete there.
        meter.reset();
        client.updateItem(r -> r.tableName(TABLE).key(Map.of("id", s("b"))).updateExpression("REMOVE #s")
                .expressionAttributeNames(Map.of("#s", "status")));
        assertThat(meter.total().units()).isEqualTo(1 + 1 + 1); // by-status: delete; by-owner (ALL): entry rewritten
    }

    @Test
    void a_transaction_doubles_the_table_writes_and_charges_index_writes_once() {
        client.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("c", "open", "ana", "x"))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("id", s("d"), "body", s("no index keys")))).build()));

        AwsUnitsMeter.Tally total = meter.total();
        assertThat(total.itemWrites()).isEqualTo(2);
        assertThat(total.baseUnits()).isEqualTo(2 + 2);
        assertThat(total.indexUnits()).isEqualTo(2);
        assertThat(total.indexUnitsIfDoubled()).isEqualTo(4);
        assertThat(meter.byKind()).containsOnlyKeys("TransactWriteItems.Put");
    }

    @Test
    void a_batch_rounds_each_item_and_a_delete_charges_the_deleted_item_and_its_index_entries() {
        String big = "x".repeat(1500); // item > 1 KB: 2 units; its ALL-index entry too
        client.batchWriteItem(r -> r.requestItems(Map.of(TABLE, java.util.List.of(
                WriteRequest.builder().putRequest(PutRequest.builder().item(item("e", "open", "ana", "small")).build()).build(),
                WriteRequest.builder().putRequest(PutRequest.builder().item(item("f", "open", "ana", big)).build()).build()))));
        assertThat(meter.total().baseUnits()).isEqualTo(1 + 2);
        assertThat(meter.total().indexUnits()).isEqualTo((1 + 1) + (1 + 2));

        meter.reset();
        client.deleteItem(r -> r.tableName(TABLE).key(Map.of("id", s("f"))));
        assertThat(meter.total().units()).isEqualTo(2 + 1 + 2);
    }

    @Test
    void reads_are_charged_from_the_items_they_return() {
        client.putItem(r -> r.tableName(TABLE).item(item("g", "open", "ana", "hello")));
        meter.reset();

        client.getItem(r -> r.tableName(TABLE).key(Map.of("id", s("g"))).consistentRead(true));
        client.getItem(r -> r.tableName(TABLE).key(Map.of("id", s("missing"))));
        assertThat(meter.reads()).containsEntry("GetItem", 1.0 + 0.5);
        assertThat(meter.total().itemWrites()).isZero();
    }
}
