package io.gitcrq.archfixture.bad.cycleb;

import io.gitcrq.archfixture.bad.cyclea.First;

public class Second {
    First back;
}
