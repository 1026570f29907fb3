package io.inboxrelay.local.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/** The browser client's files, from a classpath directory, for GET requests no API route claims. */
final class StaticFiles {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "webmanifest", "application/manifest+json");

    private final String root;

    StaticFiles(String root) {
        this.root = root;
    }

    int serve(Request request, Response response, Callback callback, String path) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            return HttpResponses.json(response, callback, 404, "{\"message\":\"Not Found\"}");
        }
        String name = path == null || path.equals("/") ? "index.html" : path.substring(1);
        if (name.endsWith("/")) {
            name += "index.html";
        }
        if (name.contains("..") || name.contains("\\")) {
            return HttpResponses.json(response, callback, 404, "{\"message\":\"Not Found\"}");
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + name)) {
            if (in == null) {
                return HttpResponses.json(response, callback, 404, "{\"message\":\"Not Found\"}");
            }
            byte[] bytes = in.readAllBytes();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            response.setStatus(200);
            response.getHeaders().put("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
            response.getHeaders().put("Cache-Control", "no-cache");
            response.write(true, "HEAD".equals(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
            return 200;
        }
    }
}
