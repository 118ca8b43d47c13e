package dev.rollbackbot.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.DatastoreConfig;
import dev.rollbackbot.config.DatastoreType;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backups folder: completeness, newest first, the default choice, and names that lead outside refused. */
class BackupFolderTest {
    private static final String DUMP = "create table t (i int);\n" + BackupFolder.PG_DUMP_COMPLETE + "\n";

    @TempDir
    Path dir;
    @TempDir
    Path outside;
    private DatastoreConfig db;
    private final BackupFolder folder = new BackupFolder();

    @BeforeEach
    void setUp() {
        db = new DatastoreConfig("db", DatastoreType.POSTGRES, Optional.empty(), Optional.of("127.0.0.1"), 5432, "app", "postgres",
                Optional.of(dir.toString()), Optional.empty(), 0);
    }

    private Path gz(String name, String text, int hoursAgo) throws Exception {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(hoursAgo * 3600L)));
        return p;
    }

    @Test
    void completenessIsAValidGzipEndingWithPgDumpsMarker() throws Exception {
        gz("good.sql.gz", DUMP, 3);
        gz("half.sql.gz", "create table t (i int);\n", 2);
        Path cut = gz("cut.sql.gz", DUMP.repeat(50), 1);
        byte[] all = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(all, all.length - 12));
        Files.setLastModifiedTime(cut, FileTime.from(Instant.now().minusSeconds(3600)));

        var list = folder.list(db);
        assertThat(list).extracting(Backup::name).containsExactly("cut.sql.gz", "half.sql.gz", "good.sql.gz");
        assertThat(list.get(0).problem()).get().asString().contains("truncated");
        assertThat(list.get(1).problem()).get().asString().contains("dump stopped half-way").doesNotContain("truncated");
        assertThat(list.get(2).complete()).isTrue();
    }

    @Test
    void theDefaultIsTheNewestCompleteBackupThatTheBotDidNotKeep() throws Exception {
        gz("nightly-1.sql.gz", DUMP, 5);
        gz("nightly-2.sql.gz", DUMP, 3);
        gz("db-pre-inc-7.sql.gz", DUMP, 1);
        gz("broken.sql.gz", "no marker", 0);
        assertThat(folder.choose(db, Optional.empty()).name()).isEqualTo("nightly-2.sql.gz");
        assertThat(folder.choose(db, Optional.of("db-pre-inc-7.sql.gz")).name()).isEqualTo("db-pre-inc-7.sql.gz");
        assertThatThrownBy(() -> folder.choose(db, Optional.of("broken.sql.gz"))).isInstanceOf(UserError.class)
                .hasMessageContaining("not complete");
    }

    @Test
    void namesLeadingOutsideTheFolderAreRefused() throws Exception {
        Path secret = outside.resolve("secret.sql.gz");
        Files.writeString(secret, "x");
        Files.createSymbolicLink(dir.resolve("link.sql.gz"), secret);
        gz("ok.sql.gz", DUMP, 1);
        for (String bad : new String[] {"../secret.sql.gz", secret.toString(), "./ok.sql.gz", ".hidden.sql.gz", "a/../ok.sql.gz"}) {
            assertThatThrownBy(() -> folder.resolve(db, bad)).as(bad).isInstanceOf(UserError.class).hasMessageContaining("nothing was changed");
        }
        assertThatThrownBy(() -> folder.resolve(db, "link.sql.gz")).isInstanceOf(UserError.class).hasMessageContaining("leads outside");
        assertThat(folder.list(db)).extracting(Backup::name).containsExactly("ok.sql.gz");
        assertThat(folder.resolve(db, "ok.sql.gz").complete()).isTrue();
    }

    @Test
    void aRedisFolderListsOnlyRdbFilesWithARedisHeader() throws Exception {
        DatastoreConfig redis = new DatastoreConfig("cache", DatastoreType.REDIS, Optional.of("cache"), Optional.empty(), 6379, "postgres",
                "postgres", Optional.of(dir.toString()), Optional.of("/data"), 0);
        Files.writeString(dir.resolve("good.rdb"), "REDIS0011...");
        Files.writeString(dir.resolve("bad.rdb"), "HELLO");
        gz("db.sql.gz", DUMP, 1);
        var list = folder.list(redis);
        assertThat(list).extracting(Backup::name).containsExactlyInAnyOrder("good.rdb", "bad.rdb");
        assertThat(list.stream().filter(b -> b.name().equals("bad.rdb")).findFirst().orElseThrow().complete()).isFalse();
    }
}
