package io.inboxrelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token settings a function reads: the secret by ARN in Lambda, its cache, the lifetime cap. */
class ConfigTokenSettingsTest {

    private static Map<String, String> tables() {
        Map<String, String> env = new HashMap<>();
        for (String table : new String[] {"SESSIONS_TABLE", "MESSAGES_TABLE", "CONVERSATIONS_TABLE", "CONTACTS_TABLE", "EVENTS_TABLE", "CONNECTIONS_TABLE"}) {
            env.put(table, table);
        }
        return env;
    }

    @Test
    void in_lambda_the_secret_itself_in_the_environment_is_refused_and_only_its_arn_is_taken() {
        Map<String, String> lambda = tables();
        lambda.put("AWS_LAMBDA_FUNCTION_NAME", "inbox-relay-WsAuthorizerFunction");
        lambda.put("JWT_SECRET", "a-secret-that-must-never-be-in-an-environment");

        assertThatThrownBy(() -> Config.from(lambda)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JWT_SECRET_ARN").hasMessageNotContaining("a-secret-that");

        lambda.remove("JWT_SECRET");
        lambda.put("JWT_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:inbox-relay/jwt-AbC123");
        assertThat(Config.from(lambda).jwtSecretArn()).endsWith("jwt-AbC123");
        assertThat(Config.from(lambda).jwtSecret()).isNull();
    }

    @Test
    void the_local_stack_may_pass_the_secret_itself() {
        Map<String, String> local = tables();
        local.put("JWT_SECRET", "local-secret-local-secret-local-secret-01");

        assertThat(Config.from(local).jwtSecret()).startsWith("local-secret");
    }

    @Test
    void the_secret_cache_and_the_token_lifetime_have_safe_defaults_and_bounds() {
        Config defaults = Config.from(tables());
        assertThat(defaults.jwtSecretCacheTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.maxTokenLifetime()).isEqualTo(Duration.ofHours(24));

        Map<String, String> forever = tables();
        forever.put("JWT_SECRET_CACHE_SECONDS", "86400");
        assertThatThrownBy(() -> Config.from(forever)).hasMessageContaining("JWT_SECRET_CACHE_SECONDS");
    }
}
