package io.gitcrq.archfixture.bad.cyclea;

import io.gitcrq.archfixture.bad.cycleb.Second;

public class First {
    Second next;
}
