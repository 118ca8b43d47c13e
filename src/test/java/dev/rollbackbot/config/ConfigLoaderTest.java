package dev.rollbackbot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.rollbackbot.core.RollbackKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final String SOURCE = "test-rollback-bot.yml";
    private static final String HEAD = "slack: {channel: C0OPS}\napprovals: {approvers: [U0LEAD]}\n";
    private static final String API = "  api-prod:\n    platform: docker\n    container: api-prod\n"
            + "    health-url: http://localhost:80/health\n";

    private static BotConfig parse(String yaml) {
        return ConfigLoader.parse(SOURCE, yaml);
    }

    /** The minimal valid file plus extra lines indented under services.api-prod. */
    private static String withApi(String... extra) {
        StringBuilder b = new StringBuilder(HEAD).append("services:\n").append(API);
        for (String line : extra) {
            b.append("    ").append(line).append('\n');
        }
        return b.toString();
    }

    private static ConfigException rejected(String yaml) {
        return rejected(() -> parse(yaml), yaml);
    }

    private static ConfigException rejected(Runnable load, String what) {
        try {
            load.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + what);
    }

    private static String problem(String yaml) {
        ConfigException e = rejected(yaml);
        assertThat(e.getMessage()).startsWith(SOURCE + ": ");
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    // --- the shipped configuration ---

    @Test
    void shippedDefaultConfigLoadsWithTheRunbookServicesDatastoresAndEscalation() {
        BotConfig c = ConfigLoader.load(Path.of("config/rollback-bot.yml"));
        assertThat(c.source()).endsWith("rollback-bot.yml");
        assertThat(c.channel()).isEqualTo("C0OPS");
        assertThat(c.serviceNames()).containsExactly("api-prod");
        assertThat(c.datastoreNames()).containsExactly("db-prod", "redis-prod");
        assertThat(c.escalation()).extracting(EscalationLevel::name).containsExactly("L1", "L2", "L3", "L4");
        assertThat(c.approvals().requiredFor(RollbackKind.DATA)).isEqualTo(2);

        ServiceConfig api = c.service("api-prod").orElseThrow();
        assertThat(api.platform()).isEqualTo(Platform.DOCKER);
        assertThat(api.describeTarget()).isEqualTo("container api-prod");
        assertThat(api.dependsOn()).containsExactly("db-prod", "redis-prod");
        assertThat(api.endpoints()).contains("/health", "/api/queues");
        assertThat(api.monitor().orElseThrow().autoRollback()).isTrue();
        assertThat(c.datastore("db-prod").orElseThrow().type()).isEqualTo(DatastoreType.POSTGRES);
        assertThat(c.datastore("redis-prod").orElseThrow().port()).isEqualTo(6379);
    }

    @Test
    void loadingAMissingFileNamesItAndTheEnvironmentVariable() {
        Path missing = Path.of("no/such/rollback-bot.yml");
        assertThat(rejected(() -> ConfigLoader.load(missing), missing.toString()).getMessage())
                .startsWith(missing + ": the file does not exist").contains("ROLLBACK_BOT_CONFIG");
    }

    // --- defaults ---

    @Test
    void leftOutSectionsGetTheRunbookDefaults() {
        BotConfig c = parse(withApi());
        ApprovalSettings a = c.approvals();
        assertThat(a.requiredFor(RollbackKind.EMERGENCY)).isEqualTo(1);
        assertThat(a.requiredFor(RollbackKind.MANUAL)).isEqualTo(1);
        assertThat(a.requiredFor(RollbackKind.BLUE_GREEN)).isEqualTo(1);
        assertThat(a.requiredFor(RollbackKind.DRILL)).isEqualTo(1);
        assertThat(a.requiredFor(RollbackKind.DATA)).isEqualTo(2);
        assertThat(a.expireAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(a.selfApproval()).isFalse();

        assertThat(c.escalation()).extracting(EscalationLevel::name, EscalationLevel::respondWithin).containsExactly(
                tuple("L1", Duration.ofMinutes(15)), tuple("L2", Duration.ofMinutes(30)),
                tuple("L3", Duration.ofHours(1)), tuple("L4", Duration.ofHours(2)));
        assertThat(c.escalation().get(0).email()).containsExactly("devops@company.com");
        assertThat(c.datastores()).isEmpty();
    }

    @Test
    void serviceSettingsLeftOutGetDefaults() {
        ServiceConfig s = parse(withApi()).service("api-prod").orElseThrow();
        assertThat(s.healthUrl()).isEqualTo(URI.create("http://localhost:80/health"));
        assertThat(s.readyTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.maxResponseTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.endpoints()).isEmpty(); // validation reports the endpoints check skipped, not passed
        assertThat(s.dependsOn()).isEmpty();
        assertThat(s.monitor()).isEmpty(); // no monitor block: not monitored
        assertThat(s.blueGreen()).isEmpty();
    }

    @Test
    void approvalCountsGivenOverrideOnlyTheirKind() {
        ApprovalSettings a = parse("slack: {channel: C0OPS}\napprovals: {approvers: [U0LEAD, S0ONCALL], "
                + "required: {data: 3, manual: 0}, self-approval: true, expire-after: 1h}\nservices:\n" + API).approvals();
        assertThat(a.requiredFor(RollbackKind.DATA)).isEqualTo(3);
        assertThat(a.requiredFor(RollbackKind.MANUAL)).isZero();
        assertThat(a.requiredFor(RollbackKind.EMERGENCY)).isEqualTo(1);
        assertThat(a.approvers()).containsExactly("U0LEAD", "S0ONCALL");
        assertThat(a.selfApproval()).isTrue();
        assertThat(a.expireAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void customEscalationLevelsDefaultTheirRoleAndResponseTime() {
        BotConfig c = parse(HEAD + "escalation: {levels: [{name: L1, notify: [U0DEV]}, "
                + "{name: L2, role: Lead, email: [lead@example.com], respond-within: 45m}]}\nservices:\n" + API);
        assertThat(c.escalation()).containsExactly(
                new EscalationLevel("L1", "L1", List.of("U0DEV"), List.of(), Duration.ofMinutes(15)),
                new EscalationLevel("L2", "Lead", List.of(), List.of("lead@example.com"), Duration.ofMinutes(45)));
    }

    @Test
    void kubernetesServiceBlueGreenAndDatastoresAreRead() {
        BotConfig c = parse(HEAD + """
                services:
                  queue:
                    platform: kubernetes
                    namespace: prod
                    deployment: virtualqueue-api
                    health-url: https://queue.example.com/ready
                    depends-on: [db, cache]
                    blue-green: {via: service, service: virtualqueue-api}
                datastores:
                  db: {type: postgres, host: 10.0.0.5, database: VirtualQueue, min-tables: 5}
                  cache: {type: redis, container: redis-prod}
                """);
        ServiceConfig q = c.service("queue").orElseThrow();
        assertThat(q.describeTarget()).isEqualTo("deployment prod/virtualqueue-api");
        assertThat(q.endpoints()).isEmpty();
        assertThat(q.blueGreen().orElseThrow().colours()).containsExactly("blue", "green");
        DatastoreConfig db = c.datastore("db").orElseThrow();
        assertThat(db.describeLocation()).isEqualTo("10.0.0.5:5432");
        assertThat(db.user()).isEqualTo("postgres");
        assertThat(db.minTables()).isEqualTo(5);
        assertThat(c.datastore("cache").orElseThrow().describeLocation()).isEqualTo("container redis-prod");
        assertThat(c.datastore("cache").orElseThrow().port()).isEqualTo(6379);
    }

    // --- durations ---

    @ParameterizedTest(name = "ready-timeout {0}")
    @CsvSource({"500ms, 500", "30s, 30000", "15m, 900000", "1h, 3600000"})
    void durationsAreReadWithTheirUnit(String text, long millis) {
        assertThat(parse(withApi("ready-timeout: " + text)).service("api-prod").orElseThrow().readyTimeout())
                .isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ready-timeout: 2 minutes        | services.api-prod.ready-timeout: '2 minutes' is not a duration: write a number "
                + "and a unit, e.g. 500ms, 30s, 15m or 1h",
        "monitor: {interval: 0s}         | services.api-prod.monitor.interval: must be longer than 0",
        "max-response-time: 30           | services.api-prod.max-response-time: '30' is not a duration",
        "monitor: {start-period: 1.5m}   | services.api-prod.monitor.start-period: '1.5m' is not a duration",
    })
    void aBadDurationIsRejectedWithItsKeyPathAndTheValidForm(String line, String expectedStart) {
        assertThat(problem(withApi(line))).startsWith(expectedStart);
    }

    // --- unknown keys ---

    @Test
    void anUnknownTopLevelKeyIsAnErrorListingTheValidOnes() {
        assertThat(problem(withApi() + "slak: {channel: C0OPS}\n"))
                .startsWith("slak: unknown key; valid keys here: ").contains("slack", "approvals", "escalation", "services", "datastores");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "helth-url: http://localhost/health                    | services.api-prod.helth-url | health-url",
        "monitor: {interval: 30s, intervall: 10s}              | services.api-prod.monitor.intervall | interval",
        "blue-green: {via: nginx, config: /etc/x, colour: red} | services.api-prod.blue-green.colour | colours",
    })
    void anUnknownKeyInsideAServiceIsNamed(String line, String path, String validKey) {
        assertThat(problem(withApi(line))).startsWith(path + ": unknown key; valid keys here: ").contains(validKey);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "approvals: {approvers: [U0LEAD], required: {emergancy: 2}} | approvals.required.emergancy | emergency",
        "approvals: {approvers: [U0LEAD], self-aproval: true}      | approvals.self-aproval | self-approval",
        "slack: {channel: C0OPS, chanel: C0OTHER}                  | slack.chanel | channel",
        "escalation: {levels: [{name: L1, notify: [U0A], pager: x}]} | escalation.levels[0].pager | notify",
        "datastores: {db: {type: postgres, container: db, hostname: h}} | datastores.db.hostname | host",
    })
    void anUnknownKeyInAnySectionIsNamed(String section, String path, String validKey) {
        String head = section.startsWith("slack") ? section + "\napprovals: {approvers: [U0LEAD]}\n"
                : section.startsWith("approvals") ? "slack: {channel: C0OPS}\n" + section + "\n"
                : HEAD + section + "\n";
        assertThat(problem(head + "services:\n" + API)).startsWith(path + ": unknown key; valid keys here: ").contains(validKey);
    }

    // --- missing and malformed sections ---

    @Test
    void missingSlackAndServicesAreBothReported() {
        ConfigException e = rejected("approvals: {approvers: [U0LEAD]}\n");
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).startsWith("slack: is missing").contains("channel");
        assertThat(e.problems().get(1)).startsWith("services: is missing");
    }

    @Test
    void anEmptyServicesSectionIsRejected() {
        assertThat(problem(HEAD + "services: {}\n")).startsWith("services: is empty: the bot needs at least one service");
    }

    @Test
    void aServiceOrDatastoreWithoutSettingsIsRejectedNotDropped() {
        ConfigException e = rejected(withApi() + "  web:\ndatastores:\n  db-prod: ~\n");
        assertThat(e.problems()).containsExactly(
                "datastores.db-prod: is empty: give its settings", "services.web: is empty: give its settings");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "   \n", "# only a comment\n", "- a\n- b\n", "just text", "42"})
    void aFileThatIsNotAMappingIsRejected(String yaml) {
        assertThat(rejected(yaml).getMessage())
                .isEqualTo(SOURCE + ": must be a YAML mapping with at least the keys slack and services");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"slack: [\n", "slack: {channel: C0OPS\n", "services:\n  a: b\n c: d\n",
        "slack:\n  channel: C0OPS\n\tfoo: bar\n", "a: 'unclosed\n", "key: [a, b}\n"})
    void invalidYamlIsReportedAsSuch(String yaml) {
        assertThat(rejected(yaml).getMessage()).startsWith(SOURCE + ": is not valid YAML: ");
    }

    @Test
    void aKeyGivenTwiceIsRejectedInsteadOfTheLastOneWinning() {
        String twice = withApi() + "  api-prod:\n    platform: docker\n    container: other\n    health-url: http://h/\n";
        assertThat(rejected(twice).getMessage())
                .startsWith(SOURCE + ": is not valid YAML: ").contains("Duplicate field 'api-prod'", "line 8");
        assertThat(rejected("approvals: {approvers: [U0LEAD], self-approval: false, self-approval: true}\n"
                + "slack: {channel: C0OPS}\nservices:\n" + API).getMessage()).contains("Duplicate field 'self-approval'");
    }

    @Test
    void anEmptyValueCountsAsMissing() {
        assertThat(problem("slack:\n  channel:\napprovals: {approvers: [U0LEAD]}\nservices:\n" + API))
                .startsWith("slack.channel: is missing");
    }

    @Test
    void aSectionOfTheWrongShapeIsNamed() {
        assertThat(problem("slack: C0OPS\napprovals: {approvers: [U0LEAD]}\nservices:\n" + API))
                .isEqualTo("slack: must be a mapping of keys to values");
        assertThat(problem(withApi("endpoints: /health"))).startsWith("services.api-prod.endpoints: must be a list");
        assertThat(problem(withApi("ready-timeout: [30s]")))
                .isEqualTo("services.api-prod.ready-timeout: must be a single value, not a list");
    }

    // --- services ---

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{platform: docker, health-url: 'http://h/'}     | services.api-prod.container: is missing: a docker service needs the "
                + "name of its container",
        "{platform: kubernetes, health-url: 'http://h/'} | services.api-prod.namespace: is missing: a kubernetes service needs "
                + "namespace and deployment; services.api-prod.deployment: is missing: a kubernetes service needs namespace and deployment",
        "{platform: kubernetes, namespace: prod, deployment: Api, health-url: 'http://h/'} | services.api-prod.deployment: "
                + "'Api' is not a Kubernetes deployment name",
        "{container: a, health-url: 'http://h/'}         | services.api-prod.platform: is missing: write docker or kubernetes",
        "{platform: nomad, container: a, health-url: 'http://h/'} | services.api-prod.platform: 'nomad' is not a platform: "
                + "write docker or kubernetes",
        "{platform: Docker, container: a, health-url: 'http://h/'} | services.api-prod.platform: 'Docker' is not a platform: "
                + "write docker or kubernetes",
        "{platform: docker, container: a}                | services.api-prod.health-url: is missing (the URL that answers 200 "
                + "when the service is healthy)",
    })
    void whatEachPlatformNeedsIsNamed(String mapping, String expected) {
        assertThat(rejected(HEAD + "services:\n  api-prod: " + mapping + "\n").problems()).containsExactly(expected.split("; "));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ftp://localhost/health", "localhost/health", "http:///health", "http://local host/health",
        "/health", "http://:80/health", "mailto:ops@example.com"})
    void aBadHealthUrlIsRejectedNamingTheValue(String url) {
        assertThat(problem(HEAD + "services:\n  api-prod: {platform: docker, container: a, health-url: '" + url + "'}\n"))
                .startsWith("services.api-prod.health-url: '" + url + "' is not ");
    }

    @Test
    void endpointsMustBePaths() {
        assertThat(problem(withApi("endpoints: [/health, api/users]")))
                .isEqualTo("services.api-prod.endpoints[1]: 'api/users' is not a path starting with /");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"API-Prod", "api_prod!", "-api", "api prod"})
    void serviceNamesMustBeLowerCaseWords(String name) {
        String yaml = HEAD + "services:\n  '" + name + "': {platform: docker, container: a, health-url: 'http://h/'}\n";
        assertThat(problem(yaml)).isEqualTo("services." + name + ": '" + name + "' is not a service name "
                + "(lower case letters, digits, '.', '_' or '-')");
    }

    @Test
    void dependsOnMustNameADatastoreOfTheFile() {
        String yaml = withApi("depends-on: [db-prod, mongo]")
                + "datastores:\n  db-prod: {type: postgres, container: db-prod}\n  redis-prod: {type: redis, container: r}\n";
        assertThat(problem(yaml)).isEqualTo(
                "services.api-prod.depends-on: 'mongo' is not a datastore of this file; datastores: db-prod, redis-prod");
        assertThat(problem(withApi("depends-on: [db-prod]"))).isEqualTo(
                "services.api-prod.depends-on: 'db-prod' is not a datastore of this file (there is no datastores section)");
    }

    @Test
    void aDatastoreWithProblemsIsNotAlsoReportedAsMissingFromDependsOn() {
        assertThat(problem(withApi("depends-on: [db-prod]") + "datastores:\n  db-prod: {type: mysql, container: db}\n"))
                .isEqualTo("datastores.db-prod.type: 'mysql' is not a datastore type: write postgres or redis");
    }

    @Test
    void aDatastoreMayNotShareAServicesName() {
        String yaml = withApi() + "datastores:\n  api-prod: {type: redis, container: r}\n";
        assertThat(problem(yaml)).startsWith("services.api-prod: a datastore has the same name");
    }

    @Test
    void datastoresNeedAKnownTypeAndAPlaceToCheck() {
        ConfigException e = rejected(withApi() + "datastores:\n  db: {type: mysql, container: db}\n  cache: {type: redis}\n");
        assertThat(e.problems()).containsExactly(
                "datastores.db.type: 'mysql' is not a datastore type: write postgres or redis",
                "datastores.cache.container: is missing: give the datastore's container, or its host (and port)");
    }

    @Test
    void nginxBlueGreenNeedsItsConfigPath() {
        assertThat(problem(withApi("blue-green: {via: nginx}"))).startsWith("services.api-prod.blue-green.config: is missing");
        assertThat(problem(withApi("blue-green: {via: haproxy}")))
                .isEqualTo("services.api-prod.blue-green.via: 'haproxy' is not nginx or service");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "monitor: {retries: 0}    | services.api-prod.monitor.retries: 0 is out of range: use a whole number from 1 to 100",
        "monitor: {retries: many} | services.api-prod.monitor.retries: 'many' is not a whole number",
        "monitor: {auto-rollback: yes please} | services.api-prod.monitor.auto-rollback: 'yes please' is not true or false",
    })
    void monitorValuesAreChecked(String line, String expected) {
        assertThat(problem(withApi(line))).isEqualTo(expected);
    }

    // --- Slack ids ---

    @ParameterizedTest(name = "channel {0}")
    @ValueSource(strings = {"'#ops'", "c0ops", "ops", "U0LEAD", "C"})
    void theChannelMustBeAChannelId(String channel) {
        String yaml = "slack: {channel: " + channel + "}\napprovals: {approvers: [U0LEAD]}\nservices:\n" + API;
        assertThat(problem(yaml)).startsWith("slack.channel: '" + channel.replace("'", "") + "' is not a channel id");
    }

    @Test
    void approversAndPagedPeopleMustBeSlackIds() {
        ConfigException e = rejected("slack: {channel: C0OPS}\napprovals: {approvers: [U0LEAD, alice, C0OPS]}\n"
                + "escalation: {levels: [{name: L1, notify: ['@bob'], email: [not-an-email, ops@example.com]}]}\nservices:\n" + API);
        assertThat(e.problems()).containsExactly(
                "approvals.approvers[1]: 'alice' is not a Slack user id (U..., W...) or user group id (S...)",
                "approvals.approvers[2]: 'C0OPS' is not a Slack user id (U..., W...) or user group id (S...)",
                "escalation.levels[0].notify[0]: '@bob' is not a Slack user id (U...) or user group id (S...)",
                "escalation.levels[0].email[0]: 'not-an-email' is not an email address");
    }

    @Test
    void anApprovalsSectionWithoutApproversIsRejected() {
        assertThat(problem("slack: {channel: C0OPS}\napprovals: {expire-after: 10m}\nservices:\n" + API))
                .startsWith("approvals.approvers: is missing");
    }

    @Test
    void anEscalationSectionWithoutLevelsIsRejected() {
        assertThat(problem(HEAD + "escalation: {}\nservices:\n" + API)).startsWith("escalation.levels: is missing or empty");
        assertThat(problem(HEAD + "escalation: {levels: [{name: L1}]}\nservices:\n" + API))
                .startsWith("escalation.levels[0].notify: a level needs someone to page");
    }

    // --- all problems at once ---

    @Test
    void everyProblemIsReportedTogetherInOneMessage() {
        ConfigException e = rejected("""
                slack: {channel: ops}
                approvals: {approvers: [U0LEAD], expire-after: soon}
                services:
                  api-prod: {platform: docker, health-url: 'http://h/', ready-timeout: 0s, depends-on: [db]}
                  web: {platform: nomad, health-url: 'ftp://x'}
                colour: blue
                """);
        assertThat(e.problems()).hasSize(8);
        assertThat(e.getMessage()).startsWith(SOURCE + ": 8 problems:\n  - ");
        assertThat(e.getMessage()).contains(
                "slack.channel", "approvals.expire-after", "services.api-prod.container", "services.api-prod.ready-timeout",
                "services.web.platform", "services.web.health-url", "colour: unknown key", "services.api-prod.depends-on");
    }
}
