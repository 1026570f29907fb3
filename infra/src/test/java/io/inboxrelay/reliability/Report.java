package io.inboxrelay.reliability;

import java.util.ArrayList;
import java.util.List;

/** A two-column table of figures, printed to the test output (the README quotes it). */
final class Report {

    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Report(String title) {
        this.title = title;
    }

    Report row(String what, Object value) {
        rows.add(new String[] {what, String.valueOf(value)});
        return this;
    }

    void print() {
        int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(10);
        StringBuilder table = new StringBuilder("\n=== ").append(title).append('\n');
        for (String[] row : rows) {
            table.append(String.format("| %-" + width + "s | %s%n", row[0], row[1]));
        }
        // A test's output, not the code's logs: the figures are for the reader of the build.
        System.out.println(table);
    }
}
