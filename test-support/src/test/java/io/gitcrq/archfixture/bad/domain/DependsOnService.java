package io.gitcrq.archfixture.bad.domain;

import io.gitcrq.archfixture.bad.service.UsesKafkaType;

/** Bad: domain reaching out to the service layer. */
public class DependsOnService {
    UsesKafkaType service;
}
