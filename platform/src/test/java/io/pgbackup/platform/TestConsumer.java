package io.pgbackup.platform;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.pgbackup.events.BackupEvent;
import io.pgbackup.events.EventCodec;
import io.pgbackup.platform.consumer.ConsumerPolicy;
import io.pgbackup.platform.consumer.Transience;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * A consumer of events that follows the platform's policy. Requests whose id is registered in
 * {@link #failAlways} fail every time; those in {@link #failTransiently} fail transiently a given
 * number of times first.
 */
@ApplicationScoped
public class TestConsumer {

    private final List<BackupEvent> handled = new CopyOnWriteArrayList<>();
    private final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<UUID, Boolean> failAlways = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> failTransiently = new ConcurrentHashMap<>();

    private final ConsumerPolicy policy;

    public TestConsumer(ConsumerPolicy policy) {
        this.policy = policy;
    }

    /** Events handled, in order (the bean is reached through a proxy: methods, not fields). */
    public List<BackupEvent> handled() {
        return handled;
    }

    public int attempts(UUID requestId) {
        return attempts.getOrDefault(requestId, new AtomicInteger()).get();
    }

    public void failAlways(UUID requestId) {
        failAlways.put(requestId, true);
    }

    public void failTransiently(UUID requestId, int times) {
        failTransiently.put(requestId, new AtomicInteger(times));
    }

    @Incoming("platform-test-in")
    @Blocking
    public CompletionStage<Void> onEvent(Message<String> message) {
        return policy.consume(message, EventCodec::readEvent, ConsumerPolicy.Unreadable.DEAD_LETTER,
                (event, record) -> {
                    attempts.computeIfAbsent(event.requestId(), id -> new AtomicInteger()).incrementAndGet();
                    if (failAlways.containsKey(event.requestId())) {
                        throw new IllegalStateException("this event always fails");
                    }
                    AtomicInteger transients = failTransiently.get(event.requestId());
                    if (transients != null && transients.getAndDecrement() > 0) {
                        throw new Transience.TransientFailure("the state database is away", null);
                    }
                    handled.add(event);
                });
    }
}
