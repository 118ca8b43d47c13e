package dev.rollbackbot.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /console/upload/<id>} takes an upload's bytes; {@code GET /console/files/<id>} serves them to the page. */
final class FilesServlet extends HttpServlet {
    private final transient Uploads uploads;

    FilesServlet(Uploads uploads) {
        this.uploads = uploads;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = idOf(req);
        if (!req.getServletPath().endsWith("/upload") || !uploads.receive(id, req.getInputStream().readAllBytes())) {
            resp.sendError(404, "no upload " + id);
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/plain");
        resp.getWriter().write("OK - " + id);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        var file = uploads.get(idOf(req)).filter(u -> u.bytes() != null);
        if (file.isEmpty() || !req.getServletPath().endsWith("/files")) {
            resp.sendError(404);
            return;
        }
        resp.setContentType(file.get().mimetype().startsWith("text/") ? file.get().mimetype() + "; charset=utf-8" : file.get().mimetype());
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Content-Disposition", "inline; filename=\"" + file.get().filename().replaceAll("[^\\w.-]", "_") + "\"");
        resp.getOutputStream().write(file.get().bytes());
    }

    private static String idOf(HttpServletRequest req) {
        return req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
    }
}
