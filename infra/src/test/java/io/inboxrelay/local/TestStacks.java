package io.inboxrelay.local;

import io.inboxrelay.local.template.SamTemplate;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The test template and its stack. */
final class TestStacks {

    static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123";

    private TestStacks() {
    }

    static SamTemplate testTemplate() {
        try {
            return SamTemplate.load(Path.of(TestStacks.class.getResource("/local-stack-test.yaml").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalStack start(LocalStack.Options options) {
        return LocalStack.start(testTemplate(), options);
    }
}
