package dev.rollbackbot.analysis;

import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.testing.TestDatabases.TestDatabase;

/** The analysis suite on a real PostgreSQL server; fails under {@code CI=true} without one. */
class PostgresAnalysisIT extends AbstractAnalysisTest {
    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.postgres();
    }
}
