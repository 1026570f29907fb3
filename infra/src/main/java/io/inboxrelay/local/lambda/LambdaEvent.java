package io.inboxrelay.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event as AWS delivers it: its JSON form, and optionally the aws-lambda-java-events object built
 * directly (for types whose JSON names Jackson cannot map, such as DynamoDB attribute values).
 *
 * @param json  the event exactly as it travels to Lambda
 * @param typed the same event as an aws-lambda-java-events object, or null to derive it from the JSON
 */
public record LambdaEvent(JsonNode json, Object typed) {

    public static LambdaEvent of(JsonNode json) {
        return new LambdaEvent(json, null);
    }
}
