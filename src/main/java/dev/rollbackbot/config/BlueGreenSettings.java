package dev.rollbackbot.config;

import java.util.List;
import java.util.Optional;

/**
 * How traffic of a blue-green service is switched: {@code via: nginx} rewrites the {@code proxy_pass} lines of a site
 * file ({@code config}; {@code nginx-conf} is the main config given to nginx with {@code -c}; {@code container} runs
 * nginx inside that container instead of on the bot's host), {@code via: service} patches a Kubernetes Service's
 * selector ({@code service}, label {@code selectorKey}).
 */
public record BlueGreenSettings(String via, String config, String container, List<String> colours, Optional<String> nginxConf,
        Optional<String> service, String selectorKey) {
    public static final String NGINX = "nginx";
    public static final String SERVICE = "service";

    public BlueGreenSettings {
        colours = List.copyOf(colours);
    }

    public BlueGreenSettings(String via, String config, String container, List<String> colours) {
        this(via, config, container, colours, Optional.empty(), Optional.empty(), "colour");
    }

    public boolean viaService() {
        return SERVICE.equals(via);
    }

    public Optional<String> nginxContainer() {
        return Optional.ofNullable(container);
    }
}
