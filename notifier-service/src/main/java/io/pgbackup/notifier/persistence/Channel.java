package io.pgbackup.notifier.persistence;

import java.util.Arrays;
import java.util.Optional;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an alert goes. Stored and shown as slack or email. */
public enum Channel {

    SLACK("slack"),
    EMAIL("email");

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static Optional<Channel> fromWire(String value) {
        return Arrays.stream(values()).filter(c -> c.wire.equals(value)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }

    /** The column holds the wire value, as it did before the field was typed. */
    @Converter(autoApply = true)
    public static class Column implements AttributeConverter<Channel, String> {

        @Override
        public String convertToDatabaseColumn(Channel channel) {
            return channel == null ? null : channel.wire;
        }

        @Override
        public Channel convertToEntityAttribute(String column) {
            return column == null
                    ? null
                    : fromWire(column).orElseThrow(() -> new IllegalStateException(
                            "unexpected channel '" + column + "' in the database"));
        }
    }
}
