using System.Diagnostics;

/// <summary>
/// A fleet of simulated agents (<see cref="SimulatedAgent"/>) against one or several running coordinators:
/// "fleet" measures persisted, acknowledged findings per second; "failover" kills a coordinator under a steady
/// flow and measures how long until every agent's findings are acknowledged again, and that none was lost.
/// </summary>
static class FleetBenchmark
{
    public static async Task IngestAsync(IReadOnlyList<Uri> coordinators, string token, int agents, int findingsPerAgent, int batch)
    {
        var fleet = Fleet(coordinators, token, agents);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var clock = Stopwatch.StartNew();
        var streams = await OpenAllAsync(fleet, cancel.Token);
        var connected = clock.Elapsed;
        Console.WriteLine($"fleet: {agents:N0} agents over {coordinators.Count} coordinator(s) connected (hello persisted) in {connected.TotalSeconds:0.0} s");

        clock.Restart();
        await Task.WhenAll(fleet.Select((a, i) => a.RunAsync(streams[i], findingsPerAgent, batch, TimeSpan.Zero, cancel.Token)));
        clock.Stop();
        var total = fleet.Sum(a => a.Acknowledged);
        Console.WriteLine($"fleet: {total:N0} findings ({findingsPerAgent} per agent in batches of {batch}) persisted and acknowledged in {clock.Elapsed.TotalSeconds:0.00} s: " +
                          $"{total / clock.Elapsed.TotalSeconds:N0} findings per second (entities started by the hellos); {fleet.Sum(a => a.Reconnects)} reconnects");

        // The same again on running entities: the steady state, without entity starts and their recovery queries.
        streams = await OpenAllAsync(fleet, cancel.Token);
        clock.Restart();
        await Task.WhenAll(fleet.Select((a, i) => a.RunAsync(streams[i], findingsPerAgent, batch, TimeSpan.Zero, cancel.Token)));
        clock.Stop();
        var again = fleet.Sum(a => a.Acknowledged) - total;
        Console.WriteLine($"fleet: {again:N0} more findings on running entities in {clock.Elapsed.TotalSeconds:0.00} s: {again / clock.Elapsed.TotalSeconds:N0} findings per second; " +
                          $"{fleet.Sum(a => a.Reconnects)} reconnects in all; every agent fully acknowledged: {fleet.All(a => a.Acknowledged == a.Written)}");
    }

    public static async Task FailoverAsync(IReadOnlyList<Uri> coordinators, string token, int victimPid, int agents, int seconds)
    {
        var fleet = Fleet(coordinators, token, agents);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var streams = await OpenAllAsync(fleet, cancel.Token);
        Console.WriteLine($"failover: {agents:N0} agents connected, each writing one finding a second for {seconds} s");
        var running = fleet.Select((a, i) => a.RunAsync(streams[i], seconds, 1, TimeSpan.FromSeconds(1), cancel.Token)).ToList();

        await Task.Delay(TimeSpan.FromSeconds(Math.Min(8, seconds / 3)));
        Process.GetProcessById(victimPid).Kill(); // SIGKILL
        var killed = DateTime.UtcNow;
        foreach (var agent in fleet)
            agent.Mark();
        Console.WriteLine($"failover: SIGKILL of coordinator process {victimPid}");

        await Task.WhenAll(running);
        var served = fleet.Select(a => (a.AckedAfterMark ?? DateTime.MaxValue) - killed).Order().ToList();
        var lost = fleet.Count(a => a.Acknowledged != a.Written);
        Console.WriteLine($"failover: every agent's findings acknowledged again after the kill: p50 {Seconds(served, 0.5)}, p99 {Seconds(served, 0.99)}, max {Seconds(served, 1)}");
        Console.WriteLine($"failover: {fleet.Sum(a => a.Written):N0} findings written, {fleet.Sum(a => a.Acknowledged):N0} acknowledged; " +
                          $"agents with an unacknowledged finding at the end: {lost}; reconnects: {fleet.Sum(a => a.Reconnects)}");
    }

    private static string Seconds(List<TimeSpan> sorted, double quantile)
    {
        var value = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
        return value > TimeSpan.FromHours(1) ? "never" : $"{value.TotalSeconds:0.0} s";
    }

    private static List<SimulatedAgent> Fleet(IReadOnlyList<Uri> coordinators, string token, int agents)
    {
        var ingest = SimulatedAgent.Connect(coordinators);
        var run = Guid.NewGuid().ToString("N")[..6];
        return [.. Enumerable.Range(0, agents).Select(i => new SimulatedAgent($"bench-{run}-{i}", ingest, token, i % coordinators.Count))];
    }

    /// <summary>Opens every agent's stream, 500 at a time (a fleet's DaemonSet does not start all at once either).</summary>
    private static async Task<SimulatedAgent.Stream[]> OpenAllAsync(List<SimulatedAgent> fleet, CancellationToken cancellation)
    {
        using var gate = new SemaphoreSlim(500);
        return await Task.WhenAll(fleet.Select(async agent =>
        {
            await gate.WaitAsync(cancellation);
            try
            {
                return await agent.OpenAsync(cancellation);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
