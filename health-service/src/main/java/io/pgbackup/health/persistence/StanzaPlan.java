package io.pgbackup.health.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pgbackup.events.EventCodec;
import io.pgbackup.events.SchedulePlan;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The scheduler's latest plan of a stanza (backup.schedules), kept so a restart starts from it. */
@Entity
@Table(name = "stanza_plan")
public class StanzaPlan extends PanacheEntityBase {

    @Id
    public String stanza;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String payload;

    public SchedulePlan plan() {
        return EventCodec.decodePlan(payload).orElse(null);
    }
}
