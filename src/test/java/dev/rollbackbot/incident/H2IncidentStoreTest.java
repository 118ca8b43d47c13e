package dev.rollbackbot.incident;

import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.testing.TestDatabases.TestDatabase;

/** The incident store suite on the embedded H2 database (file-based, as the bot runs it). */
class H2IncidentStoreTest extends AbstractIncidentStoreTest {
    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}
