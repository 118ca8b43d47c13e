package dev.rollbackbot.slack;

/** Who typed or clicked, where, and how to answer them privately. */
record Caller(String userId, String channelId, String responseUrl, String deliveryKey) {
    Caller {
        if (deliveryKey.length() > 200) {
            deliveryKey = digest(deliveryKey);
        }
    }

    /** A short stable key for a delivery that has no trigger id. */
    static String digest(String s) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
