using System.Text.Json;
using k8s.Models;

namespace NodeHealth.Coordinator.Kubernetes.Events;

/// <summary>The events.k8s.io/v1 shapes we write: an Event regarding a Node, and the merge patch of its series.</summary>
public static class EventObjects
{
    public const string MicroTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static Eventsv1Event Build(string nodeName, CreateEvent create, string name, EventRecorderSettings settings) => new()
    {
        ApiVersion = "events.k8s.io/v1",
        Kind = "Event",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = settings.Namespace },
        EventTime = create.First.ObservedAt,
        Series = create.Count >= 2 ? new Eventsv1EventSeries { Count = (int)Math.Min(create.Count, int.MaxValue), LastObservedTime = create.LastObserved } : null,
        Regarding = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
        Reason = create.First.Reason,
        Note = create.First.Note,
        Type = create.First.Type,
        Action = create.First.Action,
        ReportingController = EventRecorderSettings.ReportingController,
        ReportingInstance = settings.ReportingInstance,
    };

    public static string SeriesPatch(PatchSeries patch) => JsonSerializer.Serialize(new
    {
        series = new { count = Math.Min(patch.Count, int.MaxValue), lastObservedTime = patch.LastObserved.ToString(MicroTimeFormat) },
    });
}
