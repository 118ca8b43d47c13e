package dev.rollbackbot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reads what people would see out of Slack JSON: every {@code text} string, decoded. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static String texts(String json) {
        if (json == null || json.isBlank()) {
            return "";
        }
        try {
            List<String> out = new ArrayList<>();
            collect(MAPPER.readTree(json), out);
            return String.join("\n", out);
        } catch (Exception e) {
            return json;
        }
    }

    private static void collect(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(f -> {
                if (f.getKey().equals("text") && f.getValue().isTextual()) {
                    out.add(f.getValue().asText());
                } else {
                    collect(f.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, out));
        }
    }
}
