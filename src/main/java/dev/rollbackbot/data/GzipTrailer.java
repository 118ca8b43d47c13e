package dev.rollbackbot.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** A gzip file's last 8 bytes (CRC-32 and length of the data, mod 2^32): proof that the whole stream reached the file. */
final class GzipTrailer {
    private GzipTrailer() {
    }

    /** Why the file's trailer is not the one of {@code crc32} over {@code length} bytes; empty when it is. */
    static Optional<String> mismatch(Path file, long crc32, long length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 18) {
                return Optional.of("the file is too short for a gzip stream");
            }
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, size - 8);
            b.flip();
            long crc = b.getInt() & 0xffffffffL;
            long isize = b.getInt() & 0xffffffffL;
            if (crc != crc32 || isize != (length & 0xffffffffL)) {
                return Optional.of("its gzip trailer does not match what pg_dump wrote: the file is truncated or changed");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read it back: " + e.getMessage());
        }
    }
}
