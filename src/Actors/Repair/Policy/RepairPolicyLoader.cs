using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts.Catalog;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.NodeDeserializers;

namespace NodeHealth.Actors.Repair.Policy;

/// <summary>A repair policy file that cannot be used: the message names the file, the line and the problem.</summary>
public sealed class RepairPolicyException(string message) : Exception(message);

/// <summary>
/// Reads a repair policy file (<c>Repair:PolicyFile</c>, docs/repair-policy.md) over the EKS defaults. Strict: an
/// unknown key, a wrong type, a reason the catalog does not define or a value out of range stops the load with an
/// error naming the file, the line and the problem. An absent key keeps its default.
/// </summary>
public static class RepairPolicyLoader
{
    public const int MaxFileBytes = 256 * 1024;

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithNodeDeserializer(inner => new SourceLines(inner), where => where.InsteadOf<ObjectNodeDeserializer>())
        .Build();

    /// <summary>The policy in <paramref name="path"/>; throws <see cref="RepairPolicyException"/>.</summary>
    public static RepairPolicy Load(string path, ReasonCatalog catalog, RepairMode mode = RepairMode.DryRun)
    {
        string yaml;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new RepairPolicyException($"Repair policy file {path} does not exist (Repair:PolicyFile)");
            if (info.Length > MaxFileBytes)
                throw new RepairPolicyException($"Repair policy file {path} is {info.Length} bytes; the limit is {MaxFileBytes}");
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepairPolicyException($"Repair policy file {path} cannot be read: {e.Message}");
        }

        return Parse(path, yaml, catalog, mode);
    }

    /// <summary>The policy in <paramref name="yaml"/>; <paramref name="origin"/> names it in errors and explanations.</summary>
    public static RepairPolicy Parse(string origin, string yaml, ReasonCatalog catalog, RepairMode mode = RepairMode.DryRun)
    {
        if (yaml.Length > MaxFileBytes)
            throw new RepairPolicyException($"{origin}: {yaml.Length} characters; the limit is {MaxFileBytes}");
        PolicyFile file;
        try
        {
            file = Yaml.Deserialize<PolicyFile?>(yaml) ?? new PolicyFile();
        }
        catch (YamlException e)
        {
            throw new RepairPolicyException(YamlErrors.Describe(origin, e));
        }

        return new PolicyParser(origin, catalog).Parse(file, mode);
    }
}
