package io.inboxrelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table the benchmark prints: each result next to its target and whether it is met. */
public final class Report {

    /** How a result compares with its target; INFO rows have no target. */
    public enum Status { MET, NOT_MET, INFO }

    /**
     * @param section which benchmark (ingest, fan-out, ...)
     * @param metric  what was measured
     * @param result  the number, formatted with its unit
     * @param target  the target as text ("" for none)
     */
    public record Row(String section, String metric, String result, String target, Status status) {
        String statusText() {
            return switch (status) {
                case MET -> "met";
                case NOT_MET -> "NOT met";
                case INFO -> "";
            };
        }
    }

    private final List<Row> rows = new ArrayList<>();

    public synchronized void info(String section, String metric, String result) {
        rows.add(new Row(section, metric, result, "", Status.INFO));
    }

    public synchronized void check(String section, String metric, String result, String target, boolean met) {
        rows.add(new Row(section, metric, result, target, met ? Status.MET : Status.NOT_MET));
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** A Markdown table (readable in a terminal, pasted as is into the README). */
    public synchronized String markdown() {
        String[] headers = {"benchmark", "metric", "result", "target", "status"};
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
        }
        for (Row row : rows) {
            String[] cells = cells(row);
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        String[] rule = new String[headers.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, rule, widths);
        for (Row row : rows) {
            line(out, cells(row), widths);
        }
        return out.toString();
    }

    private static String[] cells(Row row) {
        return new String[] {row.section(), row.metric(), row.result(), row.target(), row.statusText()};
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            out.append(' ').append(String.format(Locale.ROOT, "%-" + widths[i] + "s", cells[i])).append(" |");
        }
        out.append('\n');
    }

    static String ms(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f ms", millis) : String.format(Locale.ROOT, "%.1f ms", millis);
    }

    static String num(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
