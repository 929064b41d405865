using NodeHealth.Actors.Repair.Policy;

namespace NodeHealth.Actors.Repair.Budgets;

/// <summary>
/// How long the ledger keeps a finished repair: twice the longest window the escalation ladder reads (attempt window,
/// recurrence window, longest backoff), and never less than a week, so a policy reloaded with somewhat longer windows
/// still finds the repairs it counts. Each node's latest repair is kept however old it is.
/// </summary>
public static class LedgerRetention
{
    public static readonly TimeSpan Floor = TimeSpan.FromDays(7);

    public static TimeSpan For(EscalationPolicy escalation)
    {
        var longest = new[] { escalation.AttemptWindow, escalation.RecurrenceWindow, escalation.MaxBackoff }.Max();
        return longest * 2 > Floor ? longest * 2 : Floor;
    }

    /// <summary>Finished repairs that started before this may be forgotten now.</summary>
    public static DateTimeOffset Horizon(EscalationPolicy escalation, DateTimeOffset now) => now - For(escalation);
}
