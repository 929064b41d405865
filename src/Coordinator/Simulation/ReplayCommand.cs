using System.Globalization;
using System.Text;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Actors.Simulation.Replay;

namespace NodeHealth.Coordinator.Simulation;

/// <summary>
/// <c>replay &lt;policy.yaml&gt; --history &lt;export.ndjson&gt; [--format table|json] [--out FILE]</c>: a candidate policy over a
/// deployment's recorded rounds (the NDJSON of GET /api/history/export), decision by decision where it differs.
/// </summary>
public static class ReplayCommand
{
    public const string Usage = "usage: coordinator replay <policy.yaml> --history <export.ndjson> [--format table|json] [--out FILE]";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? policyFile = null, history = null, output = null;
        var format = "table";
        for (var i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--history":
                    history = Value();
                    break;
                case "--format":
                    format = Value() ?? "";
                    if (format is not ("table" or "json"))
                        return Fail(stderr, $"--format '{format}' must be table or json");
                    break;
                case "--out":
                    output = Value();
                    break;
                default:
                    if (args[i].StartsWith('-') || policyFile is not null)
                        return Fail(stderr, $"unexpected argument '{args[i]}'");
                    policyFile = args[i];
                    break;
            }
        }

        if (policyFile is null || history is null)
            return Fail(stderr, "replay needs a policy file and --history <export.ndjson> (GET /api/history/export)");
        var catalog = CatalogLoader.LoadBuiltIn();
        ReplayReport report;
        try
        {
            var policy = RepairPolicyLoader.Load(policyFile, catalog, RepairMode.On);
            if (!File.Exists(history))
                return Fail(stderr, $"history file {history} does not exist");
            using var reader = new StreamReader(history, new UTF8Encoding(false, throwOnInvalidBytes: true));
            var (records, nodeEvents) = HistoryExport.Read(history, reader);
            report = PolicyReplay.Run(policy, policyFile, catalog, history, records, nodeEvents);
        }
        catch (Exception e) when (e is RepairPolicyException or HistoryExportException or IOException or DecoderFallbackException or UnauthorizedAccessException)
        {
            return Fail(stderr, e is DecoderFallbackException ? $"{history}: not valid UTF-8" : e.Message);
        }

        return SimulationCommands.Output(format == "json" ? SimulationJson.Write(report) : Table(report), output, stdout, stderr);
    }

    public static string Table(ReplayReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Replay of {report.Policy} over {report.History}: {report.Rounds} recorded rounds, {report.Compared} decisions compared, ")
            .Append(CultureInfo.InvariantCulture, $"{report.Differences} differ; starts recorded {report.RecordedStarts}, with the candidate {report.CandidateStarts} ")
            .Append(CultureInfo.InvariantCulture, $"({report.GovernorRecords} governor records, {report.NodeEvents} node events skipped)\n");
        var differing = report.Decisions.Where(d => d.Differs).ToList();
        if (differing.Count == 0)
            return text.Append("The candidate decides as the deployment did at every recorded decision.\n").ToString();
        text.Append('\n').Append(CultureInfo.InvariantCulture, $"{"time",-20}  {"node",-30}  {"recorded",-32}  candidate\n");
        foreach (var d in differing.Take(500))
            text.Append(CultureInfo.InvariantCulture, $"{d.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  {d.Node,-30}  {d.Recorded,-32}  {d.Candidate}: {d.CandidateWhy}\n");
        if (differing.Count > 500)
            text.Append(CultureInfo.InvariantCulture, $"... and {differing.Count - 500} more (--format json lists them all)\n");
        return text.ToString();
    }

    private static int Fail(TextWriter stderr, string problem)
    {
        stderr.WriteLine($"node-health coordinator: {problem}");
        stderr.WriteLine(Usage);
        return 2;
    }
}
