package io.gitcrq.console.domain;

/** The board's filters, each null when not set; {@code search} matches a CRQ's id or title. */
public record BoardFilter(String repo, String requester, String approver, String search) {}
