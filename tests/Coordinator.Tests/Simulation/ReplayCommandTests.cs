using NodeHealth.Coordinator.Simulation;

namespace NodeHealth.Coordinator.Tests.Simulation;

public sealed class ReplayCommandTests : IDisposable
{
    private const string History = """
        {"node":"gpu-1","sequenceNr":1,"at":"2026-11-27T12:00:00Z","type":"FindingsRecorded","event":{"nodeName":"gpu-1"}}
        {"node":"gpu-1","source":"repair-governor","at":"2026-11-27T12:10:30Z","type":"RepairDecisionRecorded","event":{"node":"gpu-1","recordedAt":"2026-11-27T12:10:30Z","pool":"gpu","zone":"a","condition":"AcceleratedHardwareReady","reason":"NvidiaXID79Error","action":"Replace","verdict":"Start","denial":"None","findings":[{"condition":"AcceleratedHardwareReady","status":"False","reason":"NvidiaXID79Error","since":"2026-11-27T12:00:00Z","wait":"00:10:00","action":"Replace"}],"budget":{"pool":"gpu","poolNodes":10}}}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("replay-").FullName;

    [Fact]
    public void A_candidate_that_never_replaces_differs_at_the_recorded_start()
    {
        var policy = Write("never.yaml", "overrides:\n  - condition: AcceleratedHardwareReady\n    action: None\n");

        var (stdout, stderr, code) = Run(policy, "--history", Write("history.ndjson", History));

        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("1 recorded rounds, 1 decisions compared, 1 differ; starts recorded 1, with the candidate 0", stdout);
        Assert.Matches(@"2026-11-27 12:10:30Z\s+gpu-1\s+Start Replace\s+NoAction", stdout);
    }

    [Theory]
    [InlineData(new[] { "p.yaml" }, "replay needs a policy file and --history")]
    [InlineData(new[] { "p.yaml", "--history", "/nonexistent.ndjson", "--format", "html" }, "--format 'html' must be table or json")]
    [InlineData(new[] { "/nonexistent/policy.yaml", "--history", "h.ndjson" }, "Repair policy file /nonexistent/policy.yaml does not exist")]
    public void Bad_arguments_exit_2(string[] args, string problem)
    {
        var (_, stderr, code) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains(problem, stderr);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (string, string, int) Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = ReplayCommand.Run(args, stdout, stderr);
        return (stdout.ToString(), stderr.ToString(), code);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
