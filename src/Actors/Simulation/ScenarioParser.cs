using System.Collections.Immutable;
using System.Globalization;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.NodeDeserializers;

namespace NodeHealth.Actors.Simulation;

/// <summary>A scenario file that cannot be used: the message names the file, the line and the problem.</summary>
public sealed class ScenarioException(string message) : Exception(message);

/// <summary>What a scenario may ask for: the command line allows big fleets and policy files; the HTTP API less, and no files.</summary>
public sealed record ScenarioLimits(long MaxNodeDays, int MaxNodes, bool AllowPolicyFiles)
{
    public static readonly ScenarioLimits CommandLine = new(100_000L * 3_650, 100_000, AllowPolicyFiles: true);
}

/// <summary>
/// Reads a scenario file (docs/simulation.md). Strict like the policy loader: an unknown key, a wrong type, a reason
/// the catalog does not define or a value out of range stops the load with the file, the line and the problem.
/// Policies are parsed by the real <see cref="RepairPolicyLoader"/> in mode On (or Off for a "no repair" baseline).
/// </summary>
public static class ScenarioParser
{
    public const int MaxFileBytes = 512 * 1024;
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero); // A Monday.

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithNodeDeserializer(inner => new SourceLines(inner), where => where.InsteadOf<ObjectNodeDeserializer>())
        .Build();

    public static Scenario Load(string path, ReasonCatalog catalog, ScenarioLimits? limits = null)
    {
        string yaml;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ScenarioException($"scenario file {path} does not exist");
            if (info.Length > MaxFileBytes)
                throw new ScenarioException($"scenario file {path} is {info.Length} bytes; the limit is {MaxFileBytes}");
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"scenario file {path} cannot be read: {e.Message}");
        }

        return Parse(path, yaml, catalog, Path.GetDirectoryName(Path.GetFullPath(path)), limits ?? ScenarioLimits.CommandLine);
    }

    /// <summary>The scenario in <paramref name="yaml"/>; policy <c>file:</c> entries resolve against <paramref name="directory"/> when the limits allow files.</summary>
    public static Scenario Parse(string origin, string yaml, ReasonCatalog catalog, string? directory, ScenarioLimits limits)
    {
        if (yaml.Length > MaxFileBytes)
            throw new ScenarioException($"{origin}: {yaml.Length} characters; the limit is {MaxFileBytes}");
        ScenarioFile? file;
        try
        {
            file = Yaml.Deserialize<ScenarioFile?>(yaml);
        }
        catch (YamlException e)
        {
            throw new ScenarioException(YamlErrors.Describe(origin, e));
        }

        if (file is null)
            throw new ScenarioException($"{origin}: the file is empty; a scenario needs at least fleet.pools, faults and policies (docs/simulation.md)");
        return new ScenarioReader(origin, catalog, directory, limits).Read(file);
    }
}
