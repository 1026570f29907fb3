package io.inboxrelay.local.template;

import java.time.Duration;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} of the template.
 *
 * @param logicalId   its logical id
 * @param handler     {@code pkg.Class::method} as written in the template
 * @param environment its environment variables (Globals merged with its own), references resolved locally
 * @param timeout     its Timeout, which the local {@code Context} counts down from
 * @param memoryMb    its MemorySize, reported by the local {@code Context}
 */
public record FunctionSpec(String logicalId, String handler, Map<String, String> environment, Duration timeout, int memoryMb) {

    public String className() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    public String methodName() {
        int separator = handler.indexOf("::");
        return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
    }
}
