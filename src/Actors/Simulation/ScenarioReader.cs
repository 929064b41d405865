using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Simulation;

/// <summary>Validates a parsed scenario file; every error reads "file line N: what is wrong and how to fix it".</summary>
internal sealed partial class ScenarioReader(string origin, ReasonCatalog catalog, string? directory, ScenarioLimits limits)
{
    private ScenarioException Error(ScenarioEntry at, string problem) => new($"{origin} line {at.Line}: {problem}");

    public Scenario Read(ScenarioFile f)
    {
        var start = ScenarioParser.DefaultStart;
        if (f.Start is not null && !DateTimeOffset.TryParse(f.Start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
            throw Error(f, $"start '{f.Start}' must be an ISO-8601 time such as 2026-01-05T00:00:00Z");
        var days = f.Days ?? 30;
        if (days is < 1 or > 3650)
            throw Error(f, $"days {days} must be 1 to 3650");
        var every = Span(f, "decideEvery", f.DecideEvery, TimeSpan.FromSeconds(30));
        if (every < TimeSpan.FromSeconds(1) || every > TimeSpan.FromHours(1))
            throw Error(f, $"decideEvery {f.DecideEvery} must be 1s to 1h (the governor's Repair:DecideEvery, default 30s)");
        var pools = Pools(f);
        var nodes = pools.Sum(p => (long)p.Nodes);
        if (nodes > limits.MaxNodes || nodes * days > limits.MaxNodeDays)
            throw Error(f.Fleet!, $"{nodes} nodes for {days} days is more than this simulation allows ({limits.MaxNodes} nodes, {limits.MaxNodeDays} node-days)");
        var faults = Faults(f, pools);
        var policies = Policies(f);
        return new Scenario(f.Name ?? Path.GetFileNameWithoutExtension(origin), origin, start.ToUniversalTime(), TimeSpan.FromDays(days),
            f.Seed ?? 1, every, pools, faults, Lemons(f.Lemons), Events(f, pools, TimeSpan.FromDays(days)), Repairs(f.Repairs), policies);
    }

    private ImmutableArray<PoolSpec> Pools(ScenarioFile f)
    {
        if (f.Fleet?.Pools is not { Count: > 0 } entries)
            throw Error(f.Fleet ?? (ScenarioEntry)f, "fleet.pools needs at least one pool, e.g. { name: gpu-h100, nodes: 2048, zones: [a, b], accelerator: nvidia-h100, acceleratorsPerNode: 8 }");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pools = ImmutableArray.CreateBuilder<PoolSpec>();
        foreach (var e in entries)
        {
            if (e is null)
                throw Error(f.Fleet, "fleet.pools has an empty entry");
            var name = Name(e, "pool name", e.Name);
            if (!names.Add(name))
                throw Error(e, $"pool {name} is listed twice");
            if (e.Nodes is not (>= 1 and <= 1_000_000))
                throw Error(e, $"pool {name}: nodes must be 1 to 1000000");
            var zones = e.Zones is { Count: > 0 } z ? z.Select(zone => Name(e, "zone", zone)).ToImmutableArray() : ["zone-a"];
            var perNode = e.AcceleratorsPerNode ?? (e.Accelerator is null ? 0 : 8);
            if (perNode is < 0 or > 64)
                throw Error(e, $"pool {name}: acceleratorsPerNode {perNode} must be 0 to 64");
            pools.Add(new PoolSpec(name, e.Nodes.Value, zones, e.Accelerator ?? "", perNode));
        }

        return pools.ToImmutable();
    }

    private ImmutableArray<FaultCause> Faults(ScenarioFile f, ImmutableArray<PoolSpec> pools)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var causes = ImmutableArray.CreateBuilder<FaultCause>();
        foreach (var e in f.Faults ?? [])
        {
            if (e is null)
                throw Error(f, "faults has an empty entry");
            var name = Name(e, "fault name", e.Name);
            if (!names.Add(name))
                throw Error(e, $"fault {name} is listed twice");
            var (condition, status, reason) = Condition(e, e.Condition, e.Status, e.Reason);
            if (e.RatePerNodeDay is not { } rate || rate < 0 || rate > 100 || double.IsNaN(rate))
                throw Error(e, $"fault {name}: ratePerNodeDay must be a number from 0 to 100 (faults per node per day)");
            causes.Add(new FaultCause(name, condition, status, reason, rate, ClearingOf(e, Error), e.RebootFixes ?? true, PoolNames(e, e.Pools, pools)));
        }

        return causes.ToImmutable();
    }

    private static Clearing ClearingOf(FaultEntry e, Func<ScenarioEntry, string, ScenarioException> error)
    {
        if (e.ClearsAfter is null or "never")
            return e.Clearing is null ? Clearing.Never : throw error(e, "clearing needs clearsAfter (e.g. clearsAfter: 45m)");
        if (!Duration.TryParse(e.ClearsAfter, out var after) || after <= TimeSpan.Zero)
            throw error(e, $"clearsAfter '{e.ClearsAfter}' must look like 90s, 10m, 1h or 7d (or never)");
        return e.Clearing switch
        {
            null or "exponential" => new Clearing(after, Exponential: true),
            "fixed" => new Clearing(after, Exponential: false),
            _ => throw error(e, $"clearing '{e.Clearing}' must be fixed or exponential"),
        };
    }

    private (string Condition, ConditionStatus Status, string Reason) Condition(ScenarioEntry e, string? condition, string? status, string? reason)
    {
        if (condition is null || !RepairConditions.Repairable.Contains(condition))
            throw Error(e, $"condition '{condition}' must be one of {string.Join(", ", RepairConditions.Repairable)}");
        var parsed = status switch
        {
            null or "False" => ConditionStatus.False,
            "Unknown" => ConditionStatus.Unknown,
            _ => throw Error(e, $"status '{status}' must be False or Unknown"),
        };
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 128)
            throw Error(e, $"{condition} needs a reason (a reason string of the catalog, docs/reasons.md)");
        if (RepairConditions.Ours(condition) is { } type && catalog.Rule(type, reason) is null)
            throw Error(e, $"the catalog defines no reason {reason} for {condition} (reason strings are EKS's, see docs/reasons.md)");
        return (condition, parsed, reason);
    }

