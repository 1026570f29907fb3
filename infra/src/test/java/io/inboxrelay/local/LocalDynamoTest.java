package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.local.template.SamTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

class LocalDynamoTest {

    private static LocalDynamo dynamo;

    @BeforeAll
    static void start() {
        dynamo = LocalDynamo.startInMemory().createTables(SamTemplate.fromRepository());
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    @Test
    void every_table_of_the_template_exists_with_its_keys_indexes_and_stream() {
        assertThat(dynamo.client().listTables().tableNames())
                .containsExactlyInAnyOrderElementsOf(LocalDynamo.TABLE_ENV.keySet());

        TableDescription events = dynamo.client().describeTable(r -> r.tableName("EventsTable")).table();
        assertThat(events.keySchema()).extracting(k -> k.attributeName()).containsExactly("tenantId", "cursor");
        assertThat(events.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_IMAGE);
        assertThat(events.latestStreamArn()).isNotBlank();

        TableDescription messages = dynamo.client().describeTable(r -> r.tableName("MessagesTable")).table();
        assertThat(messages.globalSecondaryIndexes()).extracting(i -> i.indexName()).containsExactly("conversation-index");
    }

    @Test
    void time_to_live_is_enabled_where_the_template_enables_it() {
        assertThat(dynamo.client().describeTimeToLive(r -> r.tableName("ConnectionsTable"))
                .timeToLiveDescription().attributeName()).isEqualTo("expiresAt");
    }
}
