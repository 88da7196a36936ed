package io.gitcrq.archfixture.bad.service;

import jakarta.ws.rs.NotFoundException;

/** Bad: a service answering in HTTP terms. */
public class ThrowsHttpException {
    public void find(String id) {
        throw new NotFoundException("no gadget " + id);
    }
}
