package io.inboxrelay.core.outbound;

import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one small HTTP client every gateway client shares: JDK {@link HttpClient}, a connect and a request
 * timeout, and bounded retries with full-jitter exponential backoff.
 *
 * <p>Retried: a connection that could not be made (nothing reached the gateway), 5xx and 429 answers
 * (honouring {@code Retry-After} up to the policy's limit), and a timeout only when the request is idempotent.
 * Never retried: any other 4xx, which no repetition can change. The final answer, success or not, is
 * returned for the provider client to read the gateway's own error from; only a call that got no answer
 * at all throws. Logs carry provider, operation, status and attempt — never a header, a body or a URL.
 */
public final class GatewayHttp {

    /** Built once per container: the JDK client pools connections and threads. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(GatewayHttp.class);

    /** Waits out a backoff; tests record the waits instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final HttpClient client;
    private final Duration requestTimeout;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Clock clock;

    public GatewayHttp(HttpClient client, Duration requestTimeout, RetryPolicy policy, Sleeper sleeper, RandomGenerator random,
            Clock clock) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.policy = policy;
        this.sleeper = sleeper;
        this.random = random;
        this.clock = clock;
    }

    /** The production client: HTTP/1.1 (gateways behind simple proxies), no redirects (a redirect must not carry a key elsewhere). */
    public static GatewayHttp create(Duration connectTimeout, Duration requestTimeout, RetryPolicy policy) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new GatewayHttp(client, requestTimeout, policy, duration -> Thread.sleep(duration.toMillis()),
                RandomGenerator.getDefault(), Clock.systemUTC());
    }

    public static GatewayHttp createDefault() {
        return create(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, RetryPolicy.DEFAULT);
    }

    /**
     * Sends the request, retrying as the policy allows.
     *
     * @return the gateway's final answer, whatever its status
     * @throws GatewayException when no answer came (connection refused, timeout, interrupted) or the body was too large
     */
    public GatewayResponse execute(GatewayRequest request) {
        Instant deadline = clock.instant().plus(policy.budget());
        int attempt = 0;
        while (true) {
            attempt++;
            GatewayResponse response;
            try {
                response = once(request, attempt);
            } catch (GatewayException e) {
                Kind kind = e.failure().kind();
                boolean mayRetry = kind == Kind.CONNECTION || (kind == Kind.TIMEOUT && request.idempotent());
                if (!mayRetry || !waitBeforeRetry(request, attempt, null, deadline)) {
                    throw e;
                }
                continue;
            }
            if (!retryableStatus(response.status())) {
                return response;
            }
            Duration retryAfter = retryAfter(response.header("Retry-After"));
            if (retryAfter != null && retryAfter.compareTo(policy.maxRetryAfter()) > 0) {
                LOG.info("gateway asked to wait longer than a call may provider={} operation={} status={} retryAfterS={}",
                        request.provider().wireName(), request.operation(), response.status(), retryAfter.toSeconds());
                return response;
            }
            if (!waitBeforeRetry(request, attempt, retryAfter, deadline)) {
                return response;
            }
        }
    }

    private GatewayResponse once(GatewayRequest request, int attempt) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(requestTimeout);
        request.headers().forEach(builder::header);
        builder.method(request.method(), request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        try {
            HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body = readBounded(request, response);
            if (response.statusCode() >= 400) {
                LOG.info("gateway answered provider={} operation={} status={} attempt={}",
                        request.provider().wireName(), request.operation(), response.statusCode(), attempt);
            }
            return new GatewayResponse(response.statusCode(), response.headers(), body, attempt);
        } catch (HttpConnectTimeoutException | ConnectException | UnresolvedAddressException e) {
            throw noAnswer(request, Kind.CONNECTION, "could not connect to the gateway", e, attempt);
        } catch (HttpTimeoutException e) {
            throw noAnswer(request, Kind.TIMEOUT, "no answer within " + requestTimeout.toMillis() + " ms", e, attempt);
        } catch (IOException e) {
            // Connection reset or closed mid-answer: the request may have reached the gateway, as with a timeout.
            Kind kind = e.getCause() instanceof UnknownHostException || e instanceof UnknownHostException
                    ? Kind.CONNECTION : Kind.TIMEOUT;
            throw noAnswer(request, kind, "connection to the gateway failed", e, attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(request.failure(Kind.TIMEOUT, 0, null, "interrupted while waiting for the gateway", null));
        }
    }

    private GatewayException noAnswer(GatewayRequest request, Kind kind, String reason, Exception cause, int attempt) {
        LOG.info("gateway unreachable provider={} operation={} kind={} attempt={} error={}",
                request.provider().wireName(), request.operation(), kind, attempt, cause.getClass().getSimpleName());
        return new GatewayException(request.failure(kind, 0, null, reason, null), cause);
    }

    private static byte[] readBounded(GatewayRequest request, HttpResponse<InputStream> response) throws IOException {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (declared > request.maxResponseBytes()) {
                throw tooLarge(request, response.statusCode(), declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] chunk = new byte[8192];
            long total = 0;
            int read;
            while ((read = in.read(chunk)) != -1) {
                total += read;
                if (total > request.maxResponseBytes()) {
                    throw tooLarge(request, response.statusCode(), total);
                }
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        }
    }

    private static GatewayException tooLarge(GatewayRequest request, int status, long bytes) {
        return new GatewayException(request.failure(Kind.TOO_LARGE, status, null,
                "the gateway's answer is larger than " + request.maxResponseBytes() + " bytes (at least " + bytes + ")", null));
    }

    /** Waits before the next attempt; false when none is left or the wait would pass the call's budget. */
    private boolean waitBeforeRetry(GatewayRequest request, int attempt, Duration retryAfter, Instant deadline) {
        if (attempt >= policy.maxAttempts()) {
            return false;
        }
        Duration delay = retryAfter != null ? retryAfter : jitter(policy.ceiling(attempt));
        if (clock.instant().plus(delay).isAfter(deadline)) {
            return false;
        }
        LOG.info("retrying gateway call provider={} operation={} attempt={} delayMs={}",
                request.provider().wireName(), request.operation(), attempt + 1, delay.toMillis());
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Duration jitter(Duration ceiling) {
        long max = ceiling.toMillis();
        return Duration.ofMillis(max <= 0 ? 0 : random.nextLong(max + 1));
    }

    static boolean retryableStatus(int status) {
        return status == 429 || status >= 500;
    }

    /** {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
    Duration retryAfter(String header) {
        return parseRetryAfter(header, clock);
    }

    static Duration parseRetryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
            Duration until = Duration.between(clock.instant(), at.toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
