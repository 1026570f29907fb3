package io.inboxrelay.local.http;

import io.inboxrelay.local.LocalDynamo;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.Request;

/**
 * In AWS the admin routes are IAM-authorised; the local stack has no IAM, so anything that can reach
 * 127.0.0.1 could call them — including a web page open in the developer's browser, with a "simple"
 * cross-origin request (a form POST, or {@code fetch} with {@code no-cors}) that needs no preflight.
 * Refused (403) on an admin route: an {@code Origin} that is not the local page's own, a
 * {@code Sec-Fetch-Site} other than same-origin or none, a form or text content type, and a {@code Host}
 * that is not loopback (DNS rebinding). The CLI, curl and the SDKs send none of these.
 */
final class AdminRequestGuard {

    static final String ADMIN_PREFIX = "/admin";

    private static final Set<String> SIMPLE_CONTENT_TYPES = Set.of(
            "application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

    private AdminRequestGuard() {
    }

    static boolean guards(String routePath) {
        return routePath.equals(ADMIN_PREFIX) || routePath.startsWith(ADMIN_PREFIX + "/");
    }

    /** Why the request is refused, or null when it may proceed. */
    static String refusal(Request request) {
        String host = request.getHttpURI().getHost();
        if (!LocalDynamo.isLoopbackName(host)) {
            return "admin routes answer only requests addressed to 127.0.0.1 or localhost";
        }
        String origin = request.getHeaders().get("Origin");
        if (origin != null && !isOwnOrigin(origin, Request.getLocalPort(request))) {
            return "cross-origin requests to admin routes are refused";
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return "cross-site requests to admin routes are refused";
        }
        String contentType = request.getHeaders().get("Content-Type");
        if (contentType != null) {
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (SIMPLE_CONTENT_TYPES.contains(mediaType)) {
                return "admin routes take application/json, not " + mediaType;
            }
        }
        return null;
    }

    /** The local page's own origin: this very port on a loopback name, over http. */
    static boolean isOwnOrigin(String origin, int port) {
        return origin.equals("http://127.0.0.1:" + port) || origin.equals("http://localhost:" + port)
                || origin.equals("http://[::1]:" + port);
    }
}
