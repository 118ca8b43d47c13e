package dev.rollbackbot.console;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Slack's external upload flow: an id and URL first ({@code files.getUploadURLExternal}), the bytes, then completion. */
final class Uploads {
    /** A file being uploaded or uploaded: its name, announced length and bytes once sent. */
    record Upload(String id, String filename, long length, byte[] bytes) {
        /** The type Slack would detect, from the name: what the page needs to show an image inline. */
        String mimetype() {
            String name = filename.toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".png")) {
                return "image/png";
            }
            if (name.endsWith(".md")) {
                return "text/markdown";
            }
            return name.endsWith(".txt") ? "text/plain" : "application/octet-stream";
        }
    }

    private final AtomicLong next = new AtomicLong(1);
    private final Map<String, Upload> files = new LinkedHashMap<>();

    synchronized Upload start(String filename, long length) {
        String id = String.format("F0CONSOLE%04d", next.getAndIncrement());
        Upload u = new Upload(id, filename, length, null);
        files.put(id, u);
        return u;
    }

    /** The bytes POSTed to the upload URL; false when no upload has that id. */
    synchronized boolean receive(String id, byte[] bytes) {
        Upload u = files.get(id);
        if (u == null) {
            return false;
        }
        files.put(id, new Upload(id, u.filename(), u.length(), bytes));
        return true;
    }

    synchronized Optional<Upload> get(String id) {
        return Optional.ofNullable(files.get(id));
    }
}
