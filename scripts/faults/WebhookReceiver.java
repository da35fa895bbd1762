import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver standing in for Slack in the fault suite: every POST body is appended as
 * one line to a file, and answered 200 as Slack does. Usage: java WebhookReceiver.java PORT FILE
 */
public class WebhookReceiver {

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 16);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String line = new String(body, StandardCharsets.UTF_8).replace('\n', ' ') + "\n";
            synchronized (WebhookReceiver.class) {
                Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }
}
