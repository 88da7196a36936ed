package io.gitcrq.console.domain;

/** A repository git-watcher watches (or watched). */
public record Repo(String name, String location, String defaultBranch, boolean watched) {}
