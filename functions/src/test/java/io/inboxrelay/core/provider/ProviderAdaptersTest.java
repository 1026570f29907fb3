package io.inboxrelay.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderAdaptersTest {

    @ParameterizedTest
    @EnumSource(Provider.class)
    void every_provider_has_an_adapter_for_its_own_format(Provider provider) {
        assertThat(ProviderAdapters.forProvider(provider).provider()).isEqualTo(provider);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void every_fixture_of_a_provider_parses_into_canonical_events_or_an_ignored_event(Provider provider) throws Exception {
        ProviderAdapter adapter = ProviderAdapters.forProvider(provider);
        var fixtures = Fixtures.all(provider.wireName());
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(6);
        for (Path fixture : fixtures) {
            ParsedWebhook parsed = adapter.parse(
                    Fixtures.request(fixture.getFileName().toString().startsWith("by-events-suffix-") ? "messages-upsert" : null,
                            java.util.Map.of("X-Webhook-Event", "message.received"), new byte[0]),
                    Json.parse(Files.readAllBytes(fixture)));
            assertThat(parsed.eventName()).as(fixture.toString()).isNotBlank();
        }
    }

    @Test
    void fixtures_never_keep_inline_media_in_canonical_events() throws Exception {
        Path fixture = Fixtures.gateways().resolve("evolution/messages-upsert-image-base64.json");
        ParsedWebhook parsed = ProviderAdapters.forProvider(Provider.EVOLUTION)
                .parse(Fixtures.request(), Json.parse(Files.readAllBytes(fixture)));
        assertThat(parsed.events().toString()).doesNotContain("base64").doesNotContain("2wBDAQkJCQwLDBgNDRgy");
    }
}
