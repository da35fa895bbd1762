-- The one-time nonces of production-restore challenges: issued by the answer to a request without
-- one, used (once) by the request that confirms it.
CREATE TABLE restore_challenge (
    nonce        text PRIMARY KEY,
    stanza       text        NOT NULL,
    target       text        NOT NULL,
    issued_for   uuid        NOT NULL,
    issued_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_by      uuid,
    used_at      timestamptz
);
