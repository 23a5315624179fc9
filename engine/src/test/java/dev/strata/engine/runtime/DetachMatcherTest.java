package dev.strata.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetachMatcherTest {
    @Test
    void holdsBackAPossibleStartAndDetachesOnTheWholeSequence() {
        AttachSession.DetachMatcher m = new AttachSession.DetachMatcher(new byte[] {16, 17});
        AttachSession.DetachMatcher.Result r = m.feed(new byte[] {'a', 16}, 2);
        assertThat(r.passThrough()).containsExactly('a');
        assertThat(r.detach()).isFalse();
        r = m.feed(new byte[] {'b'}, 1);
        assertThat(r.passThrough()).as("not the sequence after all: the held byte goes on").containsExactly(16, 'b');
        r = m.feed(new byte[] {'x', 16, 17, 'y'}, 4);
        assertThat(r.passThrough()).containsExactly('x');
        assertThat(r.detach()).isTrue();
        AttachSession.DetachMatcher again = new AttachSession.DetachMatcher(new byte[] {16, 17});
        assertThat(again.feed(new byte[] {16, 16, 17}, 3).passThrough()).containsExactly(16);
    }
}
