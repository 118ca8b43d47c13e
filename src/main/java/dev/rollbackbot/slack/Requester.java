package dev.rollbackbot.slack;

/** Who typed or clicked, where, and how to answer them privately. */
record Requester(String userId, String channelId, String responseUrl, String deliveryKey) {
}
