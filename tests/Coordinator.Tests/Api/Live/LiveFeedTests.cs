using System.Text;
using NodeHealth.Coordinator.Api.Live;

namespace NodeHealth.Coordinator.Tests.Api.Live;

public sealed class LiveFeedTests
{
    private static readonly TimeProvider Clock = new FixedClock(DateTimeOffset.Parse("2026-11-28T01:00:00Z"));

    [Fact]
    public void An_event_goes_on_the_wire_as_event_id_and_one_line_of_data()
    {
        var wire = Encoding.UTF8.GetString(new LiveEvent(42, "node", "{\"name\":\"ip-10-0-0-1\"}").ToWire());

        Assert.Equal("event: node\nid: 42\ndata: {\"name\":\"ip-10-0-0-1\"}\n\n", wire);
    }

    [Fact]
    public void Data_with_a_line_break_stays_one_data_line()
    {
        var wire = Encoding.UTF8.GetString(new LiveEvent(1, "decision", "{\"a\":\n1}").ToWire());

        Assert.Equal("event: decision\nid: 1\ndata: {\"a\": 1}\n\n", wire);
    }

    [Fact]
    public void Ids_start_at_the_start_time_in_microseconds_and_grow_by_one()
    {
        var feed = new LiveFeed(Clock);

        var first = feed.Publish("node", "{}");
        var second = feed.Publish("node", "{}");

        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000 + 1, first.Id);
        Assert.Equal(first.Id + 1, second.Id);
    }

    [Fact]
    public void A_client_gets_every_event_published_after_it_subscribed()
    {
        var feed = new LiveFeed(Clock);
        feed.Publish("node", "before");
        using var client = feed.Subscribe();

        feed.Publish("node", "a");
        feed.Publish("repair", "b");

        Assert.Equal(["a", "b"], Drain(client).Select(e => e.Data));
        Assert.Empty(client.Missed);
        Assert.False(client.Gap);
    }

    [Fact]
    public void A_client_resuming_from_a_kept_id_first_gets_what_it_missed()
    {
        var feed = new LiveFeed(Clock);
        var seen = feed.Publish("node", "a");
        feed.Publish("node", "b");
        feed.Publish("decision", "c");

        using var client = feed.Subscribe(seen.Id);

        Assert.Equal(["b", "c"], client.Missed.Select(e => e.Data));
        Assert.False(client.Gap);
    }

    [Fact]
    public void A_client_resuming_from_the_newest_id_missed_nothing()
    {
        var feed = new LiveFeed(Clock);
        var newest = feed.Publish("node", "a");

        using var client = feed.Subscribe(newest.Id);

        Assert.Empty(client.Missed);
        Assert.False(client.Gap);
    }

    [Theory]
    [InlineData(-10)] // No longer kept.
    [InlineData(+10)] // Never sent by this feed: another coordinator's, or a restart's predecessor's.
    public void A_client_resuming_from_an_id_the_feed_cannot_continue_from_is_told_of_the_gap(long offset)
    {
        var feed = new LiveFeed(Clock, retained: 3);
        var first = feed.Publish("node", "a");
        for (var i = 0; i < 5; i++)
            feed.Publish("node", "x");

        using var client = feed.Subscribe(offset < 0 ? first.Id : first.Id + 5 + offset);

        Assert.True(client.Gap);
        Assert.Empty(client.Missed);
    }

    [Fact]
    public void A_client_of_a_restarted_coordinator_resuming_from_its_predecessors_id_is_told_of_the_gap()
    {
        var before = new LiveFeed(Clock);
        var last = before.Publish("node", "a");
        var after = new LiveFeed(new FixedClock(Clock.GetUtcNow().AddSeconds(5)));

        using var client = after.Subscribe(last.Id);

        Assert.True(client.Gap);
    }

    [Fact]
    public void A_client_that_does_not_keep_up_is_dropped_and_the_others_go_on()
    {
        var feed = new LiveFeed(Clock, clientBuffer: 4);
        using var slow = feed.Subscribe();
        using var fast = feed.Subscribe();

        for (var i = 0; i < 10; i++)
        {
            feed.Publish("node", $"{i}");
            Assert.Equal($"{i}", Drain(fast).Single().Data);
        }

        Assert.True(slow.IsDropped);
        Assert.True(slow.DroppedToken.IsCancellationRequested);
        Assert.False(fast.IsDropped);
        Assert.Equal(1, feed.Clients);
        Assert.Equal(1, feed.Dropped);
        Assert.Equal(4, Drain(slow).Count); // What it had room for; then its stream ends.
        Assert.True(slow.Events.Completion.IsCompleted);
    }

    [Fact]
    public void A_client_that_left_is_no_longer_fed()
    {
        var feed = new LiveFeed(Clock);
        var client = feed.Subscribe();

        client.Dispose();
        feed.Publish("node", "a");

        Assert.Equal(0, feed.Clients);
        Assert.Equal(0, feed.Dropped);
    }

    private static List<LiveEvent> Drain(LiveSubscription client)
    {
        var events = new List<LiveEvent>();
        while (client.Events.TryRead(out var e))
            events.Add(e);
        return events;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
