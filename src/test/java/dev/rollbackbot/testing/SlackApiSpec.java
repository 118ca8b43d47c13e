package dev.rollbackbot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Slack's OpenAPI description of its Web API (test resource {@code slack/slack_web_openapi_v2.subset.json}), used to
 * check answers: a response is checked against the method's success schema when {@code ok} is true, else its error
 * schema (whose {@code error} is an enum of the codes the method returns). Supports what that file uses: {@code $ref},
 * {@code type}, {@code required}, {@code properties}, {@code additionalProperties: false}, {@code enum}, {@code pattern},
 * array {@code items}, and Slack's habit of a list under {@code items} meaning "any of these".
 */
public final class SlackApiSpec {
    private final JsonNode spec;

    private SlackApiSpec(JsonNode spec) {
        this.spec = spec;
    }

    public static SlackApiSpec load() throws IOException {
        try (InputStream in = SlackApiSpec.class.getResourceAsStream("/slack/slack_web_openapi_v2.subset.json")) {
            return new SlackApiSpec(new ObjectMapper().readTree(in));
        }
    }

    public boolean describes(String method) {
        return spec.path("paths").has("/" + method);
    }

    /** The problems of {@code response} as an answer of {@code method}; empty when it conforms. */
    public List<String> problems(String method, JsonNode response) {
        JsonNode op = spec.path("paths").path("/" + method).elements().next();
        JsonNode schema = op.path("responses").path(response.path("ok").asBoolean() ? "200" : "default").path("schema");
        List<String> out = new ArrayList<>();
        check(schema, response, method, out);
        return out;
    }

    /** The error codes the method's error schema lists. */
    public List<String> errors(String method) {
        JsonNode op = spec.path("paths").path("/" + method).elements().next();
        List<String> out = new ArrayList<>();
        op.path("responses").path("default").path("schema").path("properties").path("error").path("enum").forEach(e -> out.add(e.asText()));
        return out;
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/definitions/", "");
            schema = spec.path("definitions").path(name);
        }
        return schema;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> out) {
        schema = resolve(schema);
        if (schema.path("items").isArray() && !"array".equals(schema.path("type").asText())) {
            List<String> first = null;
            for (JsonNode option : schema.get("items")) { // "any of"
                List<String> p = new ArrayList<>();
                check(option, value, at, p);
                if (p.isEmpty()) {
                    return;
                }
                first = first == null ? p : first;
            }
            out.add(at + ": matches none of its alternatives (the first says " + first + ")");
            return;
        }
        JsonNode type = schema.path("type");
        if (type.isArray() ? java.util.stream.StreamSupport.stream(type.spliterator(), false).noneMatch(t -> hasType(value, t.asText()))
                : type.isTextual() && !hasType(value, type.asText())) {
            out.add(at + ": is " + value.getNodeType() + ", not " + type);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
            }
            if (!found) {
                out.add(at + ": " + value + " is not one of " + schema.get("enum"));
            }
        }
        if (schema.has("pattern") && value.isTextual() && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
            out.add(at + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) {
                    out.add(at + ": lacks required " + r.asText());
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode p = schema.path("properties").path(f.getKey());
                if (!p.isMissingNode()) {
                    check(p, f.getValue(), at + "." + f.getKey(), out);
                } else if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
                    out.add(at + ": has " + f.getKey() + ", which the schema does not allow");
                }
            }
        }
        if (value.isArray() && schema.path("items").isObject()) {
            int i = 0;
            for (JsonNode item : value) {
                check(schema.get("items"), item, at + "[" + i++ + "]", out);
            }
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "boolean" -> v.isBoolean();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "null" -> v.isNull();
            default -> true;
        };
    }
}
