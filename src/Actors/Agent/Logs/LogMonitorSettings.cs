using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Reload;

namespace NodeHealth.Actors.Agent.Logs;

public sealed record LogMonitorSettings
{
    public TimeSpan RetryOpenAfter { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// How long one read waits for records; records wake it at once, and so does shutdown for every source but
    /// /dev/kmsg (its reader closes within this). Long, so an idle log costs no wake-ups (was 2 s: issue 12).
    /// </summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A cursor request or publish the uplink has not answered in this time (it was restarting), or refused, is sent again.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads handed over but not yet spooled; the read loop waits beyond this (back-pressure).</summary>
    public int ReadsAhead { get; init; } = 4;

    /// <summary>Rate limits and block idle time; a block at the end of a burst comes out after <see cref="DetectionOptions.BlockIdle"/>.</summary>
    public DetectionOptions Detection { get; init; } = new();

    /// <summary>The catalog in force (swapped by the catalog watcher): a restarted monitor starts from it, not from the catalog it was first given.</summary>
    public CatalogHolder? Catalogs { get; init; }
}
