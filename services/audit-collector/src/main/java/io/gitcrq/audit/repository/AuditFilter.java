package io.gitcrq.audit.repository;

import java.time.Instant;

/**
 * What a search of the audit trail asks for; every criterion is optional ({@code null}) and they combine
 * with AND. The time range includes {@code from} and excludes {@code to}.
 */
public record AuditFilter(String crqId, String host, String kind, Instant from, Instant to) {}
