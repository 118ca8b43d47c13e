package dev.rollbackbot.command;

import dev.rollbackbot.core.RollbackKind;
import java.util.Optional;

/** Everything {@code /rollback} understands, parsed once by {@link CommandParser}. */
public sealed interface Command {

    /** A rollback (or validation, or drill) of one target: a service, or a datastore for {@code data}. */
    record Rollback(RollbackKind kind, String target, Optional<String> toVersion, Optional<String> backup, String reason)
            implements Command {
    }

    record Help(Optional<String> topic) implements Command {
    }

    record Status(Optional<IncidentRef> incident) implements Command {
    }

    record History(Optional<String> service) implements Command {
    }

    record Stats(int days) implements Command {
    }

    record Ack(IncidentRef incident) implements Command {
    }

    /** {@code /rollback log INC-n}: the incident's whole timeline as a Markdown file. */
    record Log(IncidentRef incident) implements Command {
    }

    record Cancel(IncidentRef incident) implements Command {
    }

    record Backups(String datastore) implements Command {
    }

    record Oncall() implements Command {
    }

    record Monitor() implements Command {
    }
}
