package dev.rollbackbot.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** The one-file tar archives the engine's archive API reads and writes. */
final class Tar {
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private Tar() {
    }

    /** A tar holding one regular file {@code name} with {@code content} (mode 0644, owned by root). */
    static byte[] oneFile(String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 2048);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            e.setMode(0100644);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
            tar.finish();
        }
        return out.toByteArray();
    }

    /** The content of the first entry of {@code archive}, which must be a regular file. */
    static String firstFile(InputStream archive, String what) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
            TarArchiveEntry e = tar.getNextEntry();
            if (e == null) {
                throw new IOException(what + ": the engine sent an empty archive");
            }
            if (!e.isFile()) {
                throw new IOException(what + " is not a regular file");
            }
            if (e.getSize() > MAX_BYTES) {
                throw new IOException(what + " is " + e.getSize() + " bytes, more than the " + MAX_BYTES + " read");
            }
            return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
