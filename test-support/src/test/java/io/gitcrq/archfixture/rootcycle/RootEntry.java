package io.gitcrq.archfixture.rootcycle;

import io.gitcrq.archfixture.rootcycle.sub.Helper;

/** An entry point in the base package itself that a subpackage calls back into. */
public class RootEntry {
    Helper helper;
}
