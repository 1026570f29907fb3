package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import java.util.EnumMap;
import java.util.Map;

/** The one scheme instance for each {@link SignatureKind}; schemes are stateless and thread-safe. */
public final class SignatureSchemes {

    private static final Map<SignatureKind, SignatureScheme> BY_KIND = new EnumMap<>(SignatureKind.class);

    static {
        for (SignatureScheme scheme : new SignatureScheme[] {
                new HmacSha256Scheme(),
                new HmacSha256BodyScheme(),
                new StandardWebhooksScheme(),
                new WahaHmacScheme(),
                new MetaScheme(),
                new EvolutionJwtScheme(),
                new StaticTokenScheme()}) {
            BY_KIND.put(scheme.kind(), scheme);
        }
        if (BY_KIND.size() != SignatureKind.values().length) {
            throw new IllegalStateException("a SignatureKind has no scheme");
        }
    }

    private SignatureSchemes() {
    }

    public static SignatureScheme forKind(SignatureKind kind) {
        if (kind == null) {
            throw new IllegalArgumentException("signature kind is required");
        }
        return BY_KIND.get(kind);
    }
}
