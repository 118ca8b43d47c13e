package dev.rollbackbot.incident;

import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.testing.TestDatabases.TestDatabase;

/**
 * The incident store suite on a real PostgreSQL server ({@code TEST_POSTGRES_URL}, else 127.0.0.1:5432), in a
 * database of its own that is dropped afterwards. Skipped loudly without a server; fails under {@code CI=true}.
 */
class PostgresIncidentStoreIT extends AbstractIncidentStoreTest {
    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.postgres();
    }
}
