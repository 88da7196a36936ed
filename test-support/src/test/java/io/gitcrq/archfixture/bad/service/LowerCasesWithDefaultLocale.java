package io.gitcrq.archfixture.bad.service;

/** Breaks the locale rule: lower-cases with the JVM's default locale. */
public class LowerCasesWithDefaultLocale {
    public String key(String crqId) {
        return crqId.toLowerCase();
    }
}
