package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.stream.EventPattern;
import org.junit.jupiter.api.Test;

class EventPatternTest {

    private static final JsonNode RECORD = Json.parse("""
            {"eventName":"INSERT","dynamodb":{"NewImage":{"type":{"S":"new_message"},"count":{"N":"5"},
             "tags":{"SS":["a","b"]}}}}""");

    private static boolean matches(String pattern) {
        return EventPattern.matches(Json.parse(pattern), RECORD);
    }

    @Test
    void literal_values_match_exactly() {
        assertThat(matches("{\"eventName\":[\"INSERT\"]}")).isTrue();
        assertThat(matches("{\"eventName\":[\"MODIFY\",\"REMOVE\"]}")).isFalse();
    }

    @Test
    void nested_fields_prefix_and_suffix() {
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"type\":{\"S\":[{\"prefix\":\"new_\"}]}}}}")).isTrue();
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"type\":{\"S\":[{\"prefix\":\"session\"}]}}}}")).isFalse();
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"type\":{\"S\":[{\"suffix\":\"message\"}]}}}}")).isTrue();
    }

    @Test
    void exists_checks_presence_and_absence() {
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"type\":[{\"exists\":true}]}}}")).isTrue();
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"gone\":[{\"exists\":false}]}}}")).isTrue();
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"type\":[{\"exists\":false}]}}}")).isFalse();
    }

    @Test
    void numeric_anything_but_and_arrays() {
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"count\":{\"N\":[{\"numeric\":[\">\",1,\"<=\",5]}]}}}}")).isTrue();
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"count\":{\"N\":[{\"numeric\":[\">\",5]}]}}}}")).isFalse();
        assertThat(matches("{\"eventName\":[{\"anything-but\":[\"REMOVE\"]}]}")).isTrue();
        assertThat(matches("{\"dynamodb\":{\"NewImage\":{\"tags\":{\"SS\":[\"b\"]}}}}")).isTrue();
    }
}
