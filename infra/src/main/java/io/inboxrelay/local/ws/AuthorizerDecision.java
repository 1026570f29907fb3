package io.inboxrelay.local.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inboxrelay.core.Json;

/**
 * What a REQUEST authorizer's answer means to API Gateway: an IAM policy whose statements allow or
 * deny {@code execute-api:Invoke} (a simple {@code isAuthorized} answer is read too), plus the
 * principal and context handed to every route of the connection.
 *
 * @param status  0 when allowed, else the HTTP status the upgrade is refused with
 * @param context principalId and context entries, for requestContext.authorizer
 */
record AuthorizerDecision(int status, ObjectNode context) {

    static AuthorizerDecision unauthorized() {
        return new AuthorizerDecision(401, null);
    }

    static AuthorizerDecision failed() {
        return new AuthorizerDecision(500, null);
    }

    boolean allowed() {
        return status == 0;
    }

    static AuthorizerDecision from(JsonNode result, long latencyMs) {
        boolean allowed;
        if (result.has("isAuthorized")) {
            allowed = result.path("isAuthorized").asBoolean(false);
        } else {
            JsonNode statements = result.path("policyDocument").path("Statement");
            if (!statements.isArray() || statements.isEmpty()) {
                return failed();
            }
            allowed = true;
            boolean anyAllow = false;
            for (JsonNode statement : statements) {
                String effect = statement.path("Effect").asText();
                allowed &= !"Deny".equalsIgnoreCase(effect);
                anyAllow |= "Allow".equalsIgnoreCase(effect);
            }
            allowed &= anyAllow;
        }
        if (!allowed) {
            return new AuthorizerDecision(403, null);
        }
        ObjectNode context = Json.object();
        if (result.hasNonNull("principalId")) {
            context.put("principalId", result.path("principalId").asText());
        }
        result.path("context").fields().forEachRemaining(entry -> {
            // API Gateway only passes string, number and boolean context values
            if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                context.set(entry.getKey(), entry.getValue());
            }
        });
        context.put("integrationLatency", latencyMs);
        return new AuthorizerDecision(0, context);
    }
}
