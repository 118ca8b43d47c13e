package dev.rollbackbot.testing;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link FakeSlack}'s side of Slack's external upload flow, with the arguments Slack's reference pages require
 * ({@code filename} and a numeric {@code length}; a non-empty {@code files} array of {@code {id, title}}), answering
 * {@code invalid_arguments} otherwise. Slack's 2021 OpenAPI description predates these methods.
 */
final class FakeUploads {
    private FakeUploads() {
    }

    /** Answers files.getUploadURLExternal: a new file id and an upload URL for it on this server; filename and length required. */
    static final class UploadUrl implements ResponseDefinitionTransformerV2 {
        static final String NAME = "slack-upload-url";
        private final AtomicLong next = new AtomicLong(1);

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Map<String, String> args = FakeSlack.form(event.getRequest().getBodyAsString());
            String length = args.getOrDefault("length", "");
            if (args.getOrDefault("filename", "").isBlank() || !length.matches("[0-9]+")) {
                return ResponseDefinition.okForJson(Map.of("ok", false, "error", "invalid_arguments"));
            }
            String id = String.format("F0FAKE%05d", next.getAndIncrement());
            String base = event.getRequest().getAbsoluteUrl().replaceFirst("/api/.*$", "");
            return ResponseDefinition.okForJson(Map.of("ok", true, "upload_url", base + "/upload/" + id, "file_id", id));
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    /** Answers files.completeUploadExternal with the files it names; files (a JSON array of {id, title}) required. */
    static final class CompletedFiles implements ResponseDefinitionTransformerV2 {
        static final String NAME = "slack-completed-files";

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                var files = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        FakeSlack.form(event.getRequest().getBodyAsString()).getOrDefault("files", ""));
                if (!files.isArray() || files.isEmpty()) {
                    return ResponseDefinition.okForJson(Map.of("ok", false, "error", "invalid_arguments"));
                }
                List<Map<String, String>> out = new ArrayList<>();
                files.forEach(f -> out.add(Map.of("id", f.path("id").asText(), "title", f.path("title").asText(""))));
                return ResponseDefinition.okForJson(Map.of("ok", true, "files", out));
            } catch (Exception e) {
                return ResponseDefinition.okForJson(Map.of("ok", false, "error", "invalid_arguments"));
            }
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
