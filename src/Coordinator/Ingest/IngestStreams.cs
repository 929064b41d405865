namespace NodeHealth.Coordinator.Ingest;

/// <summary>
/// The agents' open streams, so shutdown can end them before Kestrel starts its own: stopping begins by cancelling
/// every stream (IngestService answers Unavailable, "the coordinator is shutting down"), and Kestrel's GOAWAY and
/// connection close wait here until those answers have left, at most <see cref="Bound"/>. Without the wait the
/// close could overtake the answer, and the agent would only see its connection gone.
/// </summary>
public sealed class IngestStreams : IHostedLifecycleService
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource _allEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private bool _stopping;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Counts the stream as open until the returned handle is disposed (register it with the response: disposed once the answer has left).</summary>
    public IDisposable Track()
    {
        Interlocked.Increment(ref _open);
        return new Handle(this);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, true);
        if (Open == 0)
            return;
        await Task.WhenAny(_allEnded.Task, Task.Delay(Bound, cancellationToken));
    }

    private void Ended()
    {
        if (Interlocked.Decrement(ref _open) == 0 && Volatile.Read(ref _stopping))
            _allEnded.TrySetResult();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class Handle(IngestStreams streams) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                streams.Ended();
        }
    }
}
