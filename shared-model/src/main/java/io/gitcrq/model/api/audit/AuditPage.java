package io.gitcrq.model.api.audit;

import java.util.List;

/** One page of an audit search ({@code GET /audit}), with the number of matches over all pages. */
public record AuditPage(List<AuditEventView> items, int page, int size, long total) {}
