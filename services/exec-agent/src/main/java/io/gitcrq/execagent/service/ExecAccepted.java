package io.gitcrq.execagent.service;

import io.gitcrq.execagent.domain.ExecOrder;

/** A CDI event: the order's RUNNING row is being committed; once it is, the command is started in tmux. */
public record ExecAccepted(ExecOrder order) {}
