package io.inboxrelay.core.provider;

import java.util.Locale;

/** Folds the spellings of one event name ({@code MESSAGES_UPSERT}, {@code messages-upsert}) into the dotted form. */
final class EventNames {

    private EventNames() {
    }

    static String fold(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return name.trim().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    }
}
