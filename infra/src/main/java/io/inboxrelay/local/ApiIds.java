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

    /**
     * Like API Gateway's request and connection ids ({@code "GN9LRdl2oAMCLNA="}); URL-safe so they sit in a path
     * unescaped but for '='. Never starting with '-' or '_': AWS's start with a letter or digit, and a leading
     * '-' makes command-line tools (the AWS CLI's {@code --connection-id -abc}) read the id as an option.
     */
    public static String next() {
        byte[] bytes = new byte[11];
        String id;
        do {
            RANDOM.nextBytes(bytes);
            id = Base64.getUrlEncoder().encodeToString(bytes);
        } while (!Character.isLetterOrDigit(id.charAt(0)));
        return id;
    }

    /** {@code requestContext.requestTime}, e.g. {@code 09/Apr/2015:12:34:56 +0000}. */
    public static String requestTime(Instant instant) {
        return REQUEST_TIME.format(instant);
    }
}
