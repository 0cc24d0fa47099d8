from core.ratelimit import PRUNE_EVERY, RateLimiter


def test_rate_limiter_window_and_single_warning():
    limiter = RateLimiter(limit=3, window=60)
    assert [limiter.allow(1, now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow(2, now=3)  # other chats are unaffected
    assert limiter.should_warn(1, now=3) and not limiter.should_warn(1, now=10)
    assert limiter.allow(1, now=61)


def test_keys_seen_once_do_not_pile_up():
    """A public channel meets many senders once each; their windows are swept, not kept for ever."""
    limiter = RateLimiter(limit=3, window=60)
    for i in range(PRUNE_EVERY - 1):
        limiter.allow(f"web-{i}", now=0)
    limiter.allow("late", now=100)  # the sweep: every earlier sender is idle for more than a window
    assert len(limiter._hits) == 1
