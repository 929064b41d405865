using Akka.Actor;

namespace NodeHealth.Coordinator.Cluster;

/// <summary>
/// Checks of the cluster formation settings (static seed nodes, remoting, split brain resolver): each
/// problem names the setting and the fix, so a bad value stops startup instead of a cluster that never forms.
/// </summary>
public static class ClusterSettings
{
    /// <summary>
    /// Lightbend's guidance for clusters of up to 5 members (Akka's 20 s default is sized for hundreds): a coordinator
    /// silent this long after it became unreachable is downed. Measured on a loaded machine, 10 s (with a 7 s margin)
    /// gave a 33 s failover under load; a GC pause or a starved CPU still rides through 7 s.
    /// </summary>
    public static readonly TimeSpan DefaultDowningStableAfter = TimeSpan.FromSeconds(7);

    /// <summary>
    /// Time the downed side gets to stop its shards before the survivors start them (one writer per node): it downs
    /// itself at the same stable-after and stops its shards in 1–2 s. Unset, Akka uses the stable-after again, which
    /// with Akka's defaults made a crash's failover ~47 s (measured).
    /// </summary>
    public static readonly TimeSpan DefaultDownRemovalMargin = TimeSpan.FromSeconds(5);

    public static IEnumerable<string> Problems(CoordinatorOptions options)
    {
        var seen = new HashSet<Address>();
        foreach (var seed in options.SeedNodes)
        {
            if (SeedProblem(seed, out var address) is { } problem)
                yield return $"Coordinator:SeedNodes entry '{seed}' {problem}";
            else if (!seen.Add(address!))
                yield return $"Coordinator:SeedNodes lists '{seed}' twice: list each coordinator once";
        }

        if (options.AkkaPublicHostname is { } published && Uri.CheckHostName(published) == UriHostNameType.Unknown)
            yield return $"Coordinator:AkkaPublicHostname '{published}' is not a host name or IP address: use the pod's stable DNS name, e.g. coordinator-0.coordinator";
        if (Uri.CheckHostName(options.AkkaHostname) == UriHostNameType.Unknown)
            yield return $"Coordinator:AkkaHostname '{options.AkkaHostname}' is not a host name or IP address (0.0.0.0 binds every interface; then set Coordinator:AkkaPublicHostname)";
        if (options.AkkaHostname == "0.0.0.0" && options.AkkaPublicHostname is null && options.SeedNodes.Count > 0)
            yield return "Coordinator:AkkaHostname 0.0.0.0 needs Coordinator:AkkaPublicHostname: the address other coordinators reach this one at (the pod's DNS name)";
        if (options.DowningStableAfter < TimeSpan.FromSeconds(1) || options.DowningStableAfter > TimeSpan.FromMinutes(5))
            yield return $"Coordinator:DowningStableAfter {options.DowningStableAfter} must be between 00:00:01 and 00:05:00 (default 00:00:07): " +
                         "shorter downs coordinators that merely paused, longer leaves a crashed coordinator's nodes unserved for that long";
        if (options.DownRemovalMargin < TimeSpan.FromSeconds(1) || options.DownRemovalMargin > TimeSpan.FromMinutes(5))
            yield return $"Coordinator:DownRemovalMargin {options.DownRemovalMargin} must be between 00:00:01 and 00:05:00 (default 00:00:05): " +
                         "the downed side needs time to stop its shards before the survivors start them";
    }

    private static string? SeedProblem(string seed, out Address? address)
    {
        address = null;
        if (!seed.StartsWith("akka.tcp://", StringComparison.Ordinal))
            return "must look like akka.tcp://node-health@host:port";
        try
        {
            address = Address.Parse(seed);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            return $"is not an Akka address ({e.Message}): write akka.tcp://node-health@host:port";
        }

        if (address.System != ClusterWiring.SystemName)
            return $"names actor system '{address.System}': coordinators all run '{ClusterWiring.SystemName}' (akka.tcp://{ClusterWiring.SystemName}@host:port)";
        if (string.IsNullOrEmpty(address.Host) || address.Port is null or < 1 or > 65535)
            return "needs a host and a port, e.g. akka.tcp://node-health@coordinator-0.coordinator:4053";
        return null;
    }
}
