using System.Diagnostics;
using NodeHealth.Actors.Detection;
using NodeHealth.Contracts.Catalog;
using Detected = NodeHealth.Actors.Detection.Detection;

namespace NodeHealth.Actors.Tests.Detection;

/// <summary>Storms of repeated lines: rate limits fold repeats into counts, in bounded time and memory.</summary>
public sealed class DetectionStormTests
{
    private static readonly ReasonCatalog Catalog = CatalogLoader.Parse("ops.yaml", """
        conditions:
          - type: KernelReady
            reasons:
              - reason: OomKill
                severity: Warning
                source: kmsg
                match: 'Out of memory: Killed process (?<pid>\d+) \((?<process>[^)]+)\)'
                literals: ['Out of memory: Killed process ']
                message: 'killed {process} ({pid})'
                entity: '{process}'
                rateLimit: 10/1m
                before: OOMKilling
        """);

    private const string OomLine = "Out of memory: Killed process 4242 (stress-ng) total-vm:8429812kB, anon-rss:8123456kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:16012kB oom_score_adj:1000";

    [Fact]
    public void Hundred_thousand_identical_lines_give_a_bounded_number_of_detections_whose_counts_sum_to_every_line()
    {
        var engine = new DetectionEngine(Catalog, "kmsg");
        var output = new List<Detected>();
        var clock = Stopwatch.StartNew();

        // 100,000 lines in one minute of log time, a soft lockup in the middle of the storm.
        for (var i = 0; i < 100_000; i++)
        {
            var at = EngineRun.T0.AddTicks(TimeSpan.FromMinutes(1).Ticks * i / 100_000);
            engine.Feed(i == 50_000 ? "watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [stress-ng:4242]" : OomLine, at, i + 1, output);
        }

        engine.Flush(DateTime.MaxValue, output);
        clock.Stop();

        var oom = output.Where(d => d.Rule.Reason == "OomKill").ToList();
        Assert.InRange(oom.Count, 10, 12);
        Assert.Equal(99_999, oom.Sum(d => d.Count));
        Assert.Equal(Enumerable.Repeat(1, 10), oom.Take(10).Select(d => d.Count));
        Assert.Equal(11L, oom[10].Line); // The fold is numbered by the first line it stands for.
        Assert.Equal(("killed stress-ng (4242)", "stress-ng"), (oom[10].Message, oom[10].Entity));
        Assert.Equal(50_001L, Assert.Single(output, d => d.Rule.Reason == "SoftLockup").Line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"100,000 lines took {clock.Elapsed}");
    }

    [Fact]
    public void Repeats_fold_once_their_window_has_passed_and_counting_starts_afresh()
    {
        var engine = new DetectionEngine(Catalog, "kmsg");
        var output = new List<Detected>();
        for (var i = 0; i < 15; i++)
            engine.Feed(OomLine, EngineRun.T0.AddSeconds(i), i + 1, output);
        Assert.Equal(10, output.Count);

        engine.Flush(EngineRun.T0.AddSeconds(30), output);
        Assert.Equal(10, output.Count); // The window has not passed yet.
        engine.Flush(EngineRun.T0.AddSeconds(61), output);

        Assert.Equal((5, 11L), (output[10].Count, output[10].Line));
        engine.Feed(OomLine, EngineRun.T0.AddSeconds(62), 16, output);
        Assert.Equal((1, 16L), (output[11].Count, output[11].Line));
    }

    [Fact]
    public void A_new_line_after_the_window_brings_out_the_fold_before_itself()
    {
        var engine = new DetectionEngine(Catalog, "kmsg");
        var output = new List<Detected>();
        for (var i = 0; i < 12; i++)
            engine.Feed(OomLine, EngineRun.T0.AddSeconds(i), i + 1, output);

        engine.Feed(OomLine, EngineRun.T0.AddMinutes(2), 13, output);

        Assert.Equal([(2, 11L), (1, 13L)], output.Skip(10).Select(d => (d.Count, d.Line)));
    }

    [Fact]
    public void Entities_are_limited_separately()
    {
        var engine = new DetectionEngine(Catalog, "kmsg");
        var output = new List<Detected>();
        for (var i = 0; i < 20; i++)
            engine.Feed($"Out of memory: Killed process {i} (worker-{i % 2})", EngineRun.T0.AddSeconds(i), i + 1, output);

        Assert.Equal(20, output.Count);
    }

    [Fact]
    public void Without_rate_limits_every_match_is_a_detection()
    {
        var lines = Enumerable.Repeat(OomLine, 50).ToArray();

        var detections = EngineRun.Lines(new DetectionEngine(Catalog, "kmsg", new DetectionOptions { RateLimits = false }), lines);

        Assert.Equal(50, detections.Count);
        Assert.All(detections, d => Assert.Equal(1, d.Count));
    }

    [Fact]
    public void A_storm_of_distinct_entities_keeps_memory_bounded_and_loses_no_count()
    {
        var engine = new DetectionEngine(Catalog, "kmsg");
        var output = new List<Detected>();
        var lines = 0;
        for (var process = 0; process < 20_000; process++)
        {
            for (var repeat = 0; repeat < 12; repeat++)
                engine.Feed($"Out of memory: Killed process {repeat} (p{process})", EngineRun.T0.AddMilliseconds(process), ++lines, output);
        }

        engine.Flush(DateTime.MaxValue, output);

        Assert.Equal(lines, output.Sum(d => d.Count));
        Assert.Equal(20_000 * 11, output.Count); // Ten each, then one fold of two each.
    }
}
