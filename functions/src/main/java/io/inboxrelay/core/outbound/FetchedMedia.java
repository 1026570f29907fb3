package io.inboxrelay.core.outbound;

import java.net.URI;

/** Media fetched from a gateway: the bytes themselves, or a URL to stream them from with one auth header. */
public sealed interface FetchedMedia {

    /** The MIME type, or {@code application/octet-stream} when the gateway did not say. */
    String contentType();

    /**
     * @param data        the bytes
     * @param contentType their MIME type
     * @param fileName    the gateway's file name, or null
     */
    record Bytes(byte[] data, String contentType, String fileName) implements FetchedMedia {
        public Bytes {
            contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        }

        @Override
        public String toString() {
            return "Bytes[" + data.length + " bytes, " + contentType + "]";
        }
    }

    /**
     * @param url         where the bytes are
     * @param headerName  the header that authorises the GET ({@code Authorization}, {@code X-Api-Key}), or null for none
     * @param headerValue its value: a credential, never logged (see {@link #toString()})
     * @param contentType the MIME type the gateway announced
     * @param sizeBytes   the size the gateway announced, or -1 when unknown
     */
    record Link(URI url, String headerName, Credential headerValue, String contentType, long sizeBytes) implements FetchedMedia {
        public Link {
            contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        }

        @Override
        public String toString() {
            return "Link[" + contentType + ", " + sizeBytes + " bytes]";
        }
    }
}
