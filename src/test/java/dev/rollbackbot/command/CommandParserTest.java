package dev.rollbackbot.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollbackbot.common.UserError;
import dev.rollbackbot.config.BotConfig;
import dev.rollbackbot.config.ConfigLoader;
import dev.rollbackbot.core.RollbackKind;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {
    private static final BotConfig CONFIG = ConfigLoader.parse("rollback-bot.yml", """
            slack: {channel: C0OPS}
            approvals: {approvers: [U0LEAD]}
            services:
              api-prod: {platform: docker, container: api-prod, health-url: 'http://localhost/health'}
              web:
                platform: docker
                container: web
                health-url: http://localhost:81/health
                blue-green: {via: nginx, config: /etc/nginx/sites-available/web, container: nginx}
            datastores:
              db-prod: {type: postgres, container: db-prod}
              redis-prod: {type: redis, container: redis-prod}
            """);

    private final CommandParser parser = new CommandParser(CONFIG);

    private Command parse(String text) {
        return parser.parse(text);
    }

    /** The message of the UserError that {@code text} must cause; checked to be safe to post to Slack. */
    private String error(String text) {
        Command c;
        try {
            c = parser.parse(text);
        } catch (UserError e) {
            String shown = dev.rollbackbot.slack.SlackText.mrkdwn(e.message()); // as the Slack edge shows it
            assertSafeForSlack(shown);
            return shown;
        }
        throw new AssertionError("expected a UserError for '" + text + "' but got " + c);
    }

    private static void assertSafeForSlack(String message) {
        assertThat(message).isNotBlank().hasSizeLessThan(3000).doesNotContain("<", ">");
    }

    private static Command.Rollback rollback(RollbackKind kind, String target, String reason) {
        return new Command.Rollback(kind, target, Optional.empty(), Optional.empty(), reason);
    }

    // --- every word ---

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "   ", "\t\n", "\u200B", "\u00A0\u3000", "\uFEFF"})
    void emptyTextIsHelp(String text) {
        assertThat(parse(text)).isEqualTo(new Command.Help(Optional.empty()));
    }

    @Test
    void nullTextIsHelp() {
        assertThat(parse(null)).isEqualTo(new Command.Help(Optional.empty()));
    }

    @Test
    void helpTakesAnOptionalCommandAsTopic() {
        assertThat(parse("help")).isEqualTo(new Command.Help(Optional.empty()));
        assertThat(parse("help manual")).isEqualTo(new Command.Help(Optional.of("manual")));
        assertThat(parse("HELP Blue-Green")).isEqualTo(new Command.Help(Optional.of("blue-green")));
        assertThat(error("help emergancy")).contains("Did you mean `emergency`?");
        assertThat(error("help manual now")).startsWith("Unexpected `now`.").contains("Usage:");
    }

    @Test
    void manualTakesAServiceAnOptionalVersionAndAReason() {
        assertThat(parse("manual api-prod")).isEqualTo(rollback(RollbackKind.MANUAL, "api-prod", ""));
        assertThat(parse("manual api-prod --to 2.3.0 login broken after deploy")).isEqualTo(new Command.Rollback(
                RollbackKind.MANUAL, "api-prod", Optional.of("2.3.0"), Optional.empty(), "login broken after deploy"));
        assertThat(parse("Manual api-prod --to=registry.example.com/app:2.3.0@sha256 x"))
                .extracting(c -> ((Command.Rollback) c).toVersion()).isEqualTo(Optional.of("registry.example.com/app:2.3.0@sha256"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"login broken\"", "'login broken'", "“login broken”", "‘login broken’", "  login   broken  "})
    void aReasonMayBeQuoted(String reason) {
        assertThat(parse("emergency api-prod " + reason)).isEqualTo(rollback(RollbackKind.EMERGENCY, "api-prod", "login broken"));
    }

    @Test
    void emergencyAndDrillTakeAServiceAndAReasonButNoOptions() {
        assertThat(parse("emergency api-prod 500s everywhere")).isEqualTo(rollback(RollbackKind.EMERGENCY, "api-prod", "500s everywhere"));
        assertThat(parse("drill web")).isEqualTo(rollback(RollbackKind.DRILL, "web", ""));
        assertThat(error("emergency api-prod --to 2.3.0")).startsWith("`--to` is not an option of emergency. It takes none.")
                .contains("Usage: `/rollback emergency &lt;service&gt; [reason]`");
        assertThat(error("drill")).startsWith("Which service? Services: `api-prod`, `web`.");
    }

    @Test
    void blueGreenNeedsABlueGreenSectionOnTheService() {
        assertThat(parse("blue-green web bad canary")).isEqualTo(rollback(RollbackKind.BLUE_GREEN, "web", "bad canary"));
        assertThat(error("blue-green api-prod")).contains("`api-prod` has no blue-green section in `rollback-bot.yml`")
                .contains("`/rollback manual api-prod`");
    }

    @Test
    void dataTakesADatastoreAnOptionalBackupAndAReason() {
        assertThat(parse("data db-prod")).isEqualTo(rollback(RollbackKind.DATA, "db-prod", ""));
        assertThat(parse("data db-prod --backup db-2026-11-29.sql.gz corrupted rows")).isEqualTo(new Command.Rollback(
                RollbackKind.DATA, "db-prod", Optional.empty(), Optional.of("db-2026-11-29.sql.gz"), "corrupted rows"));
        assertThat(parse("data redis-prod --backup=dump.rdb")).isEqualTo(new Command.Rollback(
                RollbackKind.DATA, "redis-prod", Optional.empty(), Optional.of("dump.rdb"), ""));
        assertThat(error("data")).startsWith("Which datastore? Datastores: `db-prod`, `redis-prod`.");
        assertThat(error("data db-prod --backup")).startsWith("`--backup` needs a value");
        assertThat(error("data db-prod --backup a.sql --backup b.sql")).startsWith("`--backup` is given twice.");
        assertThat(error("data db-prod --to 2.3.0")).startsWith("`--to` is not an option of data. Valid: `--backup &lt;name&gt;`.");
        assertThat(error("data db-prod --backup ../../etc/passwd")).contains("is not valid for `--backup`");
    }

    @Test
    void validateTakesOnlyAService() {
        assertThat(parse("validate api-prod")).isEqualTo(rollback(RollbackKind.VALIDATE, "api-prod", ""));
        assertThat(error("validate api-prod now please")).startsWith("Unexpected `now please`.");
        assertThat(error("validate")).startsWith("Which service?");
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(strings = {"INC-7", "inc-7", "Inc-7", "7", "#7", "INC7", "INC-007"})
    void statusAcceptsAnIncidentInTheFormsPeopleWrite(String ref) {
        assertThat(parse("status " + ref)).isEqualTo(new Command.Status(Optional.of(new IncidentRef(7))));
        assertThat(parse("ack " + ref)).isEqualTo(new Command.Ack(new IncidentRef(7)));
        assertThat(parse("cancel " + ref)).isEqualTo(new Command.Cancel(new IncidentRef(7)));
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(strings = {"INC-0", "INC--7", "INC-", "seven", "INC-1234567890123", "#", "INC-7a", "٧"})
    void aMalformedIncidentIsRejectedShowingTheForm(String ref) {
        assertThat(error("status " + ref)).contains("is not an incident id: write it as `INC-42`");
    }

    @Test
    void statusHistoryAndStatsHaveOptionalArguments() {
        assertThat(parse("status")).isEqualTo(new Command.Status(Optional.empty()));
        assertThat(parse("history")).isEqualTo(new Command.History(Optional.empty()));
        assertThat(parse("history api-prod")).isEqualTo(new Command.History(Optional.of("api-prod")));
        assertThat(parse("stats")).isEqualTo(new Command.Stats(30));
        assertThat(parse("stats 1")).isEqualTo(new Command.Stats(1));
        assertThat(parse("stats 365")).isEqualTo(new Command.Stats(365));
        assertThat(error("status INC-7 INC-8")).startsWith("Unexpected `INC-8`.");
    }

    @ParameterizedTest(name = "stats {0}")
    @ValueSource(strings = {"0", "366", "-1", "ten", "99999999999", "1.5", "30d"})
    void statsDaysMustBeFromOneTo365(String days) {
        assertThat(error("stats " + days)).contains("is not a number of days: give a whole number from 1 to 365");
    }

    @Test
    void ackAndCancelNeedAnIncident() {
        assertThat(error("ack")).startsWith("Which incident? Give its id, e.g. `INC-42`").contains("Usage: `/rollback ack INC-n`");
        assertThat(error("cancel")).startsWith("Which incident?");
        assertThat(error("cancel INC-4 now")).startsWith("Unexpected `now`.");
    }

    @Test
    void logNeedsOneIncident() {
        assertThat(parse("log INC-12")).isEqualTo(new Command.Log(new IncidentRef(12)));
        assertThat(parse("LOG inc-12")).isEqualTo(new Command.Log(new IncidentRef(12)));
        assertThat(error("log")).startsWith("Which incident? Give its id, e.g. `INC-42`").contains("Usage: `/rollback log INC-n`");
        assertThat(error("log api-prod")).contains("is not an incident id: write it as `INC-42`");
        assertThat(error("log INC-3 INC-4")).startsWith("Unexpected `INC-4`.");
    }

    @Test
    void backupsAndOncall() {
        assertThat(parse("backups db-prod")).isEqualTo(new Command.Backups("db-prod"));
        assertThat(parse("oncall")).isEqualTo(new Command.Oncall());
        assertThat(error("backups")).startsWith("Which datastore? Datastores: `db-prod`, `redis-prod`.");
        assertThat(error("oncall L1")).startsWith("Unexpected `L1`.");
    }

    // --- bad input ---

    @Test
    void anUnknownWordSuggestsTheClosestAndListsTheValidOnes() {
        String m = error("emergancy api-prod");
        assertThat(m).startsWith("`emergancy` is not a /rollback command. Did you mean `emergency`?")
                .contains("Valid: `emergency`, `manual`, `blue-green`, `data`", "`oncall`, `monitor`, `help`", "Try `/rollback help`.");
        assertThat(error("deploy api-prod")).doesNotContain("Did you mean").contains("Valid: ");
    }

    @Test
    void anUnknownServiceListsTheValidOnes() {
        assertThat(error("manual api-prd")).isEqualTo("Unknown service `api-prd`. Did you mean `api-prod`? Services: `api-prod`, `web`.");
        assertThat(error("manual API-PROD")).contains("Did you mean `api-prod`?");
        assertThat(error("history payments")).isEqualTo("Unknown service `payments`. Services: `api-prod`, `web`.");
        assertThat(error("backups db-prd")).startsWith("Unknown datastore `db-prd`. Did you mean `db-prod`?");
    }

    @Test
    void aDatastoreWhereAServiceIsExpectedPointsToData() {
        assertThat(error("manual db-prod")).startsWith("`db-prod` is a datastore, not a service. To restore it: `/rollback data db-prod`.");
        assertThat(error("emergency redis-prod")).contains("/rollback data redis-prod");
    }

    @Test
    void aServiceWhereADatastoreIsExpectedPointsToManual() {
        assertThat(error("data api-prod"))
                .startsWith("`api-prod` is a service, not a datastore: `/rollback manual api-prod` rolls it back.")
                .contains("Datastores: `db-prod`, `redis-prod`.");
        assertThat(error("backups web")).contains("is a service, not a datastore");
    }

    @Test
    void aMissingServiceShowsTheUsage() {
        assertThat(error("manual")).isEqualTo("Which service? Services: `api-prod`, `web`.\n"
                + "Usage: `/rollback manual &lt;service&gt; [--to &lt;version&gt;] [reason]`");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "manual api-prod --force           | `--force` is not an option of manual. Valid: `--to &lt;version&gt;`.",
        "manual api-prod --to=1 --to=2     | `--to` is given twice.",
        "manual api-prod --to 1 --to 1     | `--to` is given twice.",
        "manual api-prod --to              | `--to` needs a value: a version or image",
        "manual api-prod --to --force      | `--to` needs a value",
        "manual api-prod --to=             | `--to` needs a value",
        "manual api-prod --to ../secret    | `../secret` is not valid for `--to`: give a version or image",
        "manual api-prod --               | `--` is not an option of manual.",
    })
    void badOptionsSayWhatIsValid(String text, String expectedStart) {
        assertThat(error(text)).startsWith(expectedStart).contains("\nUsage: `/rollback manual");
    }

    @Test
    void aReasonIsAtMost500Characters() {
        String ok = "x".repeat(500);
        assertThat(parse("emergency api-prod " + ok)).isEqualTo(rollback(RollbackKind.EMERGENCY, "api-prod", ok));
        String emoji = "🔥".repeat(500); // 500 characters, 1,000 UTF-16 units
        assertThat(parse("emergency api-prod " + emoji)).isEqualTo(rollback(RollbackKind.EMERGENCY, "api-prod", emoji));
        assertThat(error("emergency api-prod " + "x".repeat(501)))
                .startsWith("The reason is 501 characters; keep it to 500 (link a ticket for more).");
    }

    @Test
    void fiveThousandCharactersOfJunkAreRejectedSayingTheLengthAndTheMaximum() {
        String junk = new Random(42).ints(5000, 33, 127).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append).toString();
        assertThat(error(junk)).isEqualTo("That command is 5,000 characters long; a /rollback command is at most 2,000. "
                + "Try `/rollback help`.");
        assertThat(error("emergency api-prod " + "x".repeat(1982))).startsWith("That command is 2,001 characters long");
        assertThat(error("emergency api-prod " + "x".repeat(1981))).startsWith("The reason is 1,981 characters");
    }

    // --- unicode, control characters and mentions ---

    @Test
    void emojiAndRightToLeftTextAreKeptInTheReason() {
        assertThat(parse("emergency api-prod 🔥 checkout down 🧯"))
                .isEqualTo(rollback(RollbackKind.EMERGENCY, "api-prod", "🔥 checkout down 🧯"));
        assertThat(parse("manual api-prod השירות נפל אחרי הפריסה"))
                .isEqualTo(rollback(RollbackKind.MANUAL, "api-prod", "השירות נפל אחרי הפריסה"));
        assertThat(error("manual خدمة")).startsWith("Unknown service `خدمة`.");
    }

    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {"manual api\u200B-prod", "manual \u200Capi-prod\u200D", "\uFEFFmanual api-prod",
        "man\u2060ual api-prod", "manual\u00A0api-prod", "manual\u2003api-prod\u202F", "  manual \t\n api-prod  "})
    void invisibleCharactersAreIgnoredAndUnicodeSpacesSeparateWords(String text) {
        assertThat(parse(text)).isEqualTo(rollback(RollbackKind.MANUAL, "api-prod", ""));
    }

    @Test
    void unicodeSpacesSeparateOptionsToo() {
        assertThat(parse("manual\u00A0api-prod\u3000--to\u00A02.3.0\u2009bad\u00A0deploy")).isEqualTo(new Command.Rollback(
                RollbackKind.MANUAL, "api-prod", Optional.of("2.3.0"), Optional.empty(), "bad deploy"));
    }

    @Test
    void aLookalikeServiceNameDoesNotMatch() {
        String cyrillicA = "\u0430pi-prod";
        assertThat(error("manual " + cyrillicA)).startsWith("Unknown service `" + cyrillicA + "`.");
        assertThat(error("manual api\u2010prod")).startsWith("Unknown service"); // Unicode hyphen, not '-'
    }

    @Test
    void controlCharactersNeverReachTheReasonOrTheMessage() {
        assertThat(parse("emergency api-prod bad\u0000deploy\u0007")).isEqualTo(rollback(RollbackKind.EMERGENCY, "api-prod", "bad deploy"));
        assertThat(error("manual api-prod\u0007")).doesNotContain("\u0007").contains("Did you mean `api-prod`?");
        assertThat(error("\u001B[31mmanual")).doesNotContain("\u001B");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<!channel>", "<!here> manual", "manual <@U123>", "manual api-prod --<!channel>",
        "manual api-prod --to=<!channel>", "data db-prod --backup <@U123>", "status <!everyone>", "stats <@U123>",
        "ack <https://evil.example|click>", "history <#C0OPS>", "help <!subteam^S0ONCALL>", "oncall <!channel>",
        "validate api-prod <!channel>", "manual a&b", "backups <db-prod>"})
    void errorMessagesNeverEchoMentionsOrLinksUnescaped(String text) {
        String m = error(text);
        assertThat(m).doesNotContain("<!", "<@", "<#", "<http").doesNotContainPattern("&(?!amp;|lt;|gt;)");
    }

    @Test
    void mentionsAreShownEscapedAndNeverInATooLongReason() {
        assertThat(error("manual <!channel>")).startsWith("Unknown service `&lt;!channel&gt;`.");
        assertThat(error("emergency api-prod " + "<!channel> ".repeat(50))).startsWith("The reason is 549 characters");
    }

    // --- whatever the input: a Command or a UserError ---

    private static final List<String> PIECES = List.of(
            "manual", "emergency", "blue-green", "data", "validate", "drill", "status", "history", "stats", "log", "ack",
            "cancel", "backups", "oncall", "help", "HELP", "emergancy", "api-prod", "web", "db-prod", "redis-prod",
            "api\u200B-prod", "\u0430pi-prod", "--to", "--to=", "--to=2.3.0", "--backup", "--backup=x.sql", "--", "-",
            "INC-7", "#0", "7", "365", "-1", "99999999999999999999", "\"", "“", "'", "`", "<!channel>", "<@U123>", "&",
            "🔥", "👩‍👩‍👧", "שלום", "مرحبا", "\u202E", "\u200F", "\u0301", "\uD800", "\uDC00", "\u0000", "\u0007", "\u001F",
            "\u007F", "\u0085", "\t", "\n", "\r\n", "\u00A0", "\u2028", "\u3000", "\uFEFF", "%s", "%n", "\\", "$1", ".*");

    @Test
    void randomInputAlwaysGivesACommandOrAUserError() {
        Random random = new Random(20261129);
        int commands = 0;
        int rollbacks = 0;
        int errors = 0;
        for (int i = 0; i < 4000; i++) {
            String text = randomText(random);
            Command c;
            try {
                c = parser.parse(text);
            } catch (UserError e) {
                assertThat(dev.rollbackbot.slack.SlackText.mrkdwn(e.message())).as("message for %s, as Slack shows it", describe(text))
                        .isNotBlank().hasSizeLessThan(3000).doesNotContain("<", ">");
                errors++;
                continue;
            } catch (Throwable e) {
                throw new AssertionError("parse threw " + e + " for " + describe(text), e);
            }
            assertThat(c).as("input %s", describe(text)).isNotNull();
            commands++;
            if (c instanceof Command.Rollback r) {
                rollbacks++;
                assertThat(r.reason().codePointCount(0, r.reason().length())).isLessThanOrEqualTo(CommandParser.MAX_REASON);
                assertThat(r.reason()).doesNotContainPattern("\\p{Cntrl}");
                assertThat(r.kind() == RollbackKind.DATA ? CONFIG.datastoreNames() : CONFIG.serviceNames()).contains(r.target());
            }
        }
        assertThat(commands).as("inputs that parsed").isGreaterThan(500);
        assertThat(rollbacks).as("inputs that parsed as a rollback").isGreaterThan(300);
        assertThat(errors).as("inputs that were refused").isGreaterThan(1000);
    }

    private static String randomText(Random random) {
        StringBuilder b = new StringBuilder();
        if (random.nextBoolean()) { // a real command and target half the time, so the success paths are exercised too
            String word = Word.texts().get(random.nextInt(Word.texts().size()));
            List<String> targets = word.equals("data") || word.equals("backups") ? CONFIG.datastoreNames() : CONFIG.serviceNames();
            b.append(word).append(' ').append(targets.get(random.nextInt(targets.size()))).append(' ');
        }
        int tokens = random.nextInt(8);
        for (int t = 0; t < tokens; t++) {
            switch (random.nextInt(10)) {
                case 0 -> b.append(randomChars(random, 1 + random.nextInt(random.nextInt(10) == 0 ? 2500 : 20)));
                case 1 -> b.append(PIECES.get(random.nextInt(PIECES.size()))).append(PIECES.get(random.nextInt(PIECES.size())));
                default -> b.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            b.append(random.nextInt(6) == 0 ? PIECES.get(random.nextInt(PIECES.size())) : " ");
        }
        return b.toString();
    }

    @Test
    void anAutocorrectedDashBeforeAnOptionStillMakesTheOption() {
        assertThat(parse("manual api-prod \u2014to 2.3.0 bad deploy")).isEqualTo(new Command.Rollback(
                RollbackKind.MANUAL, "api-prod", Optional.of("2.3.0"), Optional.empty(), "bad deploy"));
        assertThat(parse("manual api-prod \u2013to=2.3.0")).isEqualTo(new Command.Rollback(
                RollbackKind.MANUAL, "api-prod", Optional.of("2.3.0"), Optional.empty(), ""));
    }

    @Test
    void anOptionAfterTheReasonIsRefusedRatherThanReadAsReason() {
        assertThat(error("manual api-prod login broken --to 2.3.0")).contains("`--to` comes after the reason",
                "Options go right after the target");
        assertThat(error("emergency api-prod disk full \u2014force")).contains("`--force` comes after the reason");
        assertThat(parse("emergency api-prod queue --> broken")).isInstanceOf(Command.Rollback.class);
    }

    private static String randomChars(Random random, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.appendCodePoint(switch (random.nextInt(4)) {
                case 0 -> 32 + random.nextInt(95);
                case 1 -> random.nextInt(0x20);
                case 2 -> random.nextInt(0x10000); // includes lone surrogates
                default -> random.nextInt(Character.MAX_CODE_POINT + 1);
            });
        }
        return b.toString();
    }

    private static String describe(String text) {
        StringBuilder b = new StringBuilder("\"");
        text.codePoints().limit(200).forEach(cp -> b.append(cp >= 0x20 && cp < 0x7F ? Character.toString(cp)
                : String.format("\\u{%X}", cp)));
        return b.append(text.length() > 200 ? "…\" (" + text.length() + " chars)" : "\"").toString();
    }
}
