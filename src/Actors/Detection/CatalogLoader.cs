using NodeHealth.Actors.Yaml;
using NodeHealth.Contracts.Catalog;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.NodeDeserializers;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// Reads catalog YAML (the embedded built-in files, one per subsystem, then operator files in order) into one
/// validated <see cref="ReasonCatalog"/>. Every error names the file, the line of the entry and the problem.
/// </summary>
public static class CatalogLoader
{
    /// <summary>The built-in files, in load order (embedded from Catalog/).</summary>
    public static readonly IReadOnlyList<string> BuiltInFiles =
        ["kernel.yaml", "storage.yaml", "networking.yaml", "container-runtime.yaml", "accelerator.yaml"];

    private const int MaxFileBytes = 1024 * 1024;

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithNodeDeserializer(inner => new SourceLines(inner), where => where.InsteadOf<ObjectNodeDeserializer>())
        .Build();

    public static ReasonCatalog LoadBuiltIn() => Load([]);

    /// <summary>The built-in catalog merged with <paramref name="extraFiles"/>; throws <see cref="CatalogException"/>.</summary>
    public static ReasonCatalog Load(IEnumerable<string> extraFiles) =>
        Merge(extraFiles.Select(path => (path, ReadFile(path))));

    /// <summary>The built-in catalog merged with one catalog text (<paramref name="origin"/> names it in errors).</summary>
    public static ReasonCatalog Parse(string origin, string yaml) => Merge([(origin, yaml)]);

    private static ReasonCatalog Merge(IEnumerable<(string Origin, string Yaml)> extra)
    {
        var builder = new CatalogBuilder();
        foreach (var name in BuiltInFiles)
            builder.Add(name, Deserialize(name, ReadBuiltIn(name)), builtIn: true);
        foreach (var (origin, yaml) in extra)
            builder.Add(origin, Deserialize(origin, yaml), builtIn: false);
        return builder.Build();
    }

    private static CatalogFile Deserialize(string origin, string yaml)
    {
        try
        {
            return Yaml.Deserialize<CatalogFile?>(yaml) ?? new CatalogFile();
        }
        catch (YamlException e)
        {
            throw new CatalogException($"{origin} (line {e.Start.Line}, column {e.Start.Column}): {Innermost(e).Message}");
        }
    }

    private static string ReadBuiltIn(string name)
    {
        using var stream = typeof(CatalogLoader).Assembly.GetManifestResourceStream("NodeHealth.Catalog." + name)
            ?? throw new InvalidOperationException($"The built-in catalog file {name} is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new CatalogException($"Catalog file {path} does not exist");
            if (info.Length > MaxFileBytes)
                throw new CatalogException($"Catalog file {path} is {info.Length} bytes; the limit is {MaxFileBytes}");
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CatalogException($"Catalog file {path} cannot be read: {e.Message}");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
