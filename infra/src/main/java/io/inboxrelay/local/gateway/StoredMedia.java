package io.inboxrelay.local.gateway;

/**
 * Media the simulator downloaded for a send, served back by the gateway's media endpoints.
 *
 * @param messageId the gateway's id of the message that carried it
 * @param mediaId   Meta's media id, the WAHA file name; the message id elsewhere
 * @param bytes     what the send's URL answered
 * @param mimeType  its type
 * @param fileName  the name it was sent with, or null
 */
public record StoredMedia(String messageId, String mediaId, byte[] bytes, String mimeType, String fileName) {

    @Override
    public String toString() {
        return "StoredMedia[" + messageId + ", " + bytes.length + " bytes, " + mimeType + "]";
    }
}
