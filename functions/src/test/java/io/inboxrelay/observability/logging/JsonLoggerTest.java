package io.inboxrelay.observability.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;

class JsonLoggerTest {

    private final List<String> lines = new ArrayList<>();
    private final BasicMDCAdapter mdc = new BasicMDCAdapter();
    private final JsonLoggerFactory factory = new JsonLoggerFactory(lines::add, new LogLevels(Level.INFO), mdc);

    @Test
    void an_event_is_one_json_line_with_the_mdc_fields_at_the_top_level() {
        mdc.put("tenantId", "acme");
        mdc.put("sessionId", "s1");
        factory.getLogger("io.inboxrelay.handler.WebhookHandler").info("webhook answered status={} outcome={}", 200, "stored");

        assertThat(lines).hasSize(1);
        JsonNode line = Json.parse(lines.get(0));
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("message").asText()).isEqualTo("webhook answered status=200 outcome=stored");
        assertThat(line.path("tenantId").asText()).isEqualTo("acme");
        assertThat(line.path("sessionId").asText()).isEqualTo("s1");
        assertThat(line.path("logger").asText()).isEqualTo("io.inboxrelay.handler.WebhookHandler");
    }

    @Test
    void a_throwable_argument_becomes_the_exception_field_with_its_causes() {
        Exception failure = new IllegalStateException("outer", new java.io.IOException("inner"));
        factory.getLogger("x").error("write failed tenantId={}", "acme", failure);

        JsonNode line = Json.parse(lines.get(0));
        assertThat(line.path("message").asText()).isEqualTo("write failed tenantId=acme");
        assertThat(line.path("exception").asText()).contains("IllegalStateException: outer", "Caused by: java.io.IOException: inner", "\tat ");
    }

    @Test
    void levels_below_the_threshold_and_library_chatter_are_dropped() {
        factory.getLogger("io.inboxrelay.x").debug("hidden");
        factory.getLogger("software.amazon.awssdk.request").info("hidden too");
        factory.getLogger("software.amazon.awssdk.request").warn("shown");
        assertThat(lines).hasSize(1);
        assertThat(Json.parse(lines.get(0)).path("message").asText()).isEqualTo("shown");
    }

    @Test
    void metric_lines_are_printed_exactly_as_written() {
        factory.getLogger(JsonLogger.METRICS_LOGGER).info("{\"_aws\":{}}");
        assertThat(lines).containsExactly("{\"_aws\":{}}");
    }

    @Test
    void the_functions_log_through_this_backend() {
        Logger logger = LoggerFactory.getLogger(JsonLoggerTest.class);
        assertThat(logger).isInstanceOf(JsonLogger.class);
    }
}
