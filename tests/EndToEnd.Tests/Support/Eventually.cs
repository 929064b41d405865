namespace NodeHealth.EndToEnd.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until <paramref name="check"/> holds; fails with <paramref name="explain"/> after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> check, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await check())
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#}s: {explain()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls until <paramref name="produce"/> returns a value that satisfies <paramref name="accept"/>, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> produce, Func<T, bool> accept, TimeSpan timeout, Func<T?, string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        while (true)
        {
            last = await produce();
            if (accept(last))
                return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#}s: {explain(last)}");
            await Task.Delay(100);
        }
    }
}
