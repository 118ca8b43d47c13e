package dev.rollbackbot.console;

import dev.rollbackbot.config.BotConfig;
import java.net.URI;
import java.time.Clock;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;

/**
 * Console mode: Slack's side played locally, on the bot's own Jetty, so the bot can be tried without a workspace.
 * The bot is unchanged: its Web API calls go to {@code /console/api/} (pointed there as tests point it at a fake
 * Slack), and the page's typing and clicks reach {@code /slack/events} as requests signed with this process's secret.
 */
public final class Console {
    private final String baseUrl;
    private final Workspace workspace;
    private final Uploads uploads = new Uploads();
    private final ResponseUrls responseUrls;
    private final EventSender sender;
    private final String botToken;

    public Console(BotConfig config, String signingSecret, String botToken, int port, Clock clock) {
        this.baseUrl = "http://localhost:" + port;
        this.botToken = botToken;
        this.workspace = new Workspace(config.channel(), new People(config), clock);
        this.responseUrls = new ResponseUrls("http://127.0.0.1:" + port);
        this.sender = new EventSender(URI.create("http://127.0.0.1:" + port + "/slack/events"), signingSecret, clock);
    }

    /** The page, for the start-up line. */
    public String url() {
        return baseUrl + "/console";
    }

    /** Where the bot's Slack client sends its Web API calls. */
    public String apiUrl() {
        return "http://127.0.0.1:" + baseUrl.substring(baseUrl.lastIndexOf(':') + 1) + "/console/api/";
    }

    public void install(ServletContextHandler context) {
        context.addServlet(new ServletHolder(new WebApiServlet(workspace, uploads, botToken, baseUrl)), "/console/api/*");
        context.addServlet(new ServletHolder(new ResponseServlet(workspace, responseUrls)), "/console/response/*");
        mapped(context, new ServletHolder(new FilesServlet(uploads)), "/console/upload/*", "/console/files/*");
        mapped(context, new ServletHolder(new PageServlet(workspace, responseUrls, sender)),
                "/console", "/console/assets/*", "/console/state", "/console/command", "/console/click");
    }

    Workspace workspace() {
        return workspace;
    }

    /** Ends the pages' waits for news (before the server stops). */
    public void close() {
        workspace.close();
    }

    private static void mapped(ServletContextHandler context, ServletHolder holder, String... paths) {
        context.getServletHandler().addServlet(holder);
        ServletMapping mapping = new ServletMapping();
        mapping.setServletName(holder.getName());
        mapping.setPathSpecs(paths);
        context.getServletHandler().addServletMapping(mapping);
    }
}
