using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NodeHealth.Kubernetes.Tests.Support;
using NodeHealth.Kubernetes.Tests.Support.ApiServer;

/// <summary>
/// The whole path, timed: a line written to the real /dev/kmsg, read by an agent process, sent over gRPC
/// to a coordinator process, persisted by the node's entity, and written to the Node as a condition
/// PATCH that the Kubernetes test server receives. Each sample changes the condition's message, so each
/// one is its own PATCH; samples are spaced past the coalescing window so none shares another's. Needs root.
/// </summary>
public static class KmsgToPatchLatency
{
    private const string Reason = "BenchLatencyFault";
    private const int WarmUp = 10;

    public static async Task RunAsync(string coordinatorDll, string agentDll, int samples)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var node = $"bench-latency-{run}";
        var work = Directory.CreateTempSubdirectory("nh-bench-latency-").FullName;
        await using var server = await TestApiServer.StartAsync();
        server.Nodes.Put(NodeObjects.Kubelet(node));
        var catalog = WriteCatalog(Path.Combine(work, "catalog.yaml"), run);
        var (http, grpc, akka) = (FreePort(), FreePort(), FreePort());
        const string token = "bench-latency-token";

        using var coordinator = Start(coordinatorDll, Path.Combine(work, "coordinator.log"),
            "--no-agent", $"--Coordinator:DataDirectory={work}/coordinator", $"--Coordinator:HttpPort={http}",
            $"--Coordinator:GrpcPort={grpc}", $"--Coordinator:AkkaPort={akka}", $"--Coordinator:IngestToken={token}",
            $"--Coordinator:CatalogFiles:0={catalog}", $"--Kubernetes:Kubeconfig={Kubeconfig.Write(server.Uri)}");
        using var agent = Start(agentDll, Path.Combine(work, "agent.log"),
            $"--Agent:NodeName={node}", $"--Agent:StateDirectory={work}/agent", $"--Agent:CoordinatorUrl=http://127.0.0.1:{grpc}",
            $"--Agent:Token={token}", $"--Agent:CatalogFiles:0={catalog}");
        try
        {
            await UntilAsync(() => File.ReadAllText(Path.Combine(work, "agent.log")).Contains("(kmsg) with") ? "reading" : null, "the agent to read /dev/kmsg", work);
            var patches = $"/api/v1/nodes/{node}/status";
            var latencies = new List<double>();
            for (var i = 0; i < samples + WarmUp; i++)
            {
                var marker = $"sample-{i:D5}";
                var written = DateTime.UtcNow;
                using (var kmsg = new FileStream("/dev/kmsg", FileMode.Open, FileAccess.Write))
                    kmsg.Write(Encoding.UTF8.GetBytes($"<2>node-health-bench-{run} fatal: {marker}\n"));
                var patch = await UntilAsync(() => server.RequestsTo("PATCH", patches).FirstOrDefault(r => r.Body.Contains(marker)),
                    $"the PATCH carrying {marker}", work);
                if (i >= WarmUp)
                    latencies.Add((patch.At - written).TotalMilliseconds);
                // Past the coalescing window (Kubernetes:Coalesce, 200 ms): the next line is a PATCH of its own.
                await Task.Delay(TimeSpan.FromMilliseconds(300 + Random.Shared.Next(200)));
            }

            latencies.Sort();
            Console.WriteLine($"kmsg → PATCH latency over {samples} samples (after {WarmUp} warm-up; coalescing window 200 ms):");
            Console.WriteLine($"  p50 {Percentile(latencies, 0.50):F0} ms, p90 {Percentile(latencies, 0.90):F0} ms, " +
                $"p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms, min {latencies[0]:F0} ms");
            Console.WriteLine($"  load average {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            Stop(agent);
            Stop(coordinator);
            Console.WriteLine($"logs: {work}");
        }
    }

    private static string WriteCatalog(string path, string run)
    {
        File.WriteAllText(path, $"""
            conditions:
              - type: KernelReady
                reasons:
                  - reason: {Reason}
                    severity: Fatal
                    source: kmsg
                    match: 'node-health-bench-{run} fatal: (?<what>.+)'
                    message: '{"{what}"}'
                    recovery: manual
                    description: A fatal kernel fault the latency benchmark writes.
            """);
        return path;
    }

    private static Process Start(string dll, string log, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        var output = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (process.HasExited)
            return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    private static async Task<T> UntilAsync<T>(Func<T?> probe, string what, string work) where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                if (probe() is { } value)
                    return value;
            }
            catch (IOException)
            {
                // A log file not written yet.
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"waited 60 s for {what}; logs in {work}");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
