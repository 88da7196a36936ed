package io.gitcrq.model.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets as {@value #MASK} in what a caller asked for (the arguments of a tool call) before it goes on the
 * record: the whole value of an argument whose name says it is a secret (token, password, secret, credential, api
 * key, private key, authorization, cookie), at any depth; in every other string, what looks like a credential (an
 * {@code Authorization} scheme's value, a URL's password, {@code password=…} and {@code --token …}, well-known token
 * shapes: GitHub, GitLab, Slack, AWS access keys, {@code sk-…} API keys, JWTs); and the secrets known to be the
 * caller's (their own credentials) in each of their encoded forms ({@link KnownSecrets}, as every redactor of gitcrq
 * masks them; only secrets of {@value SecretForms#MIN_ENCODED_LENGTH} bytes or more: a shorter one, such as a
 * development user's password, would mask ordinary words).
 */
public final class SecretArguments {

    public static final String MASK = KnownSecrets.MASK;

    private static final String SECRET_WORD =
            "(?:token|passw(?:or)?d|pwd|secret|credential|api[-_]?key|private[-_]?key|authorization|cookie)";

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*" + SECRET_WORD + ".*");

    /** Text patterns, each with the secret as its group "s"; what surrounds it stays. */
    private static final List<Pattern> CREDENTIAL_SHAPES = List.of(
            Pattern.compile("(?i)\\b(?:bearer|basic|token)\\s+(?<s>[A-Za-z0-9._~+/=-]{8,})"),
            Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:(?<s>[^/\\s@]+)@"),
            Pattern.compile("(?i)\\b[A-Za-z0-9_.-]*" + SECRET_WORD
                    + "[A-Za-z0-9_.-]*\\s*[=:]\\s*(?!(?i:bearer|basic)\\s)(?<s>\"[^\"]*\"|'[^']*'|[^\\s&;,]+)"),
            Pattern.compile("(?i)(?:^|\\s)--?[A-Za-z0-9_.-]*" + SECRET_WORD
                    + "[A-Za-z0-9_.-]*\\s+(?<s>\"[^\"]*\"|'[^']*'|[^\\s\"'-][^\\s]*)"),
            Pattern.compile(
                    "(?<s>\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}"
                            + "|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{20,}"
                            + "|eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}))"));

    private static final SecretArguments NONE_KNOWN = new SecretArguments(List.of());

    private final KnownSecrets known;

    private SecretArguments(Collection<String> secrets) {
        this.known = KnownSecrets.of(secrets.stream()
                .filter(Objects::nonNull)
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length >= SecretForms.MIN_ENCODED_LENGTH)
                .toList());
    }

    /** A masker that also masks {@code secrets} (e.g. the caller's own password or token) wherever they appear. */
    public static SecretArguments knowing(Collection<String> secrets) {
        return secrets.isEmpty() ? NONE_KNOWN : new SecretArguments(secrets);
    }

    /** A masker that knows no secret values: names and credential shapes only. */
    public static SecretArguments shapesOnly() {
        return NONE_KNOWN;
    }

    /** Whether an argument of this name holds a secret (its whole value is masked). */
    public static boolean isSecretName(String name) {
        return name != null && SECRET_NAME.matcher(name).matches();
    }

    /** The arguments (name to value) as a JSON object, secrets masked; null values kept as JSON null. */
    public ObjectNode mask(Map<String, ?> arguments) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        if (arguments != null) {
            arguments.forEach((name, value) ->
                    object.set(name, isSecretName(name) && value != null ? masked() : mask(toJson(value))));
        }
        return object;
    }

    /** A copy of {@code value} with its secrets masked. */
    public JsonNode mask(JsonNode value) {
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value.isTextual()) {
            return JsonNodeFactory.instance.textNode(mask(value.asText()));
        }
        if (value.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                object.set(
                        field.getKey(),
                        isSecretName(field.getKey()) && !field.getValue().isNull() ? masked() : mask(field.getValue()));
            }
            return object;
        }
        if (value.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            value.forEach(element -> array.add(mask(element)));
            return array;
        }
        return value.deepCopy();
    }

    /** {@code text} with known secrets and credential-looking values masked; null stays null. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = known.mask(text);
        for (Pattern shape : CREDENTIAL_SHAPES) {
            masked = maskGroup(shape, masked);
        }
        return masked;
    }

    private static String maskGroup(Pattern shape, String text) {
        Matcher m = shape.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start("s")).append(MASK);
            last = m.end("s");
        }
        return last == 0 ? text : out.append(text, last, text.length()).toString();
    }

    private static JsonNode masked() {
        return JsonNodeFactory.instance.textNode(MASK);
    }

    private static JsonNode toJson(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof String text) {
            return JsonNodeFactory.instance.textNode(text);
        }
        if (value instanceof Integer i) {
            return JsonNodeFactory.instance.numberNode(i);
        }
        if (value instanceof Long l) {
            return JsonNodeFactory.instance.numberNode(l);
        }
        if (value instanceof Boolean b) {
            return JsonNodeFactory.instance.booleanNode(b);
        }
        if (value instanceof Collection<?> values) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            values.forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        return JsonNodeFactory.instance.textNode(String.valueOf(value));
    }
}
