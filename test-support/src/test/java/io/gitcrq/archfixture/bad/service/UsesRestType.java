package io.gitcrq.archfixture.bad.service;

import io.gitcrq.archfixture.bad.rest.GadgetResource;

/** Bad: a service taking a REST request type. */
public class UsesRestType {
    public String create(GadgetResource.GadgetRequest request) {
        return request.name();
    }
}
