using System.Globalization;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>
/// The ENA driver's allowance counters (`ethtool -S`): packets queued or dropped because the instance
/// exceeded a bandwidth, PPS, connection-tracking or link-local allowance. Each (interface, counter)
/// keeps its token bucket across polls (EKS's refill 1 per 10 minutes, burst 180 for bw_in, 320 for pps,
/// 100 for the others). Absent on hosts without an ENA interface or without ethtool.
/// </summary>
public sealed class EnaAllowanceProbe(IHostFiles host, IHostCommands commands, TimeSpan interval, TimeProvider clock) : IProbe
{
    /// <summary>ethtool's exit code for a device without statistics, which EKS tolerates too.</summary>
    public const int NoStatistics = 94;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    public static IReadOnlyDictionary<string, (string Reason, double Burst)> Counters { get; } = new Dictionary<string, (string, double)>
    {
        ["bw_in_allowance_exceeded"] = ("BandwidthInExceeded", 180),
        ["bw_out_allowance_exceeded"] = ("BandwidthOutExceeded", 100),
        ["pps_allowance_exceeded"] = ("PPSExceeded", 320),
        ["conntrack_allowance_exceeded"] = ("ConntrackExceeded", 100),
        ["linklocal_allowance_exceeded"] = ("LinkLocalExceeded", 100),
    };

    private const double RefillPerSecond = 1.0 / 600;
    private readonly Dictionary<(string Interface, string Counter), AllowanceBucket> _buckets = [];

    public string Name => "ena";

    public ConditionType Condition => ConditionType.NetworkingReady;

    public TimeSpan Interval { get; } = interval;

    public string Description => $"ethtool -S of the ENA interfaces in /sys/class/net under {host.Root}";

    public ProbeOutcome Poll()
    {
        var interfaces = (host.List("/sys/class/net") ?? [])
            .Where(name => host.ReadText($"/sys/class/net/{name}/device/uevent") is { } uevent && uevent.Split('\n').Contains("DRIVER=ena"))
            .ToList();
        if (interfaces.Count == 0)
            return new ProbeOutcome.Absent("no interface uses the ENA driver");

        var at = clock.GetUtcNow().UtcDateTime;
        var failures = new List<ProbeFailure>();
        foreach (var name in interfaces)
        {
            var result = commands.Run("ethtool", ["-S", name], CommandTimeout);
            if (result is null)
                return new ProbeOutcome.Absent("ethtool is not installed");
            if (result.ExitCode == NoStatistics)
                continue;
            if (result.ExitCode != 0)
                throw new ProbeUnavailableException($"ethtool -S {name} exited with {result.ExitCode}");
            failures.AddRange(Check(name, ParseStatistics(result.Output), at));
        }

        return new ProbeOutcome.Checked(failures);
    }

    /// <summary>Which allowance counters of one interface grew beyond their bucket since the last poll.</summary>
    public IEnumerable<ProbeFailure> Check(string iface, IReadOnlyDictionary<string, long> statistics, DateTime at)
    {
        foreach (var (counter, (reason, burst)) in Counters)
        {
            if (!statistics.TryGetValue(counter, out var value))
                continue;
            if (!_buckets.TryGetValue((iface, counter), out var bucket))
                _buckets[(iface, counter)] = bucket = new AllowanceBucket(burst, RefillPerSecond);
            if (bucket.Exceeded(value, at))
                yield return new ProbeFailure(reason, iface, $"{iface}: {counter} reached {value}, more than its allowance of {burst:0} plus 1 per 10 minutes");
        }
    }

    /// <summary>`ethtool -S` output ("NIC statistics:", then "     name: value" lines, queue counters such as "queue_0_tx_cnt" among them).</summary>
    public static IReadOnlyDictionary<string, long> ParseStatistics(string output)
    {
        var statistics = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var colon = line.LastIndexOf(':');
            if (colon <= 0 || !long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                continue;
            statistics[line[..colon].Trim()] = value;
        }

        return statistics;
    }
}
