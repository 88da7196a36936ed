package io.gitcrq.model.api.audit;

import java.util.List;

/** One page of a CRQ's timeline ({@code GET /audit/timeline}), oldest first, with the number of entries over all pages. */
public record TimelinePage(String crqId, List<TimelineEntry> entries, int page, int size, long total) {}
