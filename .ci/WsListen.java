// A WebSocket client for .ci/awscli-check.sh: connects, appends every message it receives to a
// file, and stays connected for the given number of seconds. Run as a single-file program on the
// local stack's classpath (Jetty's client): java -cp 'infra/target/lib/*' .ci/WsListen.java URL FILE SECONDS
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

public class WsListen {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]);
        CountDownLatch closed = new CountDownLatch(1);
        WebSocketClient client = new WebSocketClient();
        client.start();
        client.connect(new Listener(out, closed), URI.create(args[0])).get(10, TimeUnit.SECONDS);
        closed.await(Long.parseLong(args[2]), TimeUnit.SECONDS);
        client.stop();
    }

    /** Public: Jetty looks its methods up reflectively. */
    public static final class Listener implements Session.Listener.AutoDemanding {
        private final Path out;
        private final CountDownLatch closed;

        Listener(Path out, CountDownLatch closed) {
            this.out = out;
            this.closed = closed;
        }

            @Override
            public void onWebSocketText(String message) {
                try {
                    Files.writeString(out, message + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }

            @Override
            public void onWebSocketClose(int code, String reason, org.eclipse.jetty.websocket.api.Callback callback) {
                try {
                    Files.writeString(out, "closed " + code + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (Exception ignored) {
                    // the file is only a report
                }
                callback.succeed();
                closed.countDown();
            }
    }
}
