package dev.rollbackbot.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rollbackbot.core.RollbackKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code config/rollback-bot.yml} into a checked {@link BotConfig}, or fails naming file, key and problem. */
public final class ConfigLoader {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    static final Pattern CONTAINER = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    static final Pattern CHANNEL = Pattern.compile("[CGD][A-Z0-9]{2,}");
    static final Pattern USER_OR_GROUP = Pattern.compile("[UWS][A-Z0-9]{2,}");
    static final Pattern USER = Pattern.compile("[UW][A-Z0-9]{2,}");
    static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    static final Pattern ENDPOINT = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@/%?-]*");
    static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,60}");
    static final Pattern ANY = Pattern.compile(".+");

    private ConfigLoader() {
    }

    public static BotConfig load(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, List.of("the file does not exist (set ROLLBACK_BOT_CONFIG to its path)"));
        } catch (IOException e) {
            throw new ConfigException(source, List.of("cannot be read: " + e.getMessage()));
        }
        return parse(source, text);
    }

    public static BotConfig parse(String source, String yaml) {
        JsonNode root;
        try {
            // A key given twice must not silently replace the first (e.g. a second services section or self-approval).
            // (YAMLMapper.builder(), not YAMLFactory.builder(): the latter reads an empty value as "" instead of null.)
            root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of("is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "")));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(source, List.of("must be a YAML mapping with at least the keys slack and services"));
        }
        List<String> problems = new ArrayList<>();
        ConfigNode top = new ConfigNode(root, "", problems);

        String channel = null;
        Optional<ConfigNode> slack = top.child("slack");
        if (slack.isEmpty() && !top.has("slack")) {
            top.problem("slack", "is missing: it needs at least channel (the id of the ops channel, e.g. C0OPS)");
        } else if (slack.isPresent()) {
            channel = slack.get().requiredString("channel", CHANNEL, "a channel id such as C0OPS");
            slack.get().finish();
        }
        ApprovalSettings approvals = approvals(top.child("approvals"));
        List<EscalationLevel> escalation = escalation(top);
        Map<String, DatastoreConfig> datastores = top.named("datastores", NAME,
                "a datastore name (lower case letters, digits, '.', '_' or '-')", ConfigLoader::datastore);
        if (!top.has("services")) {
            top.problem("services", "is missing: the bot needs at least one service to roll back");
        } else if (root.get("services").isObject() && root.get("services").isEmpty()) {
            top.problem("services", "is empty: the bot needs at least one service to roll back");
        }
        Map<String, ServiceConfig> services = top.named("services", NAME,
                "a service name (lower case letters, digits, '.', '_' or '-')", ConfigLoader::service);
        top.finish();

        // Names as written, so a datastore with problems of its own is not also reported as absent.
        List<String> declared = new ArrayList<>();
        root.path("datastores").fieldNames().forEachRemaining(declared::add);
        for (ServiceConfig s : services.values()) {
            for (String d : s.dependsOn()) {
                if (!declared.contains(d)) {
                    problems.add("services." + s.name() + ".depends-on: '" + d + "' is not a datastore of this file"
                            + (declared.isEmpty() ? " (there is no datastores section)" : "; datastores: " + String.join(", ", declared)));
                }
            }
            if (datastores.containsKey(s.name())) {
                problems.add("services." + s.name() + ": a datastore has the same name; names must differ so commands are unambiguous");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new BotConfig(source, channel, approvals, escalation, services, datastores);
    }

    private static ApprovalSettings approvals(Optional<ConfigNode> section) {
        Map<RollbackKind, Integer> required = new EnumMap<>(RollbackKind.class);
        if (section.isEmpty()) {
            return new ApprovalSettings(List.of(), required, false, Duration.ofMinutes(30));
        }
        ConfigNode a = section.get();
        List<String> approvers = a.strings("approvers", USER_OR_GROUP, "a Slack user id (U..., W...) or user group id (S...)");
        a.child("required").ifPresent(r -> {
            for (RollbackKind kind : RollbackKind.values()) {
                if (r.has(kind.word())) {
                    required.put(kind, r.integer(kind.word(), kind.defaultApprovals(), 0, 10));
                }
            }
            r.finish();
        });
        boolean self = a.bool("self-approval", false);
        Duration expire = a.duration("expire-after", Duration.ofMinutes(30));
        a.finish();
        boolean needsApprovers = required.entrySet().stream().anyMatch(e -> e.getValue() > 0)
                || Arrays.stream(RollbackKind.values()).anyMatch(k -> !required.containsKey(k) && k.defaultApprovals() > 0);
        if (approvers.isEmpty() && needsApprovers && !a.has("approvers")) {
            a.problem("approvers", "is missing: list who may approve rollbacks (user ids U... or user group ids S...)");
        }
        return new ApprovalSettings(approvers, required, self, expire);
    }

    private static List<EscalationLevel> escalation(ConfigNode top) {
        Optional<ConfigNode> section = top.child("escalation");
        if (section.isEmpty()) {
            return EscalationLevel.runbookDefaults();
        }
        List<EscalationLevel> levels = new ArrayList<>();
        for (ConfigNode l : section.get().children("levels")) {
            String name = l.requiredString("name", WORD, "a level name such as L1");
            String role = l.optString("role", WORD, "a role such as DevOps Engineer").orElse(name);
            List<String> notify = l.strings("notify", USER_OR_GROUP, "a Slack user id (U...) or user group id (S...)");
            List<String> email = l.strings("email", EMAIL, "an email address");
            Duration within = l.duration("respond-within", Duration.ofMinutes(15));
            l.finish();
            if (notify.isEmpty() && email.isEmpty()) {
                l.problem("notify", "a level needs someone to page: give notify (Slack ids) or email");
            }
            levels.add(new EscalationLevel(name, role, notify, email, within));
        }
        section.get().finish();
        if (levels.isEmpty()) {
            section.get().problem("levels", "is missing or empty: give at least one level, or leave escalation out for the runbook's L1-L4");
        }
        return levels;
    }

    private static ServiceConfig service(ConfigNode s) {
        String name = s.path().substring(s.path().indexOf('.') + 1);
        Optional<String> platformWord = s.optString("platform");
        Platform platform = null;
        if (platformWord.isEmpty()) {
            s.problem("platform", "is missing: write docker or kubernetes");
        } else {
            platform = Arrays.stream(Platform.values()).filter(p -> p.word().equals(platformWord.get())).findFirst().orElse(null);
            if (platform == null) {
                s.problem("platform", "'" + platformWord.get() + "' is not a platform: write docker or kubernetes");
            }
        }
        Optional<String> container = s.optString("container", CONTAINER, "a container name");
        Optional<String> namespace = s.optString("namespace", K8S_NAME, "a Kubernetes namespace name");
        Optional<String> deployment = s.optString("deployment", K8S_NAME, "a Kubernetes deployment name");
        // a service whose only procedure is blue-green may leave out its target (via service still needs the namespace)
        boolean blueGreenOnly = s.has("blue-green");
        boolean viaService = blueGreenOnly && s.raw("blue-green").path("via").asText("").equals(BlueGreenSettings.SERVICE);
        if (viaService && namespace.isEmpty() && !s.has("namespace")) {
            s.problem("namespace", "is missing: blue-green via service needs the namespace of its Service and Deployments");
        }
        if (platform == Platform.DOCKER && container.isEmpty() && !s.has("container") && !blueGreenOnly) {
            s.problem("container", "is missing: a docker service needs the name of its container");
        }
        if (platform == Platform.KUBERNETES && !blueGreenOnly) {
            if (namespace.isEmpty() && !s.has("namespace")) {
                s.problem("namespace", "is missing: a kubernetes service needs namespace and deployment");
            }
            if (deployment.isEmpty() && !s.has("deployment")) {
                s.problem("deployment", "is missing: a kubernetes service needs namespace and deployment");
            }
        }
        URI health = healthUrl(s);
        Duration ready = s.duration("ready-timeout", Duration.ofSeconds(120));
        List<String> endpoints = s.strings("endpoints", ENDPOINT, "a path starting with /");
        Duration maxResponse = s.duration("max-response-time", Duration.ofSeconds(2));
        List<String> dependsOn = s.strings("depends-on", NAME, "a datastore name");
        Optional<MonitorSettings> monitor = s.child("monitor").map(ConfigLoader::monitor);
        Optional<BlueGreenSettings> blueGreen = s.child("blue-green").map(ConfigLoader::blueGreen);
        if (platform == null || health == null) {
            return null;
        }
        return new ServiceConfig(name, platform, container.orElse(null), namespace.orElse(null), deployment.orElse(null),
                health, ready, endpoints, maxResponse, dependsOn, monitor, blueGreen);
    }

    private static URI healthUrl(ConfigNode s) {
        String text = s.requiredString("health-url", ANY, "the URL that answers 200 when the service is healthy");
        if (text == null) {
            return null;
        }
        try {
            URI uri = URI.create(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                s.problem("health-url", "'" + text + "' is not an http(s) URL with a host, e.g. http://localhost:80/health");
                return null;
            }
            return uri;
        } catch (IllegalArgumentException e) {
            s.problem("health-url", "'" + text + "' is not a URL: " + e.getMessage());
            return null;
        }
    }

    private static MonitorSettings monitor(ConfigNode m) {
        MonitorSettings d = MonitorSettings.defaults();
        MonitorSettings out = new MonitorSettings(
                m.duration("interval", d.interval()),
                m.duration("timeout", d.timeout()),
                m.integer("retries", d.retries(), 1, 100),
                m.duration("start-period", d.startPeriod(), true),
                m.bool("auto-rollback", d.autoRollback()));
        m.finish();
        return out;
    }

    private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");

    private static BlueGreenSettings blueGreen(ConfigNode b) {
        String via = b.requiredString("via", Pattern.compile("nginx|service"), "nginx or service");
        String config = null;
        String container = null;
        Optional<String> nginxConf = Optional.empty();
        Optional<String> service = Optional.empty();
        String selectorKey = "colour";
        if (BlueGreenSettings.SERVICE.equals(via)) {
            service = b.optString("service", K8S_NAME, "a Kubernetes Service name");
            selectorKey = b.optString("selector-key", Pattern.compile("([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?"),
                    "a label key such as colour").orElse("colour");
            if (service.isEmpty() && !b.has("service")) {
                b.problem("service", "is missing: blue-green via service needs the name of the Kubernetes Service whose selector is switched");
            }
        } else {
            config = b.optString("config", ABSOLUTE_PATH, "an absolute path such as /etc/nginx/sites-available/web").orElse(null);
            nginxConf = b.optString("nginx-conf", ABSOLUTE_PATH, "an absolute path such as /etc/nginx/nginx.conf");
            container = b.optString("container", CONTAINER, "a container name").orElse(null);
            if ("nginx".equals(via) && config == null && !b.has("config")) {
                b.problem("config", "is missing: nginx blue-green needs the path of the site config whose upstream is switched");
            }
        }
        List<String> colours = b.strings("colours", NAME, "a colour name such as blue");
        b.finish();
        if (!colours.isEmpty() && (colours.size() != 2 || colours.get(0).equals(colours.get(1)))) {
            b.problem("colours", "must name exactly two different colours, e.g. [blue, green]");
        }
        return new BlueGreenSettings(via, config, container, colours.isEmpty() ? List.of("blue", "green") : colours, nginxConf,
                service, selectorKey);
    }

    private static DatastoreConfig datastore(ConfigNode d) {
        String name = d.path().substring(d.path().indexOf('.') + 1);
        Optional<String> typeWord = d.optString("type");
        DatastoreType type = null;
        if (typeWord.isEmpty()) {
            d.problem("type", "is missing: write postgres or redis");
        } else {
            type = Arrays.stream(DatastoreType.values()).filter(t -> t.word().equals(typeWord.get())).findFirst().orElse(null);
            if (type == null) {
                d.problem("type", "'" + typeWord.get() + "' is not a datastore type: write postgres or redis");
            }
        }
        Optional<String> container = d.optString("container", CONTAINER, "a container name");
        Optional<String> host = d.optString("host", Pattern.compile("[A-Za-z0-9.:\\[\\]-]+"), "a host name or address");
        int defaultPort = type == DatastoreType.REDIS ? 6379 : 5432;
        int port = d.integer("port", defaultPort, 1, 65535);
        String database = d.optString("database").orElse("postgres");
        String user = d.optString("user").orElse("postgres");
        Optional<String> backups = d.optString("backups");
        Optional<String> dataDir = d.optString("data-dir");
        int minTables = d.integer("min-tables", 0, 0, 100_000);
        if (container.isEmpty() && host.isEmpty() && !d.has("container") && !d.has("host")) {
            d.problem("container", "is missing: give the datastore's container, or its host (and port)");
        }
        return type == null ? null
                : new DatastoreConfig(name, type, container, host, port, database, user, backups, dataDir, minTables);
    }
}
