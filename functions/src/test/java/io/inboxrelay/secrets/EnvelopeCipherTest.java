package io.inboxrelay.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.inboxrelay.core.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

class EnvelopeCipherTest {

    private static final Map<String, String> CONTEXT = Map.of("tenantId", "acme", "sessionId", "s_1");
    private static final byte[] SECRET = "whsec-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private EnvelopeCipher local() {
        return new EnvelopeCipher(LocalDataKeys.fromFile(dir.resolve(".local-data").resolve("sessions-key")));
    }

    @Test
    void a_sealed_secret_opens_with_its_context_and_holds_no_plaintext() {
        EnvelopeCipher cipher = local();
        byte[] envelope = cipher.seal(SECRET, CONTEXT);
        assertThat(new String(envelope, StandardCharsets.ISO_8859_1)).doesNotContain(new String(SECRET, StandardCharsets.UTF_8));
        assertThat(cipher.open(envelope, Map.of("sessionId", "s_1", "tenantId", "acme"))).isEqualTo(SECRET);
        assertThat(cipher.seal(SECRET, CONTEXT)).as("a fresh data key and IV every time").isNotEqualTo(envelope);
    }

    @Test
    void another_context_another_key_or_an_altered_byte_does_not_open() {
        EnvelopeCipher cipher = local();
        byte[] envelope = cipher.seal(SECRET, CONTEXT);
        assertThatThrownBy(() -> cipher.open(envelope, Map.of("tenantId", "acme", "sessionId", "s_2"))).isInstanceOf(SealedSecretException.class);
        assertThatThrownBy(() -> cipher.open(envelope, Map.of("tenantId", "other", "sessionId", "s_1"))).isInstanceOf(SealedSecretException.class);
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        assertThatThrownBy(() -> new EnvelopeCipher(new LocalDataKeys(otherKey)).open(envelope, CONTEXT)).isInstanceOf(SealedSecretException.class);
        for (int i = 0; i < envelope.length; i += 7) {
            byte[] altered = envelope.clone();
            altered[i] ^= 0x01;
            assertThatThrownBy(() -> local().open(altered, CONTEXT)).as("byte %d altered", i).isInstanceOf(SealedSecretException.class);
        }
        assertThatThrownBy(() -> cipher.open("secret".getBytes(StandardCharsets.UTF_8), CONTEXT)).isInstanceOf(SealedSecretException.class);
    }

    @Test
    void the_local_key_file_is_owner_only_and_kept_between_runs() throws Exception {
        byte[] envelope = local().seal(SECRET, CONTEXT);
        Path file = dir.resolve(".local-data").resolve("sessions-key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(local().open(envelope, CONTEXT)).as("a new process, the same key").isEqualTo(SECRET);
    }

    @Test
    void a_local_envelope_reaching_a_kms_function_names_the_key_it_needs() {
        byte[] envelope = local().seal(SECRET, CONTEXT);
        FakeKms kms = FakeKms.start();
        try (KmsClient client = kms.client()) {
            assertThatThrownBy(() -> new EnvelopeCipher(new KmsDataKeys(client, FakeKms.KEY_ARN)).open(envelope, CONTEXT))
                    .isInstanceOf(SealedSecretException.class).hasMessageContaining("local stack's key");
        } finally {
            kms.stop();
        }
    }

    @Test
    void with_kms_the_data_key_is_generated_and_decrypted_under_the_key_arn_with_the_context_and_opened_secrets_are_cached() {
        FakeKms kms = FakeKms.start();
        try (KmsClient client = kms.client()) {
            Instant[] now = {Instant.parse("2026-12-01T00:00:00Z")};
            Clock clock = new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now[0];
                }
            };
            EnvelopeCipher cipher = new EnvelopeCipher(new KmsDataKeys(client, FakeKms.KEY_ARN), clock);
            byte[] envelope = cipher.seal(SECRET, CONTEXT);
            assertThat(cipher.open(envelope, CONTEXT)).isEqualTo(SECRET);
            assertThat(cipher.open(envelope, CONTEXT)).isEqualTo(SECRET);
            assertThat(kms.calls).extracting(call -> call.path("target").asText())
                    .containsExactly("TrentService.GenerateDataKey", "TrentService.Decrypt");
            now[0] = now[0].plus(EnvelopeCipher.OPEN_CACHE_TTL);
            assertThat(cipher.open(envelope, CONTEXT)).isEqualTo(SECRET);
            assertThat(kms.calls).hasSize(3);
            for (JsonNode call : kms.calls) {
                assertThat(call.path("KeyId").asText()).isEqualTo(FakeKms.KEY_ARN);
                assertThat(Json.MAPPER.convertValue(call.path("EncryptionContext"), Map.class)).isEqualTo(CONTEXT);
            }
            assertThatThrownBy(() -> cipher.open(envelope, Map.of("tenantId", "acme", "sessionId", "s_2")))
                    .isInstanceOf(SealedSecretException.class);
        } finally {
            kms.stop();
        }
    }

    /** KMS's JSON protocol for GenerateDataKey and Decrypt, enforcing the encryption context as KMS does. */
    static final class FakeKms {
        static final String KEY_ARN = "arn:aws:kms:us-east-1:000000000000:key/" + UUID.randomUUID();

        final List<JsonNode> calls = new ArrayList<>();
        private final Map<String, ObjectNode> blobs = new ConcurrentHashMap<>();
        private final HttpServer server;

        private FakeKms(HttpServer server) {
            this.server = server;
        }

        static FakeKms start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                FakeKms kms = new FakeKms(server);
                server.createContext("/", exchange -> {
                    ObjectNode request = (ObjectNode) Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                    synchronized (kms.calls) {
                        kms.calls.add(request.deepCopy().put("target", target));
                    }
                    ObjectNode answer = Json.object();
                    int status = 200;
                    if ("TrentService.GenerateDataKey".equals(target)) {
                        byte[] key = new byte[32];
                        new SecureRandom().nextBytes(key);
                        String blob = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                        kms.blobs.put(blob, Json.object().put("key", Base64.getEncoder().encodeToString(key))
                                .set("context", request.path("EncryptionContext")));
                        answer.put("KeyId", KEY_ARN).put("Plaintext", Base64.getEncoder().encodeToString(key)).put("CiphertextBlob", blob);
                    } else {
                        ObjectNode stored = kms.blobs.get(request.path("CiphertextBlob").asText());
                        if (stored == null || !stored.path("context").equals(request.path("EncryptionContext"))) {
                            status = 400;
                            answer.put("__type", "InvalidCiphertextException").put("message", "context does not match");
                        } else {
                            answer.put("KeyId", KEY_ARN).put("Plaintext", stored.path("key").asText());
                        }
                    }
                    byte[] bytes = Json.write(answer).getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                    exchange.sendResponseHeaders(status, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
                server.start();
                return kms;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        KmsClient client() {
            return KmsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                    .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
        }

        void stop() {
            server.stop(0);
        }
    }
}
