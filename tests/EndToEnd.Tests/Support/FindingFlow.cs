using System.Text.Json.Nodes;

namespace NodeHealth.EndToEnd.Tests.Support;

/// <summary>
/// Numbered soft-lockup lines written to /dev/kmsg at a steady pace while a test breaks things; every agent on
/// the machine reports each line for its node, and each must show in that node's view exactly once.
/// </summary>
public sealed class FindingFlow(string tag)
{
    public string Tag => tag;

    /// <summary>How many lines were written so far.</summary>
    public int Written { get; private set; }

    public void Write() => KernelLog.Write($"<4>watchdog: BUG: soft lockup - CPU#{Written % 8} stuck for 22s! [{tag}:{Written++}]");

    /// <summary>Writes lines every <paramref name="pace"/> until <paramref name="total"/> were written.</summary>
    public async Task RunAsync(int total, TimeSpan pace)
    {
        while (Written < total)
        {
            Write();
            await Task.Delay(pace);
        }
    }

    /// <summary>
    /// Writes lines every <paramref name="pace"/> until <paramref name="until"/> completes; past 90 lines (the view keeps
    /// 100 findings) it writes no more but still waits for <paramref name="until"/>.
    /// </summary>
    public async Task RunUntilAsync(Task until, TimeSpan pace)
    {
        while (!until.IsCompleted && Written < 90)
        {
            Write();
            await Task.WhenAny(until, Task.Delay(pace));
        }

        await until;
    }

    public string Message(int line) => $"CPU#{line % 8} stuck for 22s [{tag}:{line}]";

    public bool Spooled(AgentUnderTest agent, int line) =>
        File.Exists(agent.SpoolFile) && File.ReadAllText(agent.SpoolFile).Contains(Message(line));

    /// <summary>Waits until the node shows every line written so far, then checks none shows twice (a duplicate would come after the originals).</summary>
    public async Task AssertEachExactlyOnceAsync(CoordinatorUnderTest coordinator, string node, TimeSpan arrival)
    {
        var lines = Written;
        await Eventually.ValueAsync(() => coordinator.NodeAsync(node), v => Ours(v) >= lines, arrival,
            v => $"node {node} shows {Ours(v)} of {lines} lines: {v}\ncoordinator:\n{Tail(coordinator.Output)}");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var view = await coordinator.NodeAsync(node);
        var wrong = Enumerable.Range(0, lines).Where(line => view.CountFindings(Message(line)) != 1).ToList();
        Assert.True(wrong.Count == 0, $"node {node}: lines not seen exactly once: {string.Join(", ", wrong.Select(l => $"{l}×{view.CountFindings(Message(l))}"))}");
        Assert.Equal(lines, Ours(view));
    }

    private int Ours(JsonObject? view) => view.Findings().Count(f => f.Text("message")!.Contains($"[{tag}:"));

    public static string Tail(string output, int lines = 60) => string.Join('\n', output.Split('\n').TakeLast(lines));
}
