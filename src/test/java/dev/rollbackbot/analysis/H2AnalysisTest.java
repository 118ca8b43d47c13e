package dev.rollbackbot.analysis;

import dev.rollbackbot.testing.TestDatabases;
import dev.rollbackbot.testing.TestDatabases.TestDatabase;

/** The analysis suite on the embedded H2 database. */
class H2AnalysisTest extends AbstractAnalysisTest {
    @Override
    protected TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}