    private LemonSpec Lemons(LemonsEntry? e)
    {
        if (e is null)
            return LemonSpec.None;
        var fraction = e.Fraction ?? 0.05;
        var multiplier = e.RateMultiplier ?? 19;
        if (fraction is < 0 or > 1 || double.IsNaN(fraction))
            throw Error(e, $"lemons.fraction {fraction} must be 0 to 1");
        if (multiplier is < 1 or > 1000 || double.IsNaN(multiplier))
            throw Error(e, $"lemons.rateMultiplier {multiplier} must be 1 to 1000");
        return new LemonSpec(fraction, multiplier);
    }

    private ImmutableArray<CorrelatedEvent> Events(ScenarioFile f, ImmutableArray<PoolSpec> pools, TimeSpan length)
    {
        var events = ImmutableArray.CreateBuilder<CorrelatedEvent>();
        foreach (var e in f.Events ?? [])
        {
            if (e is null)
                throw Error(f, "events has an empty entry");
            var kind = e.Type switch
            {
                "zonePartition" => CorrelatedKind.ZonePartition,
                "buggyDetector" => CorrelatedKind.BuggyDetector,
                "flapping" => CorrelatedKind.Flapping,
                "brokenReplacements" => CorrelatedKind.BrokenReplacements,
                _ => throw Error(e, $"event type '{e.Type}' must be zonePartition, buggyDetector, flapping or brokenReplacements"),
            };
            var at = Span(e, "at", e.At ?? "0s", TimeSpan.Zero);
            var duration = e.Duration is null ? length - at : Span(e, "duration", e.Duration, TimeSpan.Zero);
            if (at >= length || duration <= TimeSpan.Zero)
                throw Error(e, $"{e.Type}: at {e.At} must fall within the scenario's {length.TotalDays} days and duration must be longer than 0");
            var (condition, status, reason) = Condition(e, e.Condition, e.Status, e.Reason);
            string? zone = null;
            if (kind == CorrelatedKind.ZonePartition)
            {
                zone = e.Zone ?? throw Error(e, "zonePartition needs zone: the zone that is cut off");
                if (!pools.Any(p => p.Zones.Contains(zone)))
                    throw Error(e, $"zone {zone} is not a zone of any pool ({string.Join(", ", pools.SelectMany(p => p.Zones).Distinct())})");
            }

            var fraction = e.Fraction ?? (kind == CorrelatedKind.ZonePartition ? 1.0 : 0.3);
            var probability = e.Probability ?? 0.1;
            if (fraction is < 0 or > 1 || probability is < 0 or > 1 || double.IsNaN(fraction) || double.IsNaN(probability))
                throw Error(e, "fraction and probability must be 0 to 1");
            var nodes = e.Nodes ?? 10;
            if (nodes is < 0 or > 1_000_000)
                throw Error(e, $"nodes {nodes} must be 0 to 1000000");
            var unhealthy = Span(e, "unhealthyFor", e.UnhealthyFor, TimeSpan.FromMinutes(25));
            var healthy = Span(e, "healthyFor", e.HealthyFor, TimeSpan.FromMinutes(5));
            if (kind == CorrelatedKind.Flapping && (unhealthy <= TimeSpan.Zero || healthy <= TimeSpan.Zero))
                throw Error(e, "flapping needs unhealthyFor and healthyFor longer than 0");
            events.Add(new CorrelatedEvent(kind, at, duration, condition, status, reason, zone, PoolNames(e, e.Pools, pools), fraction, nodes,
                unhealthy, healthy, probability));
        }

        return events.ToImmutable();
    }

