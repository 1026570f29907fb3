package io.inboxrelay.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.inboxrelay.core.Json;
import io.inboxrelay.local.template.FunctionSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function of the template, run as Lambda runs it: the handler class is instantiated with its
 * no-arg constructor (once per "execution environment"), and each environment serves one invocation
 * at a time. Concurrent invocations get more environments, each with its own cold start, so a
 * handler that is not thread-safe behaves here as it does in AWS.
 */
public final class LocalFunction {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFunction.class);

    private final FunctionSpec spec;
    private final ClassLoader loader;
    private final ConcurrentLinkedDeque<Object> idle = new ConcurrentLinkedDeque<>();
    private final java.util.concurrent.atomic.AtomicInteger injectedFailures = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger injectedFailuresFired = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean failAfterRunning;
    private volatile Method method;

    public LocalFunction(FunctionSpec spec, ClassLoader loader) {
        this.spec = spec;
        this.loader = loader;
    }

    public String name() {
        return spec.logicalId();
    }

    public FunctionSpec spec() {
        return spec;
    }

    /**
     * Fault injection for reliability tests: the next {@code invocations} invocations fail with
     * {@code Injected.Fault}. With {@code afterRunning} the handler runs first (its side effects, such
     * as pushes, happen) and the invocation fails anyway, as a function that crashes mid-batch does.
     * A negative count fails every invocation until {@link #stopFailing()}.
     */
    public void failNext(int invocations, boolean afterRunning) {
        failAfterRunning = afterRunning;
        injectedFailures.set(invocations);
    }

    public void stopFailing() {
        injectedFailures.set(0);
    }

    /** How many invocations an injected fault has failed so far. */
    public int injectedFailuresFired() {
        return injectedFailuresFired.get();
    }

    private boolean takeInjectedFailure() {
        int left = injectedFailures.getAndUpdate(n -> n > 0 ? n - 1 : n);
        return left != 0;
    }

    private FunctionError injectedFailure() {
        injectedFailuresFired.incrementAndGet();
        return new FunctionError("Injected.Fault", "injected failure of " + spec.logicalId(), null);
    }

    /** Whether the handler class is on the classpath (a template may name handlers not written yet). */
    public boolean available() {
        try {
            Class.forName(spec.className(), false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Invokes the handler with the event, converted to the type its method declares.
     *
     * @return the handler's result as JSON (what Lambda would serialise), NullNode for void
     * @throws FunctionError when the handler throws or cannot be loaded
     */
    public JsonNode invoke(LambdaEvent event) throws FunctionError {
        Object instance = idle.pollFirst();
        if (instance == null) {
            instance = newEnvironment();
        }
        Context context = new LocalContext(spec.logicalId(), spec.memoryMb(), spec.timeout().toMillis());
        long started = System.nanoTime();
        try {
            boolean inject = takeInjectedFailure();
            if (inject && !failAfterRunning) {
                throw injectedFailure();
            }
            JsonNode result = call(instance, event, context);
            if (inject) {
                throw injectedFailure();
            }
            return result;
        } finally {
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            if (tookMs > spec.timeout().toMillis()) {
                LOG.atWarn().addKeyValue("function", spec.logicalId()).addKeyValue("tookMs", tookMs)
                        .log("invocation ran past the function's Timeout; AWS would have stopped it");
            }
            idle.offerFirst(instance);
        }
    }

    private Object newEnvironment() throws FunctionError {
        long started = System.nanoTime();
        try {
            Class<?> type = Class.forName(spec.className(), true, loader);
            Object instance = type.getDeclaredConstructor().newInstance();
            if (method == null) {
                method = handlerMethod(type);
            }
            LOG.atInfo().addKeyValue("function", spec.logicalId())
                    .addKeyValue("initMs", (System.nanoTime() - started) / 1_000_000).log("cold start");
            return instance;
        } catch (ClassNotFoundException e) {
            throw new FunctionError("Runtime.ImportModuleError", "handler class " + spec.className() + " not found", e);
        } catch (InvocationTargetException e) {
            throw new FunctionError("Runtime.InitError", spec.className() + " failed in its constructor: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw new FunctionError("Runtime.InitError", spec.className() + " cannot be instantiated: " + e, e);
        }
    }

    private Method handlerMethod(Class<?> type) throws NoSuchMethodException {
        if (RequestStreamHandler.class.isAssignableFrom(type) && "handleRequest".equals(spec.methodName())) {
            return type.getMethod("handleRequest", InputStream.class, java.io.OutputStream.class, Context.class);
        }
        // A generic RequestHandler<I, O> also has a bridge handleRequest(Object, Context): prefer the typed one.
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(spec.methodName()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() >= 1 && m.getParameterCount() <= 2)
                .min(Comparator.comparing(Method::isBridge).thenComparing(m -> m.getParameterTypes()[0] == Object.class))
                .orElseThrow(() -> new NoSuchMethodException(spec.handler()));
    }

    private JsonNode call(Object instance, LambdaEvent event, Context context) throws FunctionError {
        try {
            Class<?>[] parameters = method.getParameterTypes();
            if (parameters.length == 3) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(instance, new ByteArrayInputStream(Json.write(event.json()).getBytes(StandardCharsets.UTF_8)), out, context);
                return out.size() == 0 ? NullNode.getInstance() : Json.parse(out.toString(StandardCharsets.UTF_8));
            }
            Object input = convert(event, parameters[0]);
            Object result = parameters.length == 2 ? method.invoke(instance, input, context) : method.invoke(instance, input);
            return result == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(result);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new FunctionError(cause.getClass().getName(), String.valueOf(cause.getMessage()), cause);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new FunctionError("Runtime.HandlerError", "cannot call " + spec.handler() + ": " + e, e);
        }
    }

    private static Object convert(LambdaEvent event, Class<?> type) {
        if (event.typed() != null && type.isInstance(event.typed())) {
            return event.typed();
        }
        if (type.isInstance(event.json())) {
            return event.json();
        }
        if (type == String.class) {
            return Json.write(event.json());
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(Json.write(event.json()).getBytes(StandardCharsets.UTF_8));
        }
        return Json.MAPPER.convertValue(event.json(), type);
    }
}
