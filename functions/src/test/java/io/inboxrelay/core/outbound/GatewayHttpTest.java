package io.inboxrelay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.outbound.FakeGateway.RecordingSleeper;
import io.inboxrelay.core.outbound.FakeGateway.Reply;
import io.inboxrelay.core.outbound.GatewayFailure.Kind;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayHttpTest {

    private static final Credential KEY = Credential.of("k3y-that-must-never-leak-0123456789");

    private FakeGateway gateway;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private GatewayRequest send(URI base) {
        return GatewayRequest.json(Provider.WAHA, "sendText", "POST", URI.create(base + "/api/sendText"),
                Map.of("X-Api-Key", KEY.reveal()), Json.object().put("text", "hi"), false, List.of(KEY));
    }

    @Test
    void a_5xx_is_retried_with_full_jitter_backoff_until_it_succeeds() {
        gateway.on("POST /api/sendText", Reply.json(503, "{}"), Reply.json(502, "{}"), Reply.json(201, "{\"id\":\"x\"}"));

        GatewayResponse response = FakeGateway.http(sleeper).execute(send(gateway.baseUrl()));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.attempts()).isEqualTo(3);
        assertThat(gateway.requests()).hasSize(3);
        // Full jitter: each wait is uniform in [0, ceiling], the ceiling doubling from the base.
        assertThat(sleeper.waits).hasSize(2);
        assertThat(sleeper.waits.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(250));
        assertThat(sleeper.waits.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(500));
    }

    @Test
    void a_429_waits_exactly_the_retry_after_the_gateway_asked_for() {
        gateway.on("POST /api/sendText", Reply.json(429, "{}").withHeader("Retry-After", "2"), Reply.json(201, "{}"));

        GatewayResponse response = FakeGateway.http(sleeper).execute(send(gateway.baseUrl()));

        assertThat(response.status()).isEqualTo(201);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void a_retry_after_longer_than_a_call_may_wait_ends_the_call_with_the_429() {
        gateway.on("POST /api/sendText", Reply.json(429, "{}").withHeader("Retry-After", "120"));

        GatewayResponse response = FakeGateway.http(sleeper).execute(send(gateway.baseUrl()));

        assertThat(response.status()).isEqualTo(429);
        assertThat(gateway.requests()).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
        assertThat(GatewayHttp.parseRetryAfter(response.header("Retry-After"), Clock.systemUTC())).isEqualTo(Duration.ofSeconds(120));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 413, 422})
    void a_4xx_is_never_retried(int status) {
        gateway.on("POST /api/sendText", Reply.json(status, "{}"), Reply.json(201, "{}"));

        GatewayResponse response = FakeGateway.http(sleeper).execute(send(gateway.baseUrl()));

        assertThat(response.status()).isEqualTo(status);
        assertThat(gateway.requests()).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void retries_stop_after_the_policy_s_attempts_and_the_last_answer_is_returned() {
        gateway.on("POST /api/sendText", Reply.json(500, "{\"message\":\"boom\"}"));

        GatewayResponse response = FakeGateway.http(sleeper).execute(send(gateway.baseUrl()));

        assertThat(response.status()).isEqualTo(500);
        assertThat(gateway.requests()).hasSize(RetryPolicy.DEFAULT.maxAttempts());
    }

    @Test
    void a_retry_that_would_pass_the_call_s_budget_is_not_made() {
        RetryPolicy tight = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(3));
        gateway.on("POST /api/sendText", Reply.json(503, "{}").withHeader("Retry-After", "4"));

        GatewayResponse response = FakeGateway.http(sleeper, Duration.ofSeconds(5), tight).execute(send(gateway.baseUrl()));

        assertThat(response.status()).isEqualTo(503);
        assertThat(gateway.requests()).hasSize(1);
    }

    @Test
    void a_refused_connection_is_retried_then_fails_as_a_retryable_connection_error() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        GatewayRequest request = send(URI.create("http://127.0.0.1:" + closedPort));

        GatewayException failure = catchThrowableOfType(GatewayException.class,
                () -> FakeGateway.http(sleeper).execute(request));

        assertThat(failure.failure().kind()).isEqualTo(Kind.CONNECTION);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.failure().httpStatus()).isZero();
        assertThat(sleeper.waits).hasSize(RetryPolicy.DEFAULT.maxAttempts() - 1);
        assertThat(failure.getMessage()).doesNotContain(KEY.reveal()).doesNotContain(String.valueOf(closedPort));
    }

    @Test
    void a_send_that_times_out_fails_within_the_request_timeout_and_is_not_repeated() {
        gateway.on("POST /api/sendText", Reply.json(201, "{}").after(Duration.ofSeconds(3)));
        GatewayHttp http = FakeGateway.http(sleeper, Duration.ofMillis(300), RetryPolicy.DEFAULT);
        Instant started = Instant.now();

        GatewayException failure = catchThrowableOfType(GatewayException.class, () -> http.execute(send(gateway.baseUrl())));

        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofMillis(2500));
        assertThat(failure.failure().kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(failure.retryable()).isTrue();
        // The gateway may have sent it: only the outbox (with the echo to reconcile) may try again.
        assertThat(gateway.requests()).hasSize(1);
    }

    @Test
    void an_idempotent_call_that_times_out_is_retried() {
        gateway.on("POST /api/sendSeen", Reply.json(200, "{}").after(Duration.ofSeconds(3)), Reply.json(200, "{}"));
        GatewayHttp http = FakeGateway.http(sleeper, Duration.ofMillis(300), RetryPolicy.DEFAULT);
        GatewayRequest seen = GatewayRequest.json(Provider.WAHA, "markRead", "POST", URI.create(gateway.baseUrl() + "/api/sendSeen"),
                Map.of(), Json.object(), true, List.of());

        GatewayResponse response = http.execute(seen);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.attempts()).isEqualTo(2);
    }

    @Test
    void an_answer_larger_than_the_request_allows_fails_as_too_large() {
        gateway.on("GET /big", Reply.bytes(200, "image/jpeg", new byte[10_000]));
        GatewayRequest request = GatewayRequest.get(Provider.META, "downloadMedia", URI.create(gateway.baseUrl() + "/big"),
                Map.of(), 4_096, List.of());

        assertThatThrownBy(() -> FakeGateway.http(sleeper).execute(request))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.TOO_LARGE);
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void retry_after_is_read_as_seconds_or_as_an_http_date() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.parse("2026-03-02T10:00:30Z"));

        assertThat(GatewayHttp.parseRetryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
        assertThat(GatewayHttp.parseRetryAfter(date, clock)).isEqualTo(Duration.ofSeconds(30));
        assertThat(GatewayHttp.parseRetryAfter("Tue, 01 Jan 2002 00:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
        assertThat(GatewayHttp.parseRetryAfter("soon", clock)).isNull();
        assertThat(GatewayHttp.parseRetryAfter(null, clock)).isNull();
    }

    @Test
    void the_backoff_ceiling_doubles_and_is_capped() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.ceiling(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.ceiling(40)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void a_credential_echoed_by_the_gateway_is_scrubbed_from_the_failure() {
        GatewayRequest request = send(gateway.baseUrl());
        GatewayFailure failure = request.failure(Kind.UNAUTHORIZED, 401, null, "invalid apikey " + KEY.reveal(), null);

        assertThat(failure.reason()).isEqualTo("invalid apikey [redacted]");
        assertThat(new GatewayException(failure).getMessage()).doesNotContain(KEY.reveal());
        assertThat(KEY.toString()).doesNotContain(KEY.reveal());
        assertThat(request.toString()).doesNotContain(KEY.reveal());
    }
}
