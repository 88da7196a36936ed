package io.gitcrq.archfixture.bad.service;

import io.gitcrq.archfixture.bad.domain.Gadget;

/** Bad: a service querying through the entity's static Panache methods. */
public class QueriesActiveRecord {
    public long gadgets() {
        return Gadget.count();
    }
}
