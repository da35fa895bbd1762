package io.pgbackup.health.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.StanzaStatusReported;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The latest status report of a stanza's executor, kept so a restart starts from it. */
@Entity
@Table(name = "stanza_report")
public class StanzaReport extends PanacheEntityBase {

    @Id
    public String stanza;

    @Column(name = "executor_id")
    public String executorId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String payload;

    public StanzaStatusReported report() {
        return EventCodec.decodeStatus(payload).orElse(null);
    }
}
