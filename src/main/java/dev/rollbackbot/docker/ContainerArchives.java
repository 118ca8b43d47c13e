package dev.rollbackbot.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Files copied into and out of containers through the engine's archive API (tar streams), never a shell. */
final class ContainerArchives {
    private final EngineConnection engine;

    ContainerArchives(EngineConnection engine) {
        this.engine = engine;
    }

    boolean copyOut(String container, String path, Path local) {
        return engine.call("copy " + path + " out of " + container, () -> {
            try (var tar = new TarArchiveInputStream(engine.client().copyArchiveFromContainerCmd(container, path).exec())) {
                var entry = tar.getNextEntry();
                while (entry != null && !entry.isFile()) {
                    entry = tar.getNextEntry();
                }
                if (entry == null) {
                    return false;
                }
                Files.copy(tar, local, StandardCopyOption.REPLACE_EXISTING);
                return true;
            } catch (NotFoundException e) {
                return false;
            } catch (IOException e) {
                throw new EngineException("could not copy " + path + " out of " + container + ": " + e.getMessage());
            }
        });
    }

    String readFile(String container, String path) {
        return engine.call("read " + path + " in " + container, () -> {
            try (InputStream in = engine.client().copyArchiveFromContainerCmd(container, path).exec()) {
                return Tar.firstFile(in, path + " in " + container);
            } catch (IOException e) {
                throw new EngineException("could not read " + path + " in container " + container + ": " + e.getMessage());
            }
        });
    }

    void copyIn(String container, String dir, String name, Path local) {
        engine.call("copy " + name + " into " + container + ":" + dir, () -> {
            Path tarFile = null;
            try {
                tarFile = Files.createTempFile("rollback-bot-copy", ".tar");
                try (var tar = new TarArchiveOutputStream(Files.newOutputStream(tarFile))) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    var entry = new TarArchiveEntry(name);
                    entry.setSize(Files.size(local));
                    entry.setMode(0100644);
                    tar.putArchiveEntry(entry);
                    Files.copy(local, tar);
                    tar.closeArchiveEntry();
                }
                try (var in = Files.newInputStream(tarFile)) {
                    engine.client().copyArchiveToContainerCmd(container).withRemotePath(dir).withTarInputStream(in).exec();
                }
                return null;
            } catch (IOException e) {
                throw new EngineException("could not copy " + name + " into " + container + ": " + e.getMessage());
            } finally {
                if (tarFile != null) {
                    tarFile.toFile().delete();
                }
            }
        });
    }

    void writeFile(String container, String path, String content) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        engine.call("write " + path + " in " + container, () -> {
            try (InputStream tar = new ByteArrayInputStream(Tar.oneFile(path.substring(slash + 1), content))) {
                engine.client().copyArchiveToContainerCmd(container).withRemotePath(dir).withTarInputStream(tar).exec();
                return null;
            } catch (IOException e) {
                throw new EngineException("could not write " + path + " in container " + container + ": " + e.getMessage());
            }
        });
    }
}
