using System.Net;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// Polling with a deadline instead of sleeps. Transient HTTP trouble (connection refused while a process
/// starts, 503 while it joins its cluster, a timed-out request) is retried until the deadline; the last
/// such error is part of the failure message.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until <paramref name="check"/> holds; fails with <paramref name="explain"/> after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> check, TimeSpan timeout, Func<string> explain) =>
        await ValueAsync(check, ok => ok, timeout, _ => explain());

    /// <summary>Polls until <paramref name="produce"/> returns a value that satisfies <paramref name="accept"/>, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> produce, Func<T, bool> accept, TimeSpan timeout, Func<T?, string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        T? last = default;
        Exception? transient = null;
        while (true)
        {
            try
            {
                last = await produce();
                transient = null;
                if (accept(last))
                    return last;
            }
            catch (Exception e) when (IsTransient(e))
            {
                transient = e;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#}s: {explain(last)}" +
                                           (transient is null ? "" : $"\nlast attempt failed: {transient.GetType().Name}: {transient.Message}"));
            await Task.Delay(Interval);
        }
    }

    /// <summary>Errors a starting, restarting or busy server gives, which a later attempt may not.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException { StatusCode: null } => true, // Refused, reset: nobody listens yet or any more.
        HttpRequestException { StatusCode: var status } => (int)status! >= 500 || status == HttpStatusCode.TooManyRequests,
        TaskCanceledException { InnerException: TimeoutException } => true, // HttpClient.Timeout
        _ => false,
    };
}
