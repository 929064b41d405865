using Akka.Persistence.Journal;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Actors.Fleet;

/// <summary>Tags every NodeHealth event so the fleet read model can follow them all in one stream.</summary>
public sealed class FleetEventTagger : IWriteEventAdapter
{
    public const string Tag = "node-health";
    private static readonly string[] Tags = [Tag];

    public string Manifest(object evt) => string.Empty;

    public object ToJournal(object evt) => evt is INodeHealthEvent ? new Tagged(evt, Tags) : evt;
}
