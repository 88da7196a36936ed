package io.gitcrq.archfixture.rootcycle.sub;

import io.gitcrq.archfixture.rootcycle.RootEntry;

public class Helper {
    RootEntry entry;
}
