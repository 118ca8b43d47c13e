package dev.rollbackbot.docker;

/** An image reference split into repository and tag: {@code registry:5000/team/app:2.3.1}. */
public record ImageRef(String repository, String tag) {

    public static ImageRef parse(String reference) {
        String ref = reference;
        int at = ref.indexOf('@');
        if (at >= 0) {
            ref = ref.substring(0, at);
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return new ImageRef(ref.substring(0, colon), ref.substring(colon + 1));
        }
        return new ImageRef(ref, "latest");
    }

    /** The same repository with another tag. */
    public ImageRef withTag(String otherTag) {
        return new ImageRef(repository, otherTag);
    }

    /** True when {@code reference} names this repository, with or without Docker's implied registry prefixes. */
    public boolean sameRepository(ImageRef other) {
        return normal(repository).equals(normal(other.repository));
    }

    private static String normal(String repo) {
        String r = repo;
        for (String prefix : new String[] {"docker.io/library/", "docker.io/", "index.docker.io/library/"}) {
            if (r.startsWith(prefix)) {
                r = r.substring(prefix.length());
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return repository + ":" + tag;
    }
}
