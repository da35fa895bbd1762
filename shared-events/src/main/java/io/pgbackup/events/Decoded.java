package io.pgbackup.events;

/**
 * What reading one record gave: the value, or why the record is poison (not JSON, an unknown type,
 * a required field missing or null, a field of the wrong type, too large). Poison goes to the
 * topic's dead-letter queue with the reason; it is never retried.
 */
public sealed interface Decoded<T> {

    record Ok<T>(T value) implements Decoded<T> {
    }

    record Poison<T>(String reason) implements Decoded<T> {
    }

    static <T> Decoded<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Decoded<T> poison(String reason) {
        return new Poison<>(reason);
    }
}
