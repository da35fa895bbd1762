package io.pgbackup.executor.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The nonces of production-restore challenges, each usable once, for its stanza and target only. */
@ApplicationScoped
public class RestoreChallenges {

    @Inject
    EntityManager em;

    @Transactional
    public void issue(String nonce, String stanza, String target, UUID issuedFor, Instant expiresAt) {
        em.createNativeQuery("INSERT INTO restore_challenge (nonce, stanza, target, issued_for, issued_at, expires_at)"
                + " VALUES (?1, ?2, ?3, ?4, ?5, ?6)").setParameter(1, nonce).setParameter(2, stanza)
                .setParameter(3, target).setParameter(4, issuedFor).setParameter(5, Instant.now())
                .setParameter(6, expiresAt).executeUpdate();
    }

    /**
     * Uses the nonce for {@code request}: one statement, so two requests racing with one nonce
     * cannot both pass. A redelivery of the request that already used it passes again.
     *
     * @return why it is refused, or empty when the request may proceed
     */
    @Transactional
    public Optional<String> use(String nonce, String stanza, String target, UUID request, Instant now) {
        int used = em.createNativeQuery("UPDATE restore_challenge SET used_by = ?1, used_at = ?2 WHERE nonce = ?3"
                + " AND stanza = ?4 AND target = ?5 AND expires_at > ?2 AND (used_by IS NULL OR used_by = ?1)")
                .setParameter(1, request).setParameter(2, now).setParameter(3, nonce).setParameter(4, stanza)
                .setParameter(5, target).executeUpdate();
        if (used == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT stanza, target, expires_at, used_by FROM restore_challenge"
                + " WHERE nonce = ?1").setParameter(1, nonce).getResultList();
        if (rows.isEmpty()) {
            return Optional.of("no challenge of this executor has that nonce: send the request without confirmNonce"
                    + " to get one");
        }
        Object[] row = rows.get(0);
        if (row[3] != null) {
            return Optional.of("the nonce was already used by request " + row[3] + ": a nonce confirms one restore");
        }
        if (!stanza.equals(row[0]) || !target.equals(row[1])) {
            return Optional.of("the nonce was issued for a restore of " + row[0] + " to " + row[1]
                    + ", not of " + stanza + " to " + target);
        }
        return Optional.of("the nonce expired at " + row[2] + ": send the request without confirmNonce for a new"
                + " challenge");
    }
}
