package dev.rollbackbot.nginx;

/** Where nginx runs (the bot's host, or a container): its files and its two commands. Never a shell. */
public interface Nginx {
    /** The outcome of one nginx command: exit code and what it printed. */
    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    String read(String path);

    /** Writes {@code path} whole: a reader sees the old content or the new one, never half of it. */
    void write(String path, String content);

    /** Removes {@code path}; a file that is not there is fine. */
    void remove(String path);

    /** {@code nginx -t [-c conf]}. */
    Result test();

    /** {@code nginx -t -c mainConf}: a main config other than the one nginx runs with (e.g. a copy including a new site file). */
    Result testWith(String mainConf);

    /** {@code nginx -s reload [-c conf]}. */
    Result reload();

    /** For messages: {@code nginx on the bot's host}. */
    String describe();
}
