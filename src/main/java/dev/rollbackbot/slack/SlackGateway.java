package dev.rollbackbot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.util.Responder;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web API calls the bot makes, with Slack's rate limits honoured: a 429 waits the Retry-After it names
 * (capped), a network fault is tried again briefly, and a Slack error becomes a {@link SlackCallException}.
 */
public final class SlackGateway {
    private static final Logger log = LoggerFactory.getLogger(SlackGateway.class);
    private static final int TRIES = 4;
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final Slack slack;
    private final MethodsClient methods;
    private final HttpClient uploads = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public SlackGateway(Slack slack, String botToken) {
        this.slack = slack;
        this.methods = slack.methods(botToken);
    }

    @FunctionalInterface
    private interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    /** Posts a message (a thread reply when {@code threadTs} is given) and returns its ts. */
    public String post(String channel, SlackMessage m, String threadTs) {
        return call("chat.postMessage", () -> methods.chatPostMessage(r -> r.channel(channel).text(m.text())
                .blocks(m.blocks().isEmpty() ? null : m.blocks()).threadTs(threadTs).unfurlLinks(false).unfurlMedia(false)))
                .getTs();
    }

    public void update(String channel, String ts, SlackMessage m) {
        call("chat.update", () -> methods.chatUpdate(r -> r.channel(channel).ts(ts).text(m.text())
                .blocks(m.blocks().isEmpty() ? null : m.blocks())));
    }

    /** The direct-message channel with {@code user} ({@code conversations.open}), for pages. */
    public String openDm(String user) {
        return call("conversations.open", () -> methods.conversationsOpen(r -> r.users(List.of(user)))).getChannel().getId();
    }

    /** A link to a message ({@code chat.getPermalink}). */
    public String permalink(String channel, String ts) {
        return call("chat.getPermalink", () -> methods.chatGetPermalink(r -> r.channel(channel).messageTs(ts))).getPermalink();
    }

    /**
     * Shares a file in {@code channel} (in the thread of {@code threadTs} when given) by Slack's external upload flow,
     * as the SDK's {@code filesUploadV2} does: {@code files.getUploadURLExternal} (name, length), the bytes POSTed to the
     * upload URL it returns, then {@code files.completeUploadExternal} with the file's id and title. Returns the file id;
     * a failure of any of the three is a {@link SlackCallException} naming that step.
     */
    public String upload(String channel, String threadTs, String filename, String title, byte[] bytes, String comment) {
        var url = call("files.getUploadURLExternal", () -> methods.filesGetUploadURLExternal(r -> r.filename(filename)
                .length(bytes.length)));
        sendBytes(url.getUploadUrl(), bytes);
        call("files.completeUploadExternal", () -> methods.filesCompleteUploadExternal(r -> r
                .files(List.of(FilesCompleteUploadExternalRequest.FileDetails.builder().id(url.getFileId()).title(title).build()))
                .channelId(channel).threadTs(threadTs).initialComment(comment)));
        return url.getFileId();
    }

    private void sendBytes(String uploadUrl, byte[] bytes) {
        String step = "the upload of the file's bytes";
        try {
            HttpResponse<String> res = uploads.send(HttpRequest.newBuilder(URI.create(uploadUrl)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new SlackCallException(step, "HTTP " + res.statusCode());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SlackCallException(step, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackCallException(step, "interrupted");
        }
    }

    /** Slack could not be reached at all (no answer, or a 5xx/429): worth trying again later. */
    public static final class Unreachable extends RuntimeException {
        public Unreachable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Asks Slack whether the bot token is good ({@code auth.test}), once, without retrying: throws {@link Unreachable}
     * when Slack does not answer, {@link SlackCallException} when it answers no.
     */
    public void checkToken() {
        try {
            var res = methods.authTest(r -> r);
            if (!res.isOk()) {
                throw new SlackCallException("auth.test", res.getError());
            }
        } catch (IOException e) {
            throw new Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (SlackApiException e) {
            int code = e.getResponse().code();
            if (code == 429 || code >= 500) {
                throw new Unreachable("HTTP " + code);
            }
            throw new SlackCallException("auth.test", "HTTP " + code);
        }
    }

    public List<String> groupMembers(String groupId) {
        return call("usergroups.users.list", () -> methods.usergroupsUsersList(r -> r.usergroup(groupId))).getUsers();
    }

    /** An ephemeral answer through the request's response_url (seen only by the person who typed or clicked). */
    public void respond(String responseUrl, SlackMessage m) {
        if (responseUrl == null || responseUrl.isBlank()) {
            log.warn("no response_url to answer with: {}", m.text());
            return;
        }
        try {
            new Responder(slack, responseUrl).sendToAction(r -> r.responseType("ephemeral").replaceOriginal(false)
                    .text(m.text()).blocks(m.blocks().isEmpty() ? null : m.blocks()));
        } catch (IOException | RuntimeException e) {
            log.warn("could not answer through response_url: {}", e.toString());
        }
    }

    private <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
        Duration wait = Duration.ofMillis(250);
        for (int attempt = 1; ; attempt++) {
            try {
                T res = call.run();
                if (!res.isOk()) {
                    throw new SlackCallException(method, res.getError());
                }
                return res;
            } catch (SlackApiException e) {
                int code = e.getResponse().code();
                if (code != 429 || attempt >= TRIES) {
                    String err = e.getError() != null && e.getError().getError() != null ? e.getError().getError() : "HTTP " + code;
                    throw new SlackCallException(method, err);
                }
                String retryAfter = e.getResponse().header("Retry-After");
                Duration d = retryAfter == null ? Duration.ofSeconds(1) : Duration.ofSeconds(parse(retryAfter));
                log.warn("{} rate limited; waiting {} before try {}", method, d, attempt + 1);
                pause(d.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : d);
            } catch (IOException e) {
                if (attempt >= TRIES) {
                    throw new SlackCallException(method, "Slack unreachable: " + e.getMessage());
                }
                pause(wait);
                wait = wait.multipliedBy(2);
            }
        }
    }

    private static long parse(String s) {
        try {
            return Math.max(1, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void pause(Duration d) {
        LockSupport.parkNanos(d.toNanos());
    }
}
