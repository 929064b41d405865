namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>Disposes processes a test started, whatever happens to the test.</summary>
public sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var item in items)
            await item.DisposeAsync();
    }
}
