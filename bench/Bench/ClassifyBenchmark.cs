using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.LogLines;

/// <summary>
/// Kernel-log classification with the full built-in catalog on a generated, realistic log file read through the
/// reader and line forms <c>classify</c> uses: in process at steady state (budget ≥ 3,000,000 lines per
/// CPU-second), and the whole <c>classify</c> process including its start (budget ≥ 1,000,000).
/// </summary>
static class ClassifyBenchmark
{
    public static void Run(int lines, string? agentDll, bool gpuNode = false)
    {
        var log = Path.Combine(Path.GetTempPath(), $"node-health-bench-kernel{(gpuNode ? "-gpu" : "")}-{lines}.log");
        if (!File.Exists(log))
        {
            var faults = new KernelLogGenerator(gpuNode: gpuNode).Write(log, lines, faultEvery: 2_000);
            Console.WriteLine($"generated {log}: {lines:N0} lines, {faults:N0} fault events, {new FileInfo(log).Length / 1e6:0.0} MB");
        }

        Breakdown(log);
        // The breakdown leaves a million strings behind: collect them now, or a background GC bills them to the steady state.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        SteadyState(log);
        WholeProcess(log, agentDll ?? DefaultAgentDll());
    }

    // Where a line's time goes before the engine: reading and decoding, then removing its form's prefix.
    private static void Breakdown(string log)
    {
        var form = LogClassification.FormFor("kmsg");
        for (var run = 0; run < 3; run++)
        {
            var (read, readCpu) = Measure(() =>
            {
                using var reader = new LogLineReader(File.OpenRead(log));
                long n = 0;
                while (reader.TryReadLine(out _))
                    n++;
                return n;
            });
            var (parsed, parseCpu) = Measure(() =>
            {
                using var reader = new LogLineReader(File.OpenRead(log));
                long n = 0;
                while (reader.TryReadLine(out var line))
                    if (form(line, out var text) && text.Text.Length > 0)
                        n++;
                return n;
            });
            if (run == 2)
                Console.WriteLine($"read + decode: {read / readCpu:N0} lines per CPU-second; read + decode + line form: {parsed / parseCpu:N0} lines per CPU-second");
        }

        // The engine alone, on texts already in memory, and the literal search it starts each line with.
        var texts = new List<(string Text, DateTime At)>();
        using (var reader = new LogLineReader(File.OpenRead(log)))
            while (reader.TryReadLine(out var line))
                if (form(line, out var parsedLine))
                    texts.Add((parsedLine.Text.ToString(), parsedLine.At ?? DateTime.UnixEpoch));
        var catalog = CatalogLoader.LoadBuiltIn();
        var literals = SearchValues.Create([.. catalog.RulesFor("kmsg").SelectMany(r => r.Literals).Distinct()], StringComparison.Ordinal);
        for (var run = 0; run < 3; run++)
        {
            var engine = new DetectionEngine(catalog, "kmsg", new DetectionOptions { RateLimits = false });
            var output = new List<Detection>();
            var (_, engineCpu) = Measure(() =>
            {
                for (var i = 0; i < texts.Count; i++)
                    engine.Feed(texts[i].Text, texts[i].At, i + 1, output);
                return texts.Count;
            });
            var (hits, searchCpu) = Measure(() => texts.LongCount(t => t.Text.AsSpan().IndexOfAny(literals) >= 0));
            if (run == 2)
                Console.WriteLine($"engine alone: {texts.Count / engineCpu:N0} lines per CPU-second; its literal search alone "
                    + $"({catalog.RulesFor("kmsg").SelectMany(r => r.Literals).Distinct().Count()} literals): {texts.Count / searchCpu:N0} lines per CPU-second, {hits:N0} lines contain one");
        }
    }

    private static (long Lines, double CpuSeconds) Measure(Func<long> work)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var lines = work();
        return (lines, (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
    }

    private static void SteadyState(string log)
    {
        var catalog = CatalogLoader.LoadBuiltIn();
        for (var run = 0; run < 4; run++)
        {
            var engine = new DetectionEngine(catalog, "kmsg", new DetectionOptions { RateLimits = false });
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (allocatedBefore, collectionsBefore) = (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0));
            var clock = Stopwatch.StartNew();
            var findings = 0;
            using var reader = new LogLineReader(File.OpenRead(log));
            var count = LogClassification.Run(reader, LogClassification.FormFor("kmsg"), engine, DateTime.UtcNow, _ => findings++);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            Console.WriteLine($"steady state{(run == 0 ? " (warm-up)" : "")}: {count:N0} lines, {findings:N0} findings, {engine.RuleCount} rules, "
                + $"{clock.Elapsed.TotalSeconds:0.000} s wall, {cpu:0.000} s CPU: {count / cpu:N0} lines per CPU-second; "
                + $"{(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)count:0.0} bytes allocated per line, {GC.CollectionCount(0) - collectionsBefore} GCs");
        }
    }

    private static void WholeProcess(string log, string agentDll)
    {
        if (!File.Exists(agentDll))
        {
            Console.WriteLine($"whole process: skipped, {agentDll} is not built");
            return;
        }

        var lines = File.ReadLines(log).LongCount();
        var empty = Path.Combine(Path.GetTempPath(), "node-health-bench-empty.log");
        File.WriteAllText(empty, "");
        foreach (var (input, label) in new[] { (empty, "start only (empty input)"), (log, "whole process"), (log, "whole process"), (log, "whole process") })
        {
            var before = ChildrenCpuSeconds();
            var clock = Stopwatch.StartNew();
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { agentDll, "classify", "--source", "kernel", input })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var cpu = ChildrenCpuSeconds() - before;
            var findings = output.Result.Count(c => c == '\n');
            var count = input == empty ? 0 : lines;
            Console.WriteLine($"{label}: exit {process.ExitCode}, {count:N0} lines, {findings:N0} findings, {clock.Elapsed.TotalSeconds:0.000} s wall, {cpu:0.000} s CPU"
                + (count > 0 ? $": {count / cpu:N0} lines per CPU-second" : "") + $" ({stderr.Result.Trim()})");
        }
    }

    private static string DefaultAgentDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return Path.Combine(dir.FullName, "src", "NodeHost", "bin", "Release", "net10.0", "NodeHealth.NodeHost.dll");
        return "NodeHealth.NodeHost.dll";
    }

    // User and system CPU of every waited-for child so far (getrusage RUSAGE_CHILDREN), as /usr/bin/time reports it.
    private static double ChildrenCpuSeconds()
    {
        if (GetResourceUsage(-1, out var usage) != 0)
            throw new InvalidOperationException($"getrusage failed: {Marshal.GetLastPInvokeError()}");
        return usage.UserSeconds + usage.UserMicros / 1e6 + usage.SystemSeconds + usage.SystemMicros / 1e6;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds, UserMicros, SystemSeconds, SystemMicros;
        public long MaxRss, SharedText, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps, BlocksIn, BlocksOut, MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }
}
