package io.inboxrelay.core.auth;

/**
 * The caller a verified token speaks for.
 *
 * @param tenantId  the tenant claim (TENANT_CLAIM, default {@code tenant_id})
 * @param userId    the {@code sub} claim, may be null
 * @param expiresAt the token's {@code exp} in epoch seconds (0 when unknown): a socket opened with it
 *                  is closed once it passes
 */
public record Identity(String tenantId, String userId, long expiresAt) {

    public Identity(String tenantId, String userId) {
        this(tenantId, userId, 0);
    }
}
