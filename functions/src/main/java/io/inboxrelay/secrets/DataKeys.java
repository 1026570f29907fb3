package io.inboxrelay.secrets;

import java.util.Map;

/** Where envelope data keys come from, and how a wrapped one is unwrapped again. */
public interface DataKeys {

    /** A fresh 256-bit data key, in plain and wrapped under the master key with the context. */
    record DataKey(byte[] plaintext, byte[] wrapped) {
    }

    /** Written into every envelope, so one sealed by another kind of key is named as such when it fails to open. */
    byte kind();

    DataKey generate(Map<String, String> context);

    byte[] unwrap(byte[] wrapped, Map<String, String> context);
}
