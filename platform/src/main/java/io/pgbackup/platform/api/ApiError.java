package io.pgbackup.platform.api;

/**
 * The body of every error answer of every service: the HTTP status, a stable code a program can
 * match on, and a sentence for a person. 5xx answers never carry internals.
 */
public record ApiError(int status, String code, String error) {
}
