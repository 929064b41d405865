using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Reload;

namespace NodeHealth.Actors.Agent.Logs;

public sealed record LogMonitorSettings
{
    public TimeSpan RetryOpenAfter { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a read waits for records before checking for shutdown; records themselves wake it at once.</summary>
    public TimeSpan ReadWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A cursor request or publish the uplink has not answered in this time (it was restarting), or refused, is sent again.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads handed over but not yet spooled; the read loop waits beyond this (back-pressure).</summary>
    public int ReadsAhead { get; init; } = 4;

    /// <summary>Rate limits and block idle time; a block at the end of a burst comes out after <see cref="DetectionOptions.BlockIdle"/>.</summary>
    public DetectionOptions Detection { get; init; } = new();

    /// <summary>The catalog in force (swapped by the catalog watcher): a restarted monitor starts from it, not from the catalog it was first given.</summary>
    public CatalogHolder? Catalogs { get; init; }
}
