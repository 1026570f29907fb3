package io.inboxrelay.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Lambda jar leaves joda-time out; the runtime builds each handler's input and output objects
 * by reflection over their fields, so no field of them, however deeply nested, may need it. On
 * this classpath (which has no joda-time either) a class with such a field cannot even list its
 * fields, so walking them all is the check.
 */
class HandlerEventTypesTest {

    @Test
    void every_handler_event_type_is_complete_without_joda_time() throws Exception {
        List<Class<?>> handlers = handlerClasses();
        assertThat(handlers).hasSizeGreaterThanOrEqualTo(12);
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> handler : handlers) {
            for (Type type : ((ParameterizedType) requestHandlerType(handler)).getActualTypeArguments()) {
                walk((Class<?>) type, seen);
            }
        }
        assertThat(seen).noneMatch(type -> type.getName().startsWith("org.joda"));
    }

    private static void walk(Class<?> type, Set<Class<?>> seen) {
        if (type.isPrimitive() || type.getName().startsWith("java.") || !seen.add(type)) {
            return;
        }
        for (Field field : type.getDeclaredFields()) {
            walk(field.getType(), seen);
            if (field.getGenericType() instanceof ParameterizedType generic) {
                for (Type argument : generic.getActualTypeArguments()) {
                    if (argument instanceof Class<?> cls) {
                        walk(cls, seen);
                    }
                }
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            walk(nested, seen);
        }
    }

    private static Type requestHandlerType(Class<?> handler) {
        for (Type type : handler.getGenericInterfaces()) {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                return type;
            }
        }
        throw new AssertionError(handler + " does not implement RequestHandler<I, O>");
    }

    private static List<Class<?>> handlerClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(WebhookHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/inboxrelay/handler");
        List<Class<?>> handlers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Handler.class")).toList()) {
                Class<?> type = Class.forName("io.inboxrelay.handler." + file.getFileName().toString().replace(".class", ""));
                if (RequestHandler.class.isAssignableFrom(type)) {
                    handlers.add(type);
                }
            }
        }
        return handlers;
    }
}
