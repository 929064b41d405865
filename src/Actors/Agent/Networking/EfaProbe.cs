using System.Globalization;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>
/// EFAErrorMetric: an Elastic Fabric Adapter's error counters (/sys/class/infiniband/*/ports/*/hw_counters)
/// growing faster than their allowance (EKS's buckets: burst 100 refilled 1 per second for the error events,
/// 1,000 for retransmitted packets, 1,000,000 for retransmitted bytes). Only devices with Amazon's vendor id
/// and an EFA device id are read; absent elsewhere.
/// </summary>
public sealed class EfaProbe(IHostFiles host, TimeSpan interval, TimeProvider clock) : IProbe
{
    public const string AmazonVendor = "0x1d0f";
    private const string Infiniband = "/sys/class/infiniband";

    public static IReadOnlyDictionary<string, double> Bursts { get; } = new Dictionary<string, double>
    {
        ["rx_drops"] = 100,
        ["rdma_write_wr_err"] = 100,
        ["rdma_read_wr_err"] = 100,
        ["unresponsive_remote_events"] = 100,
        ["impaired_remote_conn_events"] = 100,
        ["retrans_timeout_events"] = 100,
        ["retrans_pkts"] = 1_000,
        ["retrans_bytes"] = 1_000_000,
    };

    private readonly Dictionary<string, AllowanceBucket> _buckets = [];

    public string Name => "efa";

    public ConditionType Condition => ConditionType.NetworkingReady;

    public TimeSpan Interval { get; } = interval;

    public string Description => $"{Infiniband} under {host.Root}";

    public ProbeOutcome Poll()
    {
        var devices = (host.List(Infiniband) ?? []).Where(IsEfa).ToList();
        if (devices.Count == 0)
            return new ProbeOutcome.Absent("no EFA device in /sys/class/infiniband");

        var at = clock.GetUtcNow().UtcDateTime;
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var device in devices)
        foreach (var port in host.List($"{Infiniband}/{device}/ports") ?? [])
        foreach (var counter in Bursts.Keys)
        {
            if (host.ReadText($"{Infiniband}/{device}/ports/{port}/hw_counters/{counter}") is { } text
                && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                counters[$"{device}/{port}/{counter}"] = value;
        }

        return new ProbeOutcome.Checked(Check(counters, at));
    }

    /// <summary>Counters keyed "device/port/counter" whose growth since the last poll exceeds their allowance.</summary>
    public IReadOnlyList<ProbeFailure> Check(IReadOnlyDictionary<string, long> counters, DateTime at)
    {
        var failures = new List<ProbeFailure>();
        foreach (var (key, value) in counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var counter = key[(key.LastIndexOf('/') + 1)..];
            if (!Bursts.TryGetValue(counter, out var burst))
                continue;
            if (!_buckets.TryGetValue(key, out var bucket))
                _buckets[key] = bucket = new AllowanceBucket(burst, 1);
            if (bucket.Exceeded(value, at))
                failures.Add(new ProbeFailure("EFAErrorMetric", key, $"EFA {key} reached {value}, growing faster than its allowance (burst {burst:0}, 1 per second)"));
        }

        return failures;
    }

    private bool IsEfa(string device) =>
        host.ReadText($"{Infiniband}/{device}/device/vendor")?.Trim() == AmazonVendor
        && host.ReadText($"{Infiniband}/{device}/device/device")?.Trim().StartsWith("0xefa", StringComparison.OrdinalIgnoreCase) == true;
}
