package io.gitcrq.audit.rest;

import java.util.List;

/** One page of a search, with the number of matches over all pages. */
public record AuditPage(List<AuditEventView> items, int page, int size, long total) {}
