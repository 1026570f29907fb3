package io.inboxrelay.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaHeadersTest {

    @Test
    void the_gateways_content_type_wins_over_the_announced_one() {
        assertThat(MediaHeaders.contentType("image/jpeg", "image/png")).isEqualTo("image/jpeg");
        assertThat(MediaHeaders.contentType("audio/ogg; codecs=opus", null)).isEqualTo("audio/ogg; codecs=opus");
    }

    @Test
    void a_gateway_that_says_only_octet_stream_or_nothing_leaves_the_announced_type() {
        assertThat(MediaHeaders.contentType("application/octet-stream", "application/pdf")).isEqualTo("application/pdf");
        assertThat(MediaHeaders.contentType(null, "video/mp4")).isEqualTo("video/mp4");
        assertThat(MediaHeaders.contentType(null, null)).isEqualTo("application/octet-stream");
        assertThat(MediaHeaders.contentType("application/octet-stream", null)).isEqualTo("application/octet-stream");
    }

    @Test
    void a_malformed_or_injected_content_type_is_never_answered() {
        assertThat(MediaHeaders.contentType("image/png\r\nSet-Cookie: a=b", "image/png")).isEqualTo("image/png");
        assertThat(MediaHeaders.contentType("not a type", "also not")).isEqualTo("application/octet-stream");
    }

    @Test
    void images_video_and_audio_open_inline() {
        assertThat(MediaHeaders.contentDisposition("image", "image/jpeg", "photo.jpg")).isEqualTo("inline");
        assertThat(MediaHeaders.contentDisposition("audio", "audio/ogg; codecs=opus", null)).isEqualTo("inline");
        assertThat(MediaHeaders.contentDisposition("video", "video/mp4", null)).isEqualTo("inline");
    }

    @Test
    void a_document_downloads_under_its_file_name_in_ascii_and_exactly_in_utf8() {
        assertThat(MediaHeaders.contentDisposition("document", "application/pdf", "Orçamento 2026 (final).pdf"))
                .isEqualTo("attachment; filename=\"Or_amento 2026 (final).pdf\"; filename*=UTF-8''Or%C3%A7amento%202026%20%28final%29.pdf");
    }

    @Test
    void a_file_name_cannot_break_out_of_the_header_or_name_a_path() {
        String disposition = MediaHeaders.contentDisposition("document", "application/pdf", "../../etc/pa\"ss\r\nX-Evil: 1;.pdf");
        assertThat(disposition).doesNotContain("\r").doesNotContain("\n").doesNotContain("..").doesNotContain("/");
        assertThat(disposition).isEqualTo("attachment; filename=\"pa_ssX-Evil: 1;.pdf\"; filename*=UTF-8''pa%22ssX-Evil%3A%201%3B.pdf");
        assertThat(MediaHeaders.contentDisposition("document", "application/pdf", null)).isEqualTo("attachment");
        assertThat(MediaHeaders.contentDisposition("document", "application/pdf", "..")).isEqualTo("attachment");
    }

    @Test
    void a_type_a_browser_would_render_as_a_page_is_never_inline() {
        assertThat(MediaHeaders.contentDisposition("image", "image/svg+xml", "x.svg")).startsWith("attachment");
        assertThat(MediaHeaders.contentDisposition("image", "text/html; charset=utf-8", null)).isEqualTo("attachment");
    }

    @Test
    void a_media_answer_is_cached_privately_for_a_day_and_never_sniffed() {
        assertThat(MediaHeaders.of("image/png", "inline"))
                .containsEntry("Content-Type", "image/png")
                .containsEntry("Content-Disposition", "inline")
                .containsEntry("Cache-Control", "private, max-age=86400")
                .containsEntry("X-Content-Type-Options", "nosniff");
    }

    @Test
    void the_413_sentence_names_the_size_the_limit_and_why() {
        assertThat(MediaProxy.tooLargeMessage("ABC", 5_242_880, 4_194_304)).isEqualTo(
                "the media of message ABC has 5242880 bytes; at most 4194304 can be proxied (Lambda's 6 MB response payload limit)");
        assertThat(MediaProxy.tooLargeMessage("ABC", -1, 4_194_304)).isEqualTo(
                "the media of message ABC has more than 4194304 bytes; at most 4194304 can be proxied (Lambda's 6 MB response payload limit)");
    }
}
