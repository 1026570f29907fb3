package io.inboxrelay.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookRejectionTest {

    @Test
    void a_kept_reason_holds_no_quoted_request_text_and_stays_short() {
        WebhookRejection jackson = WebhookRejection.of(400, "malformed_json",
                "body is not valid JSON: Unrecognized token 'meet': was expecting (JSON String, Number, Array, Object or token 'null')");
        assertThat(jackson.reason()).doesNotContain("meet").startsWith("body is not valid JSON: Unrecognized token '…'");
        WebhookRejection header = WebhookRejection.of(415, "not_json", "Content-Type must be application/json, got text/plain\n"
                + "x".repeat(500));
        assertThat(header.reason()).hasSizeLessThanOrEqualTo(WebhookRejection.MAX_REASON_CHARS).endsWith("…");
        assertThat(WebhookRejection.of(415, "not_json", "got a\r\nb").reason()).isEqualTo("got a b");
    }
}
