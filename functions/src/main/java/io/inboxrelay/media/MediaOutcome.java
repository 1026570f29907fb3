package io.inboxrelay.media;

/** What the media proxy answers: the media, or why not. */
public sealed interface MediaOutcome {

    /**
     * @param data        the bytes, at most {@link io.inboxrelay.core.outbound.MediaLimits#MAX_PROXY_BYTES}
     * @param contentType see {@link MediaHeaders#contentType}
     * @param disposition see {@link MediaHeaders#contentDisposition}
     */
    record Served(byte[] data, String contentType, String disposition) implements MediaOutcome {
        @Override
        public String toString() {
            return "Served[" + data.length + " bytes, " + contentType + "]";
        }
    }

    /**
     * @param status  404, 409, 413, 502 or 504
     * @param code    {@code not_found}, {@code media_unavailable}, {@code media_too_large}, {@code gateway_error},
     *                {@code gateway_timeout}
     * @param message what happened and, where the tenant can, what to do; never a credential or a URL
     */
    record Refused(int status, String code, String message) implements MediaOutcome {
    }
}
