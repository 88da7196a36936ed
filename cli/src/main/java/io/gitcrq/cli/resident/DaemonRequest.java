package io.gitcrq.cli.resident;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command line the {@code ./gitcrq} script hands the resident CLI (or a hook script the resident hook runner):
 * where the user is, the environment variables the CLI reads, and the arguments. On the wire (the body of {@code POST /run}) a sequence of NUL-terminated fields,
 * each a one-letter tag and a colon: {@code V:1} first (the format's version), then {@code C:<working directory>},
 * any number of {@code E:<NAME>=<value>} and {@code A:<argument>} — what bash's {@code printf '%s\0'} writes without
 * a helper process. Arguments keep their order; nothing is ever evaluated.
 */
public record DaemonRequest(Path workingDirectory, Map<String, String> env, List<String> args) {

    static final String VERSION = "1";

    /** At most this many bytes of request: a command line, not a file upload. */
    public static final int MAX_BYTES = 1 << 20;

    public DaemonRequest {
        env = Map.copyOf(env);
        args = List.copyOf(args);
    }

    /** Reads {@code body}; a body that is not a request of this version is refused with what is wrong. */
    public static DaemonRequest parse(byte[] body) {
        if (body.length > MAX_BYTES) {
            throw new IllegalArgumentException("request of " + body.length + " bytes: at most " + MAX_BYTES);
        }
        List<String> fields = fields(body);
        if (fields.isEmpty() || !fields.get(0).equals("V:" + VERSION)) {
            throw new IllegalArgumentException("not a request of version " + VERSION + " (it starts with "
                    + (fields.isEmpty() ? "nothing" : "'" + abbreviated(fields.get(0)) + "'") + ")");
        }
        Path cwd = null;
        Map<String, String> env = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (String field : fields.subList(1, fields.size())) {
            String value = field.length() >= 2 && field.charAt(1) == ':' ? field.substring(2) : null;
            switch (value == null ? '?' : field.charAt(0)) {
                case 'C' -> {
                    if (cwd != null || !value.startsWith("/")) {
                        throw new IllegalArgumentException(
                                "one absolute working directory, not '" + abbreviated(value) + "'");
                    }
                    cwd = Path.of(value);
                }
                case 'E' -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("an environment field is NAME=value, not '"
                                + abbreviated(value.substring(0, Math.max(eq, 0))) + "…'");
                    }
                    env.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case 'A' -> args.add(value);
                default -> throw new IllegalArgumentException("unknown field '" + abbreviated(field) + "'");
            }
        }
        if (cwd == null) {
            throw new IllegalArgumentException("no working directory (field C:)");
        }
        return new DaemonRequest(cwd, env, args);
    }

    /** The request in its wire form (what the script's printf writes). */
    public byte[] toBytes() {
        StringBuilder wire = new StringBuilder("V:" + VERSION + "\0C:" + workingDirectory + "\0");
        env.forEach((name, value) ->
                wire.append("E:").append(name).append('=').append(value).append('\0'));
        args.forEach(arg -> wire.append("A:").append(arg).append('\0'));
        return wire.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> fields(byte[] body) {
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                fields.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start != body.length) {
            throw new IllegalArgumentException("the last field is not NUL-terminated");
        }
        return fields;
    }

    /** A field quoted in an error: its start only (an environment value may be a secret, so never a value). */
    private static String abbreviated(String text) {
        return text.length() <= 24 ? text : text.substring(0, 24) + "…";
    }
}
