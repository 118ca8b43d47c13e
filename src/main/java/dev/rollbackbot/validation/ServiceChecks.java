package dev.rollbackbot.validation;

import dev.rollbackbot.config.Durations;
import dev.rollbackbot.config.ServiceConfig;
import dev.rollbackbot.health.HttpHealthCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The checks of a service over HTTP: health URL 200, every endpoint 200, the health URL within max-response-time. */
final class ServiceChecks {
    static final String USER_AGENT = "rollback-bot-validation";

    private final HttpHealthCheck http;

    ServiceChecks(HttpHealthCheck http) {
        this.http = http;
    }

    CheckResult health(ServiceConfig s, Duration bound) {
        HttpHealthCheck.Probe p = http.probe(s.healthUrl(), bound, USER_AGENT);
        if (p.healthy()) {
            return CheckResult.passed(Check.HEALTH, s.name(), s.healthUrl() + " answered 200", p.took());
        }
        return CheckResult.failed(Check.HEALTH, s.name(), s.healthUrl() + " answered " + p.describe() + ", not 200. "
                + lookAt(s), p.took());
    }

    CheckResult endpoints(ServiceConfig s, Duration bound) {
        if (s.endpoints().isEmpty()) {
            return CheckResult.skipped(Check.ENDPOINTS, s.name(), "no endpoints configured (services." + s.name() + ".endpoints)");
        }
        List<String> bad = new ArrayList<>();
        Duration total = Duration.ZERO;
        for (String path : s.endpoints()) {
            HttpHealthCheck.Probe p = http.probe(resolve(s.healthUrl(), path), bound, USER_AGENT);
            total = total.plus(p.took());
            if (!p.healthy()) {
                bad.add(path + " answered " + p.describe());
            }
        }
        if (bad.isEmpty()) {
            return CheckResult.passed(Check.ENDPOINTS, s.name(), s.endpoints().size() + " of " + s.endpoints().size()
                    + " answered 200 (" + String.join(", ", s.endpoints()) + ")", total);
        }
        return CheckResult.failed(Check.ENDPOINTS, s.name(), bad.size() + " of " + s.endpoints().size() + " did not answer 200: "
                + String.join("; ", bad) + ". " + lookAt(s), total);
    }

    CheckResult responseTime(ServiceConfig s, Duration bound) {
        Duration max = s.maxResponseTime();
        HttpHealthCheck.Probe p = http.probe(s.healthUrl(), bound, USER_AGENT);
        String limit = "max-response-time " + Durations.format(max);
        if (p.status() < 0) {
            return CheckResult.failed(Check.RESPONSE_TIME, s.name(), s.healthUrl() + " gave no answer to time (" + p.problem()
                    + "; " + limit + "). " + lookAt(s), p.took());
        }
        if (p.took().compareTo(max) > 0) {
            return CheckResult.failed(Check.RESPONSE_TIME, s.name(), s.healthUrl() + " answered in " + Durations.human(p.took())
                    + ", over " + limit + ". " + lookAt(s) + ", and its load", p.took());
        }
        return CheckResult.passed(Check.RESPONSE_TIME, s.name(), s.healthUrl() + " answered in " + Durations.human(p.took())
                + " (" + limit + ")", p.took());
    }

    /** A path against the health URL's scheme, host and port. */
    static URI resolve(URI health, String path) {
        return URI.create(health.getScheme() + "://" + health.getRawAuthority() + path);
    }

    private static String lookAt(ServiceConfig s) {
        return "Look at " + s.name() + " (" + s.describeTarget() + ") and its logs";
    }
}
