package io.gitcrq.archfixture.bad.service;

import io.gitcrq.archfixture.bad.domain.Gadget;

/** Bad: a service persisting an entity itself instead of through a repository. */
public class PersistsActiveRecord {
    public void save(Gadget gadget) {
        gadget.persist();
    }
}
