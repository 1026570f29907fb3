package io.inboxrelay.core.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.WebhookRejection;
import io.inboxrelay.core.realtime.TenantDiagnosis.Code;
import io.inboxrelay.core.realtime.TenantDiagnosis.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantDiagnosisTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final WebhookRejection BAD_SIGNATURE = new WebhookRejection(401, "bad_signature", "signature does not match");

    private static long ago(Duration duration) {
        return NOW.minus(duration).toEpochMilli();
    }

    private static SessionStatus healthy(String id) {
        return new SessionStatus(id, "inboxhub", true, "connected", ago(Duration.ofMinutes(5)), ago(Duration.ofMinutes(5)), null, null);
    }

    @Test
    void a_tenant_without_sessions_is_told_no_session_feeds_it() {
        Verdict verdict = TenantDiagnosis.of(List.of(), 3, NOW);

        assertThat(verdict.code()).isEqualTo(Code.NO_SESSION);
        assertThat(verdict.text()).isEqualTo("no session feeds this tenant");
    }

    @Test
    void only_disabled_sessions_mean_all_sessions_disabled() {
        SessionStatus disabled = new SessionStatus("s_1", "waha", false, "connected", null, ago(Duration.ofMinutes(1)), null, null);

        Verdict verdict = TenantDiagnosis.of(List.of(disabled), 1, NOW);

        assertThat(verdict.code()).isEqualTo(Code.ALL_DISABLED);
        assertThat(verdict.text()).startsWith("all sessions disabled");
    }

    @Test
    void a_refusal_after_the_last_success_is_named_with_its_code() {
        SessionStatus refused = new SessionStatus("s_1", "inboxhub", true, "connected", ago(Duration.ofMinutes(2)),
                ago(Duration.ofHours(2)), ago(Duration.ofMinutes(2)), BAD_SIGNATURE);

        Verdict verdict = TenantDiagnosis.of(List.of(refused), 1, NOW);

        assertThat(verdict.code()).isEqualTo(Code.REJECTED);
        assertThat(verdict.sessionId()).isEqualTo("s_1");
        assertThat(verdict.text()).startsWith("webhooks arrive but are rejected: bad_signature").contains("s_1", "2 minutes ago");
    }

    @Test
    void unsigned_requests_refused_since_the_last_success_are_the_verdict_but_refused_meta_changes_are_not() {
        java.time.Instant lastRefused = NOW.minus(Duration.ofMinutes(3));
        SessionStatus forged = new SessionStatus("s_1", "waha", true, "connected", ago(Duration.ofHours(2)), ago(Duration.ofHours(2)),
                null, null, java.util.Map.of("bad_signature",
                        new io.inboxrelay.core.RejectionTally("bad_signature", 401, 7, lastRefused, "signature does not match")));
        SessionStatus foreignOnly = new SessionStatus("s_2", "meta", true, "connected", ago(Duration.ofMinutes(1)), ago(Duration.ofHours(2)),
                null, null, java.util.Map.of("foreign_number",
                        new io.inboxrelay.core.RejectionTally("foreign_number", 200, 1, lastRefused, "phone_number_id 1 …")));

        Verdict verdict = TenantDiagnosis.of(List.of(forged), 1, NOW);
        Verdict meta = TenantDiagnosis.of(List.of(foreignOnly), 1, NOW);

        assertThat(verdict.code()).isEqualTo(Code.REJECTED);
        assertThat(verdict.text()).isEqualTo("webhooks arrive but are rejected: bad_signature (session s_1, last 3 minutes ago, "
                + "7 counted; none accepted since)");
        assertThat(meta.code()).isEqualTo(Code.OK);
    }

    @Test
    void a_refusal_before_a_later_success_is_not_the_verdict() {
        SessionStatus recovered = new SessionStatus("s_1", "inboxhub", true, "connected", ago(Duration.ofMinutes(1)),
                ago(Duration.ofMinutes(1)), ago(Duration.ofHours(1)), BAD_SIGNATURE);

        assertThat(TenantDiagnosis.of(List.of(recovered), 1, NOW).code()).isEqualTo(Code.OK);
    }

    @Test
    void a_refusal_kept_without_its_time_counts_only_while_nothing_was_accepted() {
        SessionStatus old = new SessionStatus("s_1", "inboxhub", true, null, ago(Duration.ofMinutes(1)), null, null,
                new WebhookRejection(0, "bad_signature", null));

        assertThat(TenantDiagnosis.of(List.of(old), 1, NOW).code()).isEqualTo(Code.REJECTED);
    }

    @Test
    void a_session_disconnected_from_whatsapp_is_named_with_its_state() {
        SessionStatus qr = new SessionStatus("s_2", "evolution", true, "qr", ago(Duration.ofMinutes(1)), ago(Duration.ofMinutes(1)), null, null);

        Verdict verdict = TenantDiagnosis.of(List.of(healthy("s_1"), qr), 2, NOW);

        assertThat(verdict.code()).isEqualTo(Code.DISCONNECTED);
        assertThat(verdict.text()).isEqualTo("session s_2 is disconnected from WhatsApp (state qr)");
    }

    @Test
    void a_session_that_never_sent_points_at_the_webhook_url() {
        SessionStatus fresh = new SessionStatus("s_1", "waha", true, null, null, null, null, null);

        Verdict verdict = TenantDiagnosis.of(List.of(fresh), 1, NOW);

        assertThat(verdict.code()).isEqualTo(Code.NEVER_SENT);
        assertThat(verdict.text()).contains("s_1 has never sent a webhook", "/webhooks/s_1");
    }

    @Test
    void sessions_quiet_for_more_than_a_day_say_when_they_last_sent() {
        SessionStatus quiet = new SessionStatus("s_1", "waha", true, "connected", ago(Duration.ofDays(3)), ago(Duration.ofDays(3)), null, null);

        Verdict verdict = TenantDiagnosis.of(List.of(quiet), 1, NOW);

        assertThat(verdict.code()).isEqualTo(Code.QUIET);
        assertThat(verdict.text()).isEqualTo("session s_1 last sent 3 days ago");
    }

    @Test
    void one_recent_sender_keeps_a_quiet_second_session_from_being_the_verdict() {
        SessionStatus quiet = new SessionStatus("s_0", "waha", true, "connected", ago(Duration.ofDays(9)), ago(Duration.ofDays(9)), null, null);

        assertThat(TenantDiagnosis.of(List.of(quiet, healthy("s_1")), 1, NOW).code()).isEqualTo(Code.OK);
    }

    @Test
    void working_sessions_without_a_socket_mean_no_browser_connected() {
        Verdict verdict = TenantDiagnosis.of(List.of(healthy("s_1")), 0, NOW);

        assertThat(verdict.code()).isEqualTo(Code.NO_BROWSER);
        assertThat(verdict.text()).isEqualTo("no browser connected");
    }

    @Test
    void everything_working_is_ok_with_the_browser_count_and_the_last_sender() {
        Verdict verdict = TenantDiagnosis.of(List.of(healthy("s_1")), 2, NOW);

        assertThat(verdict.ok()).isTrue();
        assertThat(verdict.text()).isEqualTo("ok: 2 browsers connected, session s_1 last sent 5 minutes ago");
    }

    @Test
    void a_disabled_session_with_problems_does_not_hide_a_working_one() {
        SessionStatus disabledRefused = new SessionStatus("s_0", "waha", false, "qr", ago(Duration.ofMinutes(1)), null,
                ago(Duration.ofMinutes(1)), BAD_SIGNATURE);

        assertThat(TenantDiagnosis.of(List.of(disabledRefused, healthy("s_1")), 1, NOW).code()).isEqualTo(Code.OK);
    }

    @Test
    void durations_read_as_words() {
        assertThat(TenantDiagnosis.ago(NOW.toEpochMilli(), NOW)).isEqualTo("just now");
        assertThat(TenantDiagnosis.ago(ago(Duration.ofSeconds(42)), NOW)).isEqualTo("42 seconds ago");
        assertThat(TenantDiagnosis.ago(ago(Duration.ofMinutes(1)), NOW)).isEqualTo("1 minute ago");
        assertThat(TenantDiagnosis.ago(ago(Duration.ofHours(5)), NOW)).isEqualTo("5 hours ago");
        assertThat(TenantDiagnosis.ago(ago(Duration.ofDays(3).plusHours(7)), NOW)).isEqualTo("3 days ago");
    }
}
