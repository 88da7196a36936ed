package io.gitcrq.model.event;

import java.time.Instant;

/** Author or committer of a commit, as Git records it. */
public record GitPerson(String name, String email, Instant when) {}
