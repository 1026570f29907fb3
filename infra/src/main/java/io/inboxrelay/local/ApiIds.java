package io.inboxrelay.local;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/** Identifiers and timestamps in the formats API Gateway puts in its events. */
public final class ApiIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private ApiIds() {
    }

    /** Like API Gateway's request and connection ids ({@code "GN9LRdl2oAMCLNA="}); URL-safe so they sit in a path unescaped but for '='. */
    public static String next() {
        byte[] bytes = new byte[11];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().encodeToString(bytes);
    }

    /** {@code requestContext.requestTime}, e.g. {@code 09/Apr/2015:12:34:56 +0000}. */
    public static String requestTime(Instant instant) {
        return REQUEST_TIME.format(instant);
    }
}
