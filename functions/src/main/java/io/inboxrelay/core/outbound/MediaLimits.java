package io.inboxrelay.core.outbound;

/**
 * How large a media file the media proxy can return. A Lambda function's synchronous response is at most 6 MB
 * (Lambda quotas, "Invocation payload (request and response)"), and API Gateway carries binary bodies base64-encoded
 * in that response, a third larger: 6 MB × 3/4 = 4.5 MiB of bytes, less the headers and the JSON around them.
 */
public final class MediaLimits {

    /** 4 MiB: below 4.5 MiB with room for the envelope. */
    public static final long MAX_PROXY_BYTES = 4L * 1024 * 1024;

    private MediaLimits() {
    }
}
