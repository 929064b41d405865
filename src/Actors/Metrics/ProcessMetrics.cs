using System.Diagnostics.Metrics;
using System.Globalization;

namespace NodeHealth.Actors.Metrics;

/// <summary>
/// The process's CPU time and resident memory under Prometheus's standard names (process_cpu_seconds_total,
/// process_resident_memory_bytes), read only when scraped: the agent's budget (DESIGN §8) is watched where it runs.
/// </summary>
public static class ProcessMetrics
{
    private static readonly Meter Meter = new(MeterNames.Process);

    static ProcessMetrics()
    {
        Meter.CreateObservableCounter("process.cpu", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s",
            "User and system CPU time the process has used");
        Meter.CreateObservableGauge("process.resident_memory", ResidentBytes, "By", "Resident set size of the process");
    }

    /// <summary>Creates the instruments (a static class's constructor runs on first use, and a meter nobody touched is never published).</summary>
    public static void Publish()
    {
    }

    /// <summary>/proc/self/statm's second field (pages resident); the runtime's working set where there is no /proc.</summary>
    private static long ResidentBytes()
    {
        try
        {
            return ResidentPages(File.ReadAllText("/proc/self/statm")) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return Environment.WorkingSet;
        }
    }

    /// <summary>The resident page count in a statm line ("size resident shared text lib data dt").</summary>
    public static long ResidentPages(string statm)
    {
        var fields = statm.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
            throw new FormatException($"/proc/self/statm: expected 'size resident ...', got '{statm.Trim()}'");
        return pages;
    }
}
