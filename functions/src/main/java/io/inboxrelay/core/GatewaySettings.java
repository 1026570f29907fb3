package io.inboxrelay.core;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * What a listing may show of a session's gateway API connection: never the credential, only whether one is stored.
 *
 * @param baseUrl        the gateway API's base URL (Meta: null for the Graph API's own)
 * @param gatewaySession the gateway's name for the session (Evolution instance, WAHA session, Inbox Hub id, Meta
 *                       phone-number id); null means the session id
 * @param apiVersion     Meta's Graph API version, or null
 * @param hasCredential  whether an API key or access token is stored (sealed) for it
 */
public record GatewaySettings(String baseUrl, String gatewaySession, String apiVersion, boolean hasCredential) {

    /** Hosts a plain-http base URL may name: the local gateway simulator, never a host on a network. */
    static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    /**
     * The base URL as stored: https, or http to a loopback host (the local simulator); anything else refused with
     * the reason, since the key travels in a header to that host.
     */
    public static String checkBaseUrl(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("the gateway's base URL is required (e.g. https://evolution.example.com)");
        }
        URI uri;
        try {
            uri = URI.create(baseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the gateway's base URL is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the gateway's base URL needs a host: " + baseUrl);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the gateway's base URL must not carry credentials, a query or a fragment");
        }
        if (scheme.equals("https")) {
            return stripSlash(uri.toString());
        }
        if (scheme.equals("http") && LOOPBACK_HOSTS.contains(host)) {
            return stripSlash(uri.toString());
        }
        throw new IllegalArgumentException("the gateway's base URL must be https (its API key travels in a header); plain http"
                + " is allowed only for localhost or 127.0.0.1 (the local simulator): " + scheme + "://" + host);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
