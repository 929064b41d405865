using System.Collections.Immutable;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Agent.Uplink;

/// <summary>Cuts the outbox into batches the coordinator accepts: one agent run each, valid items only, at most a maximum.</summary>
public static class OutboxBatch
{
    /// <summary>
    /// Takes the next batch off <paramref name="outbox"/>; an invalid item goes to <paramref name="reject"/> with its
    /// problem instead. Null once the outbox is empty. One run per batch: the coordinator orders a run's findings
    /// and recoveries by sequence, and runs by arrival.
    /// </summary>
    public static FindingBatch? Take(Queue<Spooled> outbox, int max, Action<Spooled, string> reject)
    {
        while (outbox.Count > 0)
        {
            var findings = ImmutableArray.CreateBuilder<Finding>();
            var recoveries = ImmutableArray.CreateBuilder<ProbeRecovery>();
            var run = outbox.Peek().AgentBootId;
            while (findings.Count + recoveries.Count < max && outbox.TryPeek(out var next) && next.AgentBootId == run)
            {
                var item = outbox.Dequeue();
                if ((item.Finding is { } f ? FindingValidation.Problem(f) : FindingValidation.Problem(item.Recovery!)) is { } problem)
                    reject(item, problem);
                else if (item.Finding is { } finding)
                    findings.Add(finding);
                else
                    recoveries.Add(item.Recovery!);
            }

            if (findings.Count + recoveries.Count > 0)
                return new FindingBatch(findings.ToImmutable(), recoveries.ToImmutable());
        }

        return null;
    }
}
