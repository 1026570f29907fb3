package io.inboxrelay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The media proxy follows a gateway's link only to the gateway itself or to a public https host. */
class MediaLinksTest {

    private static final URI WAHA = URI.create("http://127.0.0.1:3002/waha");

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:3002/api/files/default/3EB0.jpeg",            // the gateway's own origin (the local simulator)
            "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", // Meta's media host
            "https://waha-media.s3.eu-west-1.amazonaws.com/default/3EB0.jpeg", // WAHA's S3 storage
            "https://8.8.8.8/file.jpg"})
    void links_to_the_gateway_or_to_public_https_hosts_are_followed(String link) {
        assertThat(MediaLinks.followable(URI.create(link), WAHA)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",     // the Lambda runtime API: another port
            "http://169.254.169.254/latest/meta-data/",                      // instance metadata over http
            "https://169.254.170.2/v2/credentials",                          // container credentials, link-local
            "https://10.0.0.5/internal.jpg",
            "https://192.168.1.10/file",
            "https://100.64.0.1/file",
            "https://[::1]/file",
            "https://[fd00::1]/file",
            "https://localhost/file",
            "https://metadata.google.internal/computeMetadata/v1/",
            "https://2130706433/file",
            "https://0x7f000001/file",
            "https://0.0.0.0/file",
            "http://example.com/file.jpg",                                   // plain http off the gateway's origin
            "https://user:pass@example.com/file.jpg",
            "ftp://example.com/file.jpg"})
    void links_inward_or_in_clear_text_elsewhere_are_not(String link) {
        assertThat(MediaLinks.followable(URI.create(link), WAHA)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://lookaside.fbsbx.com/x", "https://scontent.whatsapp.net/v/t62/x"})
    void metas_links_are_followed_without_a_base_url(String link) {
        assertThat(MediaLinks.followable(URI.create(link), null)).isTrue();
    }
}
