package dev.rollbackbot.common;

/** What an exception chain says at its root, for messages and logs. */
public final class Errors {
    private Errors() {
    }

    /** The innermost cause's message (or its class name when it has none). */
    public static String rootMessage(Throwable e) {
        Throwable t = root(e);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The innermost cause as {@code Class: message}. */
    public static String rootDescription(Throwable e) {
        Throwable t = root(e);
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
