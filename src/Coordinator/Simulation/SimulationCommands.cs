using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Simulation;

namespace NodeHealth.Coordinator.Simulation;

/// <summary>
/// The coordinator's offline subcommands: <c>simulate &lt;scenario.yaml&gt;</c> and <c>replay</c> (<see cref="ReplayCommand"/>).
/// No cluster, no database: they read files, run the real repair code on virtual time and print. Exit 0 on success, 2 on bad
/// arguments or files (the message says which and why).
/// </summary>
public static class SimulationCommands
{
    public const string Usage =
        "usage: coordinator simulate <scenario.yaml> [--seed N] [--format table|json|html] [--out FILE] [--days N]";

    /// <summary>The exit code when <paramref name="args"/> name a subcommand of ours; null for a normal coordinator start.</summary>
    public static int? Dispatch(string[] args) => args.FirstOrDefault() switch
    {
        "simulate" => Simulate(args[1..], Console.Out, Console.Error),
        "replay" => ReplayCommand.Run(args[1..], Console.Out, Console.Error),
        _ => null,
    };

    public static int Simulate(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (!SimulateArguments.TryParse(args, out var parsed, out var problem))
            return Fail(stderr, problem);
        Scenario scenario;
        var catalog = CatalogLoader.LoadBuiltIn();
        try
        {
            scenario = ScenarioParser.Load(parsed.Scenario, catalog);
        }
        catch (ScenarioException e)
        {
            return Fail(stderr, e.Message);
        }

        if (parsed.Seed is { } seed)
            scenario = scenario with { Seed = seed };
        if (parsed.Days is { } days)
            scenario = scenario with { Length = TimeSpan.FromDays(days) };
        scenario = scenario with { Events = [.. scenario.Events.Where(e => e.At < scenario.Length)] };

        var terminal = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        var report = Actors.Simulation.Simulator.Run(scenario, catalog, terminal ? Progress(scenario, stderr) : null);
        if (terminal)
            stderr.Write("\r\x1b[K");
        var text = parsed.Format switch
        {
            "json" => SimulationJson.Write(report),
            "html" => SimulationHtml.Write(report),
            _ => SimulationTable.Write(report),
        };
        return Output(text, parsed.Out, stdout, stderr);
    }

    public static int Output(string text, string? path, TextWriter stdout, TextWriter stderr)
    {
        if (path is null)
        {
            stdout.Write(text);
            return 0;
        }

        try
        {
            File.WriteAllText(path, text);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stderr, $"--out {path} cannot be written: {e.Message}");
        }
    }

    public static int Fail(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"node-health coordinator: {problem}");
        stderr.WriteLine(Usage);
        return 2;
    }

    internal static Action<int, double> Progress(Scenario scenario, TextWriter stderr)
    {
        var last = -1;
        return (policy, share) =>
        {
            var percent = (int)(share * 100);
            if (percent == last)
                return;
            last = percent;
            stderr.Write($"\rsimulating {scenario.NodeCount} nodes for {scenario.Length.TotalDays} days: policy {policy + 1}/{scenario.Policies.Length} ({scenario.Policies[policy].Name}) {percent}%\x1b[K");
        };
    }
}

/// <summary>The simulate subcommand's arguments.</summary>
public sealed record SimulateArguments(string Scenario, ulong? Seed, string Format, string? Out, int? Days)
{
    public static bool TryParse(string[] args, out SimulateArguments parsed, out string problem)
    {
        parsed = new SimulateArguments("", null, "table", null, null);
        problem = "";
        string? scenario = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (arg)
            {
                case "--seed":
                    if (!ulong.TryParse(Value(), out var seed))
                        return Bad(out problem, "--seed needs a whole number from 0 to 18446744073709551615");
                    parsed = parsed with { Seed = seed };
                    break;
                case "--format":
                    var format = Value();
                    if (format is not ("table" or "json" or "html"))
                        return Bad(out problem, $"--format '{format}' must be table, json or html");
                    parsed = parsed with { Format = format };
                    break;
                case "--out":
                    parsed = parsed with { Out = Value() ?? "" };
                    if (parsed.Out!.Length == 0)
                        return Bad(out problem, "--out needs a file name");
                    break;
                case "--days":
                    if (!int.TryParse(Value(), out var days) || days is < 1 or > 3650)
                        return Bad(out problem, "--days needs a whole number from 1 to 3650");
                    parsed = parsed with { Days = days };
                    break;
                default:
                    if (arg.StartsWith('-') || scenario is not null)
                        return Bad(out problem, $"unexpected argument '{arg}'");
                    scenario = arg;
                    break;
            }
        }

        if (scenario is null)
            return Bad(out problem, "simulate needs a scenario file (see scenarios/ and docs/simulation.md)");
        parsed = parsed with { Scenario = scenario };
        return true;
    }

    private static bool Bad(out string problem, string text)
    {
        problem = text;
        return false;
    }
}
