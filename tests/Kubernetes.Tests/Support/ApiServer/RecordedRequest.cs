namespace NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>One request as it reached the server, with what it answered, for assertions.</summary>
public sealed record RecordedRequest(DateTime At, string Method, string Path, string Query, string? ContentType, string Body, int Status)
{
    public bool Is(string method, string path) => Method == method && Path == path;

    public override string ToString() => $"{At:HH:mm:ss.fff} {Method} {Path}{Query} → {Status}";
}
