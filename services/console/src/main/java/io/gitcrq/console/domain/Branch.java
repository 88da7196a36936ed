package io.gitcrq.console.domain;

import java.util.List;

/** A branch of a watched repository, as git-watcher announced it. */
public record Branch(String repo, String name, String head, List<String> crqIds, boolean nameValid, boolean deleted) {}
