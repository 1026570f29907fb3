package io.inboxrelay.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Runs in a fresh JVM on the function jar's classpath: constructs a handler (as Lambda's init
 * phase does), reads its event as Lambda's runtime would (JSON into the declared type) and
 * serves it once, then prints one line the parent reads:
 * {@code COLDSTART initMs=.. invokeMs=.. sinceJvmStartMs=.. outcome=..}.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    @SuppressWarnings("java:S106") // the parent process reads this line from standard output
    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        Path eventFile = Path.of(args[1]);
        long initStart = System.nanoTime();
        Class<?> type = Class.forName(handlerClass);
        Object handler = type.getDeclaredConstructor().newInstance();
        long initEnd = System.nanoTime();
        Method method = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals("handleRequest") && !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 2)
                .min(Comparator.comparing(Method::isBridge).thenComparing(m -> m.getParameterTypes()[0] == Object.class))
                .orElseThrow();
        String outcome = "ok";
        try {
            // As Lambda's runtime reads events: "Records", "NewImage", "S" map onto the event classes' properties.
            ObjectMapper mapper = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                    .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();
            Object event = mapper.readValue(Files.readAllBytes(eventFile), method.getParameterTypes()[0]);
            Object result = method.invoke(handler, event, null);
            outcome = result == null ? "null" : result.getClass().getSimpleName();
        } catch (java.lang.reflect.InvocationTargetException e) {
            outcome = "threw-" + e.getCause().getClass().getSimpleName();
        }
        long end = System.nanoTime();
        long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("COLDSTART initMs=" + (initEnd - initStart) / 1_000_000 + " invokeMs=" + (end - initEnd) / 1_000_000
                + " sinceJvmStartMs=" + sinceStart + " outcome=" + outcome);
        System.out.flush();
        System.exit(0);
    }
}
