package io.inboxrelay.core.signature;

import io.inboxrelay.core.SignatureKind;
import io.inboxrelay.core.WebhookRequest;
import java.time.Instant;
import java.util.List;

/**
 * Checks a webhook's signature over the raw body bytes, in constant time, against each of the
 * session's valid secrets (two during rotation). One class per scheme.
 */
public interface SignatureScheme {

    SignatureKind kind();

    /**
     * @param request the request as received
     * @param secrets the session's valid secrets, newest first
     * @param now     the current time, for replay windows
     */
    Verification verify(WebhookRequest request, List<String> secrets, Instant now);
}
