using System.Net;

namespace NodeHealth.Coordinator.Kubernetes;

/// <summary>
/// What the API server said to one call: the object, or why not. Conflicts, throttling, server
/// errors and timeouts are worth retrying; 404 means the object is gone; anything else is our bug
/// or missing permission, and retrying the same request would only repeat it.
/// </summary>
public sealed record ApiAnswer<T>(T? Value, ApiFailure? Failure)
{
    public bool Succeeded => Failure is null;

    public static ApiAnswer<T> Ok(T value) => new(value, null);

    public static ApiAnswer<T> Failed(ApiFailure failure) => new(default, failure);
}

/// <param name="Status">HTTP status; 0 when no answer came (timeout, connection refused).</param>
public sealed record ApiFailure(int Status, string Message, TimeSpan? RetryAfter = null)
{
    public bool IsNotFound => Status == (int)HttpStatusCode.NotFound;

    public bool IsRetryable => Status is 0 or (int)HttpStatusCode.Conflict or (int)HttpStatusCode.TooManyRequests or >= 500;

    public override string ToString() => Status == 0 ? Message : $"{Status}: {Message}";
}
