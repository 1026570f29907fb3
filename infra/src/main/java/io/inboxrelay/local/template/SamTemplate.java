package io.inboxrelay.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;

/**
 * template.yaml, read as the single source of truth for what the local stack stands up. The YAML
 * reader drops CloudFormation's short-form tags and keeps their operands ({@code !Ref X} reads as
 * {@code "X"}), which is all the local stack needs.
 */
public final class SamTemplate {

    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try {
            return new SamTemplate(new YAMLMapper().readTree(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The repository's template: system property {@code template.file}, else ./template.yaml or ../template.yaml. */
    public static SamTemplate fromRepository() {
        String configured = System.getProperty("template.file");
        if (configured != null) {
            return load(Path.of(configured));
        }
        for (Path candidate : List.of(Path.of("template.yaml"), Path.of("../template.yaml"))) {
            if (Files.isRegularFile(candidate)) {
                return load(candidate);
            }
        }
        throw new IllegalStateException("template.yaml not found (run from the repository root or set -Dtemplate.file)");
    }

    public JsonNode root() {
        return root;
    }

    /** Logical id → resource node, in template order, for every resource of the given type. */
    public Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        root.path("Resources").fields().forEachRemaining(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        });
        return found;
    }

    public JsonNode resource(String logicalId) {
        JsonNode node = root.path("Resources").path(logicalId);
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return node;
    }

    /**
     * A CreateTable request for each {@code AWS::DynamoDB::Table}, named {@code prefix + logicalId}.
     * Billing, keys, indexes and streams come from the template; TTL is applied separately by
     * {@link #timeToLiveAttributes()} because CreateTable cannot carry it.
     */
    public Map<String, CreateTableRequest> tables(String prefix) {
        Map<String, CreateTableRequest> tables = new LinkedHashMap<>();
        resourcesOfType("AWS::DynamoDB::Table").forEach((logicalId, resource) -> {
            JsonNode props = resource.path("Properties");
            CreateTableRequest.Builder request = CreateTableRequest.builder()
                    .tableName(prefix + logicalId)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes(props.path("AttributeDefinitions")))
                    .keySchema(keys(props.path("KeySchema")));
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            for (JsonNode index : props.path("GlobalSecondaryIndexes")) {
                indexes.add(GlobalSecondaryIndex.builder()
                        .indexName(index.path("IndexName").asText())
                        .keySchema(keys(index.path("KeySchema")))
                        .projection(Projection.builder()
                                .projectionType(index.path("Projection").path("ProjectionType").asText("ALL"))
                                .nonKeyAttributes(texts(index.path("Projection").path("NonKeyAttributes")))
                                .build())
                        .build());
            }
            if (!indexes.isEmpty()) {
                request.globalSecondaryIndexes(indexes);
            }
            JsonNode stream = props.path("StreamSpecification");
            if (!stream.isMissingNode()) {
                request.streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(stream.path("StreamViewType").asText())
                        .build());
            }
            tables.put(logicalId, request.build());
        });
        return tables;
    }

    /** Logical table id → TTL attribute name, for tables whose TTL is enabled. */
    public Map<String, String> timeToLiveAttributes() {
        Map<String, String> ttl = new LinkedHashMap<>();
        resourcesOfType("AWS::DynamoDB::Table").forEach((logicalId, resource) -> {
            JsonNode spec = resource.path("Properties").path("TimeToLiveSpecification");
            if (spec.path("Enabled").asBoolean(false)) {
                ttl.put(logicalId, spec.path("AttributeName").asText());
            }
        });
        return ttl;
    }

    private static List<AttributeDefinition> attributes(JsonNode definitions) {
        List<AttributeDefinition> result = new ArrayList<>();
        for (JsonNode definition : definitions) {
            result.add(AttributeDefinition.builder()
                    .attributeName(definition.path("AttributeName").asText())
                    .attributeType(definition.path("AttributeType").asText())
                    .build());
        }
        return result;
    }

    private static List<KeySchemaElement> keys(JsonNode schema) {
        List<KeySchemaElement> result = new ArrayList<>();
        for (JsonNode key : schema) {
            result.add(KeySchemaElement.builder()
                    .attributeName(key.path("AttributeName").asText())
                    .keyType(key.path("KeyType").asText())
                    .build());
        }
        return result;
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(node -> result.add(node.asText()));
        return result;
    }
}
