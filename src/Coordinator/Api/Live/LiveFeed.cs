using System.Threading.Channels;

namespace NodeHealth.Coordinator.Api.Live;

/// <summary>
/// The live events of this coordinator fanned out to every open stream. Publishing never waits: each client has a
/// bounded buffer, and a client whose buffer is full is dropped (its stream ends; it may resume with Last-Event-ID).
/// The latest events are kept so a client that reconnects gets what it missed. Ids start at the start time in
/// microseconds, so a restarted coordinator's ids are greater than its predecessor's.
/// </summary>
public sealed class LiveFeed
{
    public const int DefaultClientBuffer = 512;
    public const int DefaultRetained = 2048;

    private readonly object _gate = new();
    private readonly Queue<LiveEvent> _recent = new();
    private readonly List<LiveSubscription> _clients = [];
    private readonly int _clientBuffer;
    private readonly int _retained;
    private long _lastId;
    private long _dropped;

    public LiveFeed(TimeProvider clock, int clientBuffer = DefaultClientBuffer, int retained = DefaultRetained)
    {
        _clientBuffer = clientBuffer;
        _retained = retained;
        _lastId = clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }

    public int Clients
    {
        get { lock (_gate) return _clients.Count; }
    }

    /// <summary>Clients dropped since start because they did not keep up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Numbers the event, keeps it for resuming clients and hands it to every client that has room.</summary>
    public LiveEvent Publish(string type, string data)
    {
        lock (_gate)
        {
            var e = new LiveEvent(++_lastId, type, data);
            _recent.Enqueue(e);
            if (_recent.Count > _retained)
                _recent.Dequeue();
            for (var i = _clients.Count - 1; i >= 0; i--)
            {
                if (_clients[i].Offer(e))
                    continue;
                _clients[i].Drop();
                _clients.RemoveAt(i);
                Interlocked.Increment(ref _dropped);
            }

            return e;
        }
    }

    /// <summary>
    /// A new client. With <paramref name="lastEventId"/> it first gets the kept events after that id; when that id is
    /// not one this feed can continue from (too old, another coordinator's, a predecessor's), <see cref="LiveSubscription.Gap"/> says so.
    /// </summary>
    public LiveSubscription Subscribe(long? lastEventId = null)
    {
        lock (_gate)
        {
            var oldest = _recent.Count > 0 ? _recent.Peek().Id : _lastId + 1;
            var gap = lastEventId is { } last && (last < oldest - 1 || last > _lastId);
            IReadOnlyList<LiveEvent> missed = lastEventId is { } after && !gap ? [.. _recent.Where(e => e.Id > after)] : [];
            var subscription = new LiveSubscription(this, _clientBuffer, missed, gap, _lastId);
            _clients.Add(subscription);
            return subscription;
        }
    }

    internal void Remove(LiveSubscription subscription)
    {
        lock (_gate)
            _clients.Remove(subscription);
    }
}

/// <summary>One client's place in the feed: what it missed, then its bounded buffer of new events. Dispose when the stream ends.</summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly LiveFeed _feed;
    private readonly Channel<LiveEvent> _events;
    private readonly CancellationTokenSource _dropped = new();

    internal LiveSubscription(LiveFeed feed, int buffer, IReadOnlyList<LiveEvent> missed, bool gap, long lastId)
    {
        _feed = feed;
        _events = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(buffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Missed = missed;
        Gap = gap;
        LastIdAtStart = lastId;
    }

    /// <summary>Kept events after the client's Last-Event-ID.</summary>
    public IReadOnlyList<LiveEvent> Missed { get; }

    /// <summary>The client's Last-Event-ID cannot be continued from: it should be sent the current state.</summary>
    public bool Gap { get; }

    /// <summary>The id of the newest event published before this client joined.</summary>
    public long LastIdAtStart { get; }

    public ChannelReader<LiveEvent> Events => _events.Reader;

    /// <summary>Cancelled when the feed dropped this client for falling behind.</summary>
    public CancellationToken DroppedToken => _dropped.Token;

    public bool IsDropped => _dropped.IsCancellationRequested;

    internal bool Offer(LiveEvent e) => _events.Writer.TryWrite(e);

    internal void Drop()
    {
        _events.Writer.TryComplete();
        _dropped.Cancel();
    }

    public void Dispose()
    {
        _feed.Remove(this);
        _events.Writer.TryComplete();
    }
}
