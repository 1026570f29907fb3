package io.inboxrelay.core.signature;

import java.util.List;
import java.util.Objects;

/** The session secrets a scheme may try: a blank one can never authenticate anything. */
final class Secrets {

    private Secrets() {
    }

    static List<String> usable(List<String> secrets) {
        if (secrets == null) {
            return List.of();
        }
        return secrets.stream().filter(Objects::nonNull).filter(s -> !s.isEmpty()).toList();
    }
}
