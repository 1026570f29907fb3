package io.inboxrelay.local.lambda;

import io.inboxrelay.local.template.SamTemplate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every function of the template, by logical id. */
public final class LocalFunctions {

    private final Map<String, LocalFunction> functions = new LinkedHashMap<>();

    public LocalFunctions(SamTemplate template, ClassLoader loader) {
        template.functions().forEach((id, spec) -> functions.put(id, new LocalFunction(spec, loader)));
    }

    public Optional<LocalFunction> get(String logicalId) {
        return Optional.ofNullable(logicalId == null ? null : functions.get(logicalId));
    }

    public Map<String, LocalFunction> all() {
        return functions;
    }
}
