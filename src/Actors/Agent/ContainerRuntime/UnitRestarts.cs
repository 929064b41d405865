using System.Text;
using NodeHealth.Actors.Agent.Probes;

namespace NodeHealth.Actors.Agent.ContainerRuntime;

/// <summary>One systemd service's restart counter as `systemctl show` reports it.</summary>
public sealed record UnitRestartCount(string Unit, long Restarts, bool Loaded);

/// <summary>
/// The pure half of &lt;Unit&gt;RepeatedRestart (EKS: NRestarts &gt; 3 and grown since the last poll). The reason is the unit
/// name without ".service", Title-cased per word as Go's cases.Title(language.English) does, hyphens kept:
/// my-custom-service.service → My-Custom-ServiceRepeatedRestart.
/// </summary>
public static class UnitRestarts
{
    public const string ReasonSuffix = "RepeatedRestart";
    public const int MoreThan = 3;

    /// <summary>"kubelet" → "kubelet.service"; a name that already has a unit suffix is kept.</summary>
    public static string ServiceName(string unit) => unit.EndsWith(".service", StringComparison.Ordinal) ? unit : unit + ".service";

    /// <summary>The reason for a unit; null when the name cannot make a reason (only letters, digits and '-' can).</summary>
    public static string? ReasonFor(string unit)
    {
        var name = unit.EndsWith(".service", StringComparison.Ordinal) ? unit[..^".service".Length] : unit;
        if (name.Length == 0)
            return null;
        var title = new StringBuilder(name.Length + ReasonSuffix.Length);
        var wordStart = true;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                return null;
            title.Append(wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            wordStart = c == '-';
        }
        return title.Append(ReasonSuffix).ToString();
    }

    /// <summary>
    /// `systemctl show --property=Id,LoadState,NRestarts a.service b.service`: blocks of Key=value lines separated by a
    /// blank line, one block per unit. A block without Id or with an unreadable count is skipped.
    /// </summary>
    public static IReadOnlyList<UnitRestartCount> Parse(string output)
    {
        var units = new List<UnitRestartCount>();
        foreach (var block in output.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var values = block.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
            if (!values.TryGetValue("Id", out var id) || id.Length == 0
                || !values.TryGetValue("NRestarts", out var restarts) || !long.TryParse(restarts, out var count))
                continue;
            units.Add(new UnitRestartCount(id, count, !values.TryGetValue("LoadState", out var load) || load == "loaded"));
        }
        return units;
    }

    /// <summary>
    /// Units restarted more than <see cref="MoreThan"/> times whose count grew since <paramref name="before"/> (a unit
    /// first seen now only sets its baseline: its history is not news). Entity: the unit.
    /// </summary>
    public static IReadOnlyList<ProbeFailure> Failures(IReadOnlyList<UnitRestartCount> now, IReadOnlyDictionary<string, long> before)
    {
        var failures = new List<ProbeFailure>();
        foreach (var unit in now.Where(u => u.Loaded && u.Restarts > MoreThan))
        {
            if (!before.TryGetValue(unit.Unit, out var previous) || unit.Restarts <= previous || ReasonFor(unit.Unit) is not { } reason)
                continue;
            failures.Add(new ProbeFailure(reason, unit.Unit,
                $"systemd restarted {unit.Unit} {unit.Restarts - previous} more time(s), {unit.Restarts} since it was started"));
        }
        return failures;
    }
}
