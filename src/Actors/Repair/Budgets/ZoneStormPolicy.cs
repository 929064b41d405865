namespace NodeHealth.Actors.Repair.Budgets;

/// <summary>
/// The zone storm breaker: when more than <see cref="ThresholdPercent"/> % of a zone's nodes (zones of at least
/// <see cref="MinZoneNodes"/>) turned unhealthy within <see cref="Window"/>, repairs there pause — a zone degrading at
/// once is an outage or a bad rollout, and replacing its nodes one by one prolongs it. The zone resumes when an
/// operator says so, or once <see cref="CoolDown"/> has passed since the trip and no storm is going on.
/// </summary>
public sealed record ZoneStormPolicy(bool Enabled, int ThresholdPercent, TimeSpan Window, TimeSpan CoolDown, int MinZoneNodes, string Origin)
{
    public static readonly ZoneStormPolicy Default = new(true, 20, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30), 5, "default");
}
