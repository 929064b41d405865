using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Simulation;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Tests.Simulation;

/// <summary>The shipped scenarios and a small literal one for the simulation's specifications.</summary>
internal static class Scenarios
{
    public static readonly ReasonCatalog Catalog = CatalogLoader.LoadBuiltIn();

    public static string Directory { get; } = Path.Combine(Root(), "scenarios");

    public static IEnumerable<string> Shipped() => System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal);

    public static Scenario Load(string name) => ScenarioParser.Load(Path.Combine(Directory, name), Catalog);

    public static Scenario Parse(string yaml) => ScenarioParser.Parse("test.yaml", yaml, Catalog, Directory, ScenarioLimits.CommandLine);

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
