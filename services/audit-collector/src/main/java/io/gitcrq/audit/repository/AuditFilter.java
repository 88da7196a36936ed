package io.gitcrq.audit.repository;

import java.time.Instant;

/**
 * What a search of the audit trail asks for ({@code repo}: records whose payload names that repository, e.g. its
 * governance records); every criterion is optional ({@code null}) and they combine
 * with AND. The time range includes {@code from} and excludes {@code to}.
 */
public record AuditFilter(String crqId, String host, String kind, String repo, Instant from, Instant to) {}
