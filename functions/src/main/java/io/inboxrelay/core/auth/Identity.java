package io.inboxrelay.core.auth;

/**
 * The caller a verified token speaks for.
 *
 * @param tenantId the tenant claim (TENANT_CLAIM, default {@code tenant_id})
 * @param userId   the {@code sub} claim, may be null
 */
public record Identity(String tenantId, String userId) {
}
