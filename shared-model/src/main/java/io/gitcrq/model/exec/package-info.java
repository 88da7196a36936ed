/**
 * Exec grants: the signed, short-lived proof that an authenticated person may have one command run on one host
 * ({@link io.gitcrq.model.exec.ExecGrant}), signed by crq-service and verified by exec-agent with the same code.
 */
package io.gitcrq.model.exec;
