package dev.rollbackbot.config;

import java.util.List;

/** How traffic of a blue-green service is switched: {@code via} nginx or a Kubernetes Service selector. */
public record BlueGreenSettings(String via, String config, String container, List<String> colours) {
    public BlueGreenSettings {
        colours = List.copyOf(colours);
    }
}
