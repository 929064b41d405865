namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// Trouble the server answers instead of the real thing: an error status (with Retry-After), or a
/// slow answer. Each fault applies to the next <see cref="Times"/> requests that match it.
/// </summary>
public sealed record Fault(string Method, string Path, int Status, int Times, TimeSpan? RetryAfter = null, TimeSpan Delay = default)
{
    public bool Matches(string method, string path) => Method == method && (Path == path || Path == "*");
}

/// <summary>The pending faults, used up as requests arrive.</summary>
public sealed class FaultPlan
{
    private readonly List<(Fault Fault, int Left)> _pending = [];
    private readonly Lock _gate = new();

    public void Add(Fault fault)
    {
        lock (_gate)
            _pending.Add((fault, fault.Times));
    }

    public Fault? Take(string method, string path)
    {
        lock (_gate)
        {
            var index = _pending.FindIndex(p => p.Fault.Matches(method, path));
            if (index < 0)
                return null;
            var (fault, left) = _pending[index];
            if (left <= 1)
                _pending.RemoveAt(index);
            else
                _pending[index] = (fault, left - 1);
            return fault;
        }
    }
}
