package io.gitcrq.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Prints a command's result: the raw response as pretty JSON under {@code --json}, human text otherwise. */
public final class Printer {

    private final PrintWriter out;
    private final boolean json;

    public Printer(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    public PrintWriter out() {
        return out;
    }

    public boolean json() {
        return json;
    }

    /** Prints {@code response} as JSON under {@code --json}, else runs {@code human}. */
    public void print(JsonNode response, Consumer<PrintWriter> human) {
        if (json) {
            out.println(response == null || response.isMissingNode() ? "{}" : Json.pretty(response));
        } else {
            human.accept(out);
        }
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /**
     * A table of JSON objects whose shape the CLI does not pin down (violations, merges, repos): the
     * {@code preferred} fields that any item has, in that order, then every other scalar field seen.
     */
    public static Table tableOf(List<JsonNode> items, List<String> preferred) {
        Set<String> columns = new LinkedHashSet<>();
        for (String field : preferred) {
            if (items.stream().anyMatch(item -> item.hasNonNull(field))) {
                columns.add(field);
            }
        }
        for (JsonNode item : items) {
            item.fieldNames().forEachRemaining(field -> {
                if (item.get(field).isValueNode()) {
                    columns.add(field);
                }
            });
        }
        List<String> fields = new ArrayList<>(columns);
        Table table = new Table(fields.stream().map(Printer::header).toList());
        for (JsonNode item : items) {
            List<String> cells = new ArrayList<>();
            for (String field : fields) {
                String value = Json.text(item, field);
                cells.add(
                        field.endsWith("At") || field.equals("at") || field.equals("time") ? timeOrDash(value) : value);
            }
            table.row(cells);
        }
        return table;
    }

    private static String timeOrDash(String value) {
        return value == null ? null : Json.time(value);
    }

    /** {@code defaultBranch} → {@code DEFAULT_BRANCH}. */
    static String header(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }
}