    private RepairTimings Repairs(RepairsEntry? e)
    {
        var d = RepairTimings.Default;
        if (e is null)
            return d;
        var timings = new RepairTimings(Span(e, "drain", e.Drain, d.Drain), Span(e, "reboot", e.Reboot, d.Reboot), Span(e, "replace", e.Replace, d.Replace),
            Span(e, "verifyTimeout", e.VerifyTimeout, d.VerifyTimeout), Span(e, "manualUncordonAfter", e.ManualUncordonAfter, d.ManualUncordonAfter))
        {
            ApprovalDelay = Span(e, "approvalDelay", e.ApprovalDelay, d.ApprovalDelay),
        };
        if (timings.VerifyTimeout <= TimeSpan.Zero)
            throw Error(e, "verifyTimeout must be longer than 0");
        return timings;
    }

    private ImmutableArray<PolicyUnderTest> Policies(ScenarioFile f)
    {
        if (f.Policies is not { Count: > 0 } entries)
            throw Error(f, "policies needs at least one policy, e.g. { name: eks-defaults, file: policies/eks-defaults.yaml }");
        if (entries.Count > 8)
            throw Error(f, $"{entries.Count} policies; compare at most 8 at once");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var policies = ImmutableArray.CreateBuilder<PolicyUnderTest>();
        foreach (var e in entries)
        {
            if (e is null)
                throw Error(f, "policies has an empty entry");
            var name = Name(e, "policy name", e.Name);
            if (!names.Add(name))
                throw Error(e, $"policy {name} is listed twice");
            var mode = e.Mode switch
            {
                null or "On" => RepairMode.On,
                "Off" => RepairMode.Off,
                _ => throw Error(e, $"policy {name}: mode '{e.Mode}' must be On (repairs carried out) or Off (no repair: the baseline)"),
            };
            if (e.File is not null && e.Policy is not null)
                throw Error(e, $"policy {name}: give file or policy, not both");
            try
            {
                var policy = e.File is { } file ? LoadFile(e, name, file, mode)
                    : RepairPolicyLoader.Parse($"{origin} policy {name} (line {e.Line})", e.Policy ?? "", catalog, mode);
                policies.Add(new PolicyUnderTest(name, policy));
            }
            catch (RepairPolicyException problem)
            {
                throw new ScenarioException($"{origin} line {e.Line}: policy {name}: {problem.Message}");
            }
        }

        return policies.ToImmutable();
    }

    private RepairPolicy LoadFile(ScenarioEntry e, string name, string file, RepairMode mode)
    {
        if (!limits.AllowPolicyFiles || directory is null)
            throw Error(e, $"policy {name}: file is not allowed here; put the policy inline (policy: |)");
        return RepairPolicyLoader.Load(Path.IsPathRooted(file) ? file : Path.Combine(directory, file), catalog, mode);
    }

    private ImmutableArray<string> PoolNames(ScenarioEntry e, List<string>? names, ImmutableArray<PoolSpec> pools)
    {
        if (names is null)
            return [];
        foreach (var name in names.Where(n => !pools.Any(p => p.Name == n)))
            throw Error(e, $"pool {name} is not in fleet.pools ({string.Join(", ", pools.Select(p => p.Name))})");
        return [.. names];
    }

    private string Name(ScenarioEntry e, string what, string? text) =>
        text is { Length: > 0 and <= 63 } && NamePattern().IsMatch(text)
            ? text
            : throw Error(e, $"{what} '{text}' must be 1 to 63 letters, digits, '-', '_' or '.'");

    private TimeSpan Span(ScenarioEntry e, string key, string? text, TimeSpan fallback)
    {
        if (text is null)
            return fallback;
        return Duration.TryParse(text, out var value) ? value : throw Error(e, $"{key} '{text}' must look like 90s, 10m, 1h or 7d");
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
