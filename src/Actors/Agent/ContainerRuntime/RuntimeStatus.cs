namespace NodeHealth.Actors.Agent.ContainerRuntime;

/// <summary>One condition the runtime reports about itself (CRI RuntimeCondition: RuntimeReady, NetworkReady).</summary>
public sealed record RuntimeCondition(string Type, bool Status, string Reason, string Message);

/// <summary>What one CRI Status call came to.</summary>
public abstract record RuntimeAnswer
{
    /// <summary>The runtime answered within the deadline with these conditions.</summary>
    public sealed record Answered(IReadOnlyList<RuntimeCondition> Conditions) : RuntimeAnswer;

    /// <summary>There is no socket at the configured path (no containerd on this host, or it is down and removed it).</summary>
    public sealed record NoSocket(string Path) : RuntimeAnswer;

    /// <summary>The socket exists but the call failed or ran past its deadline; <paramref name="Why"/> says which.</summary>
    public sealed record NotAnswered(string Why) : RuntimeAnswer;
}

/// <summary>The container runtime's CRI endpoint (runtime.v1.RuntimeService/Status over its unix socket).</summary>
public interface IRuntimeStatusSource
{
    /// <summary>The socket as the operator knows it ("/run/containerd/containerd.sock under /host").</summary>
    string Endpoint { get; }

    /// <summary>Never throws and never takes (much) longer than <paramref name="deadline"/>: a hung runtime is an answer too.</summary>
    Task<RuntimeAnswer> StatusAsync(TimeSpan deadline);
}
