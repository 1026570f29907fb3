package io.inboxrelay.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inboxrelay.core.auth.HmacSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Reading the JWT secret: lazily, both rotation stages, cached with a TTL, re-read early at most every 30 s. */
class SecretsManagerHmacSecretsTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:inbox-relay/jwt-AbC123";
    private static final String V1 = "version-one-version-one-version-one-0123456";
    private static final String V2 = "version-two-version-two-version-two-0123456";
    private static final String V3 = "version-three-version-three-version-three-01";

    /** Secrets Manager's stages of the one secret, and the requests it got. */
    private final Map<String, String> stages = new ConcurrentHashMap<>();
    private final List<GetSecretValueRequest> requests = new ArrayList<>();
    private final AtomicInteger clientsBuilt = new AtomicInteger();
    private volatile boolean down;
    private final MutableClock clock = new MutableClock();

    private final SecretsManagerClient client = new SecretsManagerClient() {
        @Override
        public GetSecretValueResponse getSecretValue(Consumer<GetSecretValueRequest.Builder> request) {
            GetSecretValueRequest built = GetSecretValueRequest.builder().applyMutation(request).build();
            requests.add(built);
            if (down) {
                throw SdkClientException.create("connection refused");
            }
            String value = ARN.equals(built.secretId()) ? stages.get(built.versionStage()) : null;
            if (value == null) {
                throw ResourceNotFoundException.builder().message("no version in stage " + built.versionStage()).build();
            }
            return GetSecretValueResponse.builder().arn(ARN).secretString(value).versionStages(built.versionStage()).build();
        }

        @Override
        public String serviceName() {
            return "secretsmanager";
        }

        @Override
        public void close() {
        }
    };

    private SecretsManagerHmacSecrets secrets(Duration ttl) {
        return new SecretsManagerHmacSecrets(ARN, () -> {
            clientsBuilt.incrementAndGet();
            return client;
        }, ttl, clock);
    }

    @Test
    void nothing_is_read_or_built_until_a_token_needs_the_secret() {
        stages.put("AWSCURRENT", V1);
        SecretsManagerHmacSecrets secrets = secrets(Duration.ofMinutes(5));

        assertThat(clientsBuilt).hasValue(0);
        assertThat(requests).isEmpty();
        assertThat(secrets.versions()).containsExactly(V1);
        assertThat(clientsBuilt).hasValue(1);
        assertThat(requests).extracting(GetSecretValueRequest::secretId).containsOnly(ARN);
    }

    @Test
    void during_a_rotation_the_current_and_the_previous_version_are_both_held_newest_first() {
        stages.put("AWSCURRENT", V2);
        stages.put("AWSPREVIOUS", V1);

        assertThat(secrets(Duration.ofMinutes(5)).versions()).containsExactly(V2, V1);
        assertThat(requests).extracting(GetSecretValueRequest::versionStage).containsExactly("AWSCURRENT", "AWSPREVIOUS");
    }

    @Test
    void versions_are_kept_for_the_ttl_then_read_again() {
        stages.put("AWSCURRENT", V1);
        SecretsManagerHmacSecrets secrets = secrets(Duration.ofMinutes(5));
        secrets.versions();
        stages.put("AWSCURRENT", V2);
        stages.put("AWSPREVIOUS", V1);
        int reads = requests.size();

        clock.advance(Duration.ofMinutes(4));
        assertThat(secrets.versions()).containsExactly(V1);
        assertThat(requests).hasSize(reads);
        clock.advance(Duration.ofMinutes(1));
        assertThat(secrets.versions()).containsExactly(V2, V1);
    }

    @Test
    void a_second_rotation_drops_the_oldest_version() {
        stages.put("AWSCURRENT", V2);
        stages.put("AWSPREVIOUS", V1);
        SecretsManagerHmacSecrets secrets = secrets(Duration.ofMinutes(5));
        assertThat(secrets.versions()).containsExactly(V2, V1);

        stages.put("AWSCURRENT", V3);
        stages.put("AWSPREVIOUS", V2);
        clock.advance(Duration.ofMinutes(5));

        assertThat(secrets.versions()).containsExactly(V3, V2);
    }

    @Test
    void an_early_reread_happens_at_most_every_30_seconds_and_says_whether_anything_changed() {
        stages.put("AWSCURRENT", V1);
        SecretsManagerHmacSecrets secrets = secrets(Duration.ofMinutes(5));
        secrets.versions();
        stages.put("AWSCURRENT", V2);
        stages.put("AWSPREVIOUS", V1);

        assertThat(secrets.refresh()).as("right after the first read").isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(secrets.refresh()).isTrue();
        assertThat(secrets.versions()).containsExactly(V2, V1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(secrets.refresh()).as("nothing new").isFalse();
    }

    @Test
    void when_secrets_manager_cannot_be_reached_the_versions_held_are_kept_and_with_none_held_it_is_no_bad_token() {
        SecretsManagerHmacSecrets cold = secrets(Duration.ofMinutes(5));
        down = true;
        assertThatThrownBy(cold::versions).isInstanceOf(HmacSecrets.KeysUnavailableException.class).hasMessageNotContaining(V1);

        down = false;
        stages.put("AWSCURRENT", V1);
        SecretsManagerHmacSecrets warm = secrets(Duration.ofMinutes(5));
        warm.versions();
        down = true;
        clock.advance(Duration.ofMinutes(6));
        assertThat(warm.versions()).containsExactly(V1);
    }

    @Test
    void a_current_version_shorter_than_32_bytes_is_refused_and_a_short_previous_one_is_ignored() {
        stages.put("AWSCURRENT", "short");
        assertThatThrownBy(() -> secrets(Duration.ofMinutes(5)).versions())
                .isInstanceOf(HmacSecrets.KeysUnavailableException.class).hasMessageContaining("32 bytes");

        stages.put("AWSCURRENT", V2);
        stages.put("AWSPREVIOUS", "short");
        assertThat(secrets(Duration.ofMinutes(5)).versions()).containsExactly(V2);
    }

    @Test
    void a_snapshot_forgets_the_versions_read_before_it() {
        stages.put("AWSCURRENT", V1);
        SecretsManagerHmacSecrets secrets = secrets(Duration.ofMinutes(5));
        secrets.versions();
        int reads = requests.size();

        secrets.beforeCheckpoint(null);
        assertThat(secrets.versions()).containsExactly(V1);
        assertThat(requests.size()).isGreaterThan(reads);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
