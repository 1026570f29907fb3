package io.inboxrelay.secrets;

import io.inboxrelay.config.Clients;
import io.inboxrelay.config.Env;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cipher for session secrets, chosen by the environment, one per container (its cache of opened
 * secrets and its KMS client are shared by every registry of the container):
 * <ul>
 *   <li>{@code SESSION_SECRETS_KEY_ARN} set (template.yaml sets it): data keys from that KMS key;</li>
 *   <li>else, in Lambda ({@code AWS_LAMBDA_FUNCTION_NAME} set): refuse to start — never a local key in AWS;</li>
 *   <li>else (the local stack, tests, the sessions tool): the local key file, {@code LOCAL_SECRETS_KEY_FILE}
 *       or {@code .local-data/sessions-key}.</li>
 * </ul>
 */
public final class SecretsCiphers {

    public static final String KEY_ARN_VARIABLE = "SESSION_SECRETS_KEY_ARN";
    public static final String LOCAL_KEY_FILE_VARIABLE = "LOCAL_SECRETS_KEY_FILE";

    private static final Map<String, SecretsCipher> CIPHERS = new ConcurrentHashMap<>();

    private SecretsCiphers() {
    }

    public static SecretsCipher fromEnv() {
        String keyArn = Env.get(KEY_ARN_VARIABLE);
        if (keyArn != null && !keyArn.isBlank()) {
            return CIPHERS.computeIfAbsent("kms:" + keyArn, k -> new EnvelopeCipher(new KmsDataKeys(Clients.kms(), keyArn)));
        }
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
            throw new IllegalStateException(KEY_ARN_VARIABLE + " is not set: session secrets are sealed with a KMS key in AWS");
        }
        return local();
    }

    /** The local stack's cipher, whatever the environment says of KMS: the key file LOCAL_SECRETS_KEY_FILE or .local-data/sessions-key. */
    public static SecretsCipher local() {
        String file = Env.get(LOCAL_KEY_FILE_VARIABLE);
        Path path = (file == null || file.isBlank() ? LocalDataKeys.DEFAULT_FILE : Path.of(file)).toAbsolutePath().normalize();
        return CIPHERS.computeIfAbsent("file:" + path, k -> new EnvelopeCipher(LocalDataKeys.fromFile(path)));
    }
}
