package io.inboxrelay.bench.micro;

import com.fasterxml.jackson.databind.JsonNode;
import io.inboxrelay.core.InboundMessage;
import io.inboxrelay.core.Json;
import io.inboxrelay.core.Provider;
import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import io.inboxrelay.core.event.Cursors;
import io.inboxrelay.core.event.Envelopes;
import io.inboxrelay.core.phone.PhoneNumbers;
import io.inboxrelay.core.provider.ProviderAdapter;
import io.inboxrelay.core.provider.ProviderAdapters;
import io.inboxrelay.core.signature.SignatureScheme;
import io.inboxrelay.core.signature.SignatureSchemes;
import io.inboxrelay.core.signature.WebhookSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the webhook function spends on its own per delivery, without I/O: the signature check over
 * the raw bytes, JSON parsing plus the provider adapter, phone normalisation and building the
 * pushed envelope. Run with {@code bash infra/bench.sh --micro}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreBenchmarks {

    private static final String SECRET = "micro-benchmark-secret";

    private byte[] evolutionBody;
    private byte[] metaBatchBody;
    private WebhookRequest signedEvolution;
    private WebhookRequest signedMeta;
    private SignatureScheme hmac;
    private SignatureScheme meta;
    private ProviderAdapter evolution;
    private ProviderAdapter metaAdapter;
    private InboundMessage message;

    @Setup
    public void load() throws IOException {
        Path events = Path.of(System.getProperty("events.dir", "events"));
        evolutionBody = Files.readAllBytes(events.resolve("gateways/evolution/messages-upsert-text.json"));
        metaBatchBody = Files.readAllBytes(events.resolve("gateways/meta/messages-batch-two-users.json"));
        Instant now = Instant.now();
        signedEvolution = request(evolutionBody, WebhookSigner.sign(SignatureKind.HMAC_SHA256, SECRET, evolutionBody, now), now);
        signedMeta = request(metaBatchBody, WebhookSigner.sign(SignatureKind.META, SECRET, metaBatchBody, now), now);
        hmac = SignatureSchemes.forKind(SignatureKind.HMAC_SHA256);
        meta = SignatureSchemes.forKind(SignatureKind.META);
        evolution = ProviderAdapters.forProvider(Provider.EVOLUTION);
        metaAdapter = ProviderAdapters.forProvider(Provider.META);
        message = (InboundMessage) evolution.parse(signedEvolution, Json.parse(evolutionBody)).events().get(0);
    }

    private static WebhookRequest request(byte[] body, Map<String, String> headers, Instant now) {
        return new WebhookRequest("POST", "s", null, headers, Map.of(), body, "203.0.113.1", now);
    }

    @Benchmark
    public boolean verifyHmacSha256() {
        return hmac.verify(signedEvolution, List.of(SECRET), signedEvolution.receivedAt()).valid();
    }

    @Benchmark
    public boolean verifyMetaSignature() {
        return meta.verify(signedMeta, List.of(SECRET), signedMeta.receivedAt()).valid();
    }

    @Benchmark
    public Object parseEvolutionMessage() throws IOException {
        JsonNode body = Json.parse(evolutionBody);
        return evolution.parse(signedEvolution, body);
    }

    @Benchmark
    public Object parseMetaBatchOfTwo() throws IOException {
        JsonNode body = Json.parse(metaBatchBody);
        return metaAdapter.parse(signedMeta, body);
    }

    @Benchmark
    public String normaliseBrazilianNumber() {
        return PhoneNumbers.canonicalDigits("+55 11 8765-4321");
    }

    @Benchmark
    public String buildNewMessageEnvelope() {
        return Envelopes.newMessage("tenant", "session", Cursors.next(message.timestamp()), message).body();
    }
}
