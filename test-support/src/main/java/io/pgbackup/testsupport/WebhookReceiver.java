package io.pgbackup.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for Slack's incoming-webhook endpoint. Answers are
 * programmable (status, Retry-After, hanging); every request is recorded with its arrival time.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One programmed answer. */
    public record Answer(int status, String retryAfter, Duration hang) {

        public static Answer ok() {
            return new Answer(200, null, Duration.ZERO);
        }

        public static Answer status(int status) {
            return new Answer(status, null, Duration.ZERO);
        }

        public static Answer tooManyRequests(int retryAfterSeconds) {
            return new Answer(429, String.valueOf(retryAfterSeconds), Duration.ZERO);
        }

        public static Answer hang(Duration duration) {
            return new Answer(200, null, duration);
        }
    }

    /** A request as received. */
    public record Received(Instant at, String path, String body, int answeredWith) {
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private volatile Answer otherwise = Answer.ok();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Answer answer = script.poll();
        if (answer == null) {
            answer = otherwise;
        }
        received.add(new Received(Instant.now(), exchange.getRequestURI().getPath(), body, answer.status()));
        if (!answer.hang().isZero()) {
            try {
                Thread.sleep(answer.hang().toMillis()); // simulates a receiver that does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        byte[] reply = (answer.status() == 200 ? "ok" : "error").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** The next answers, in order; after them, {@link #otherwise(Answer)}. */
    public void script(Answer... answers) {
        script.clear();
        script.addAll(List.of(answers));
    }

    public void otherwise(Answer answer) {
        this.otherwise = answer;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> containing(String text) {
        return received.stream().filter(r -> r.body().contains(text)).toList();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
