package dev.rollbackbot.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a service it needs is missing: on a developer machine it is skipped, loudly; under
 * {@code CI=true} it fails, so a CI run can never pass by skipping.
 */
public final class Services {
    private Services() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void unavailable(String service, String why) {
        String msg = service + " is not available (" + why + ")";
        if (inCi()) {
            Assertions.fail("CI=true and " + msg + ": .ci/run must install and start it");
        }
        System.err.println("\n!!!!!!!! SKIPPING: " + msg + ". Run .ci/run (or see README) to test against it. !!!!!!!!\n");
        Assumptions.abort(msg);
    }
}
