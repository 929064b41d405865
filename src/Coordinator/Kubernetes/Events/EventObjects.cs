using System.Text.Json;
using k8s.Models;

namespace NodeHealth.Coordinator.Kubernetes.Events;

/// <summary>What an Event says: Normal or Warning, its reason (CamelCase), its action and its note (at most 1 kB).</summary>
public sealed record EventContent(string Type, string Reason, string Action, string Note);

/// <summary>Where and as whom an Event is written: its namespace, this coordinator (reportingInstance), and when it happened.</summary>
public sealed record EventOrigin(string Namespace, string ReportingInstance, DateTime EventTime);

/// <summary>The events.k8s.io/v1 shapes we write: an Event regarding an object (a Node, mostly), and the merge patch of its series.</summary>
public static class EventObjects
{
    public const string MicroTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static V1ObjectReference Node(string nodeName) => new() { ApiVersion = "v1", Kind = "Node", Name = nodeName };

    /// <summary>Every Event node-health writes, whoever writes it (a node's recorder, the repair governor's writer).</summary>
    public static Eventsv1Event Build(V1ObjectReference regarding, string name, EventContent content, EventOrigin origin, Eventsv1EventSeries? series = null) => new()
    {
        ApiVersion = "events.k8s.io/v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = origin.Namespace },
        EventTime = origin.EventTime,
        Series = series,
        Regarding = regarding,
        Reason = content.Reason,
        Note = content.Note,
        Type = content.Type,
        Action = content.Action,
        ReportingController = EventRecorderSettings.ReportingController,
        ReportingInstance = origin.ReportingInstance,
    };

    public static Eventsv1Event Build(string nodeName, CreateEvent create, string name, EventRecorderSettings settings) =>
        Build(Node(nodeName), name, new EventContent(create.First.Type, create.First.Reason, create.First.Action, create.First.Note),
            new EventOrigin(settings.Namespace, settings.ReportingInstance, create.First.ObservedAt),
            create.Count >= 2 ? new Eventsv1EventSeries { Count = (int)Math.Min(create.Count, int.MaxValue), LastObservedTime = create.LastObserved } : null);

    public static string SeriesPatch(PatchSeries patch) => JsonSerializer.Serialize(new
    {
        series = new { count = Math.Min(patch.Count, int.MaxValue), lastObservedTime = patch.LastObserved.ToString(MicroTimeFormat) },
    });
}
