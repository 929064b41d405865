using System.Collections.Immutable;
using System.Text.Json;
using k8s.Models;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;

namespace NodeHealth.Coordinator.Kubernetes.Conditions;

/// <summary>
/// One of our five conditions as the Node object carries it. Kubernetes keeps times in whole
/// seconds; the entity's transition times are whole seconds too, so what we write is what the REST view shows.
/// </summary>
public sealed record PublishedCondition(string Type, string Status, string Reason, string Message, DateTime LastTransitionTime)
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static readonly HashSet<string> Ours = [.. ConditionTypes.All.Select(t => t.ToString())];

    public static bool IsOurs(string type) => Ours.Contains(type);

    /// <summary>What the entity's state says the Node should carry.</summary>
    public static ImmutableArray<PublishedCondition> From(NodeHealthState state) =>
    [
        .. state.Conditions.OrEmpty().Where(c => ConditionTypes.IsDefined(c.Type)).OrderBy(c => c.Type)
            .Select(c => new PublishedCondition(c.Type.ToString(), c.Status.ToString(), c.Reason, c.Message, WholeSeconds(c.LastTransitionTime))),
    ];

    /// <summary>What the Node carries of ours; the kubelet's and anyone else's are not ours to compare or touch.</summary>
    public static ImmutableArray<PublishedCondition> From(V1Node node) =>
    [
        .. (node.Status?.Conditions ?? []).Where(c => IsOurs(c.Type)).OrderBy(c => Enum.Parse<ConditionType>(c.Type))
            .Select(c => new PublishedCondition(c.Type, c.Status, c.Reason ?? "", c.Message ?? "",
                WholeSeconds(DateTime.SpecifyKind(c.LastTransitionTime ?? DateTime.UnixEpoch, DateTimeKind.Utc)))),
    ];

    /// <summary>Conditions of <paramref name="desired"/> the server does not carry exactly so.</summary>
    public static ImmutableArray<PublishedCondition> Changed(ImmutableArray<PublishedCondition> desired, ImmutableArray<PublishedCondition> onServer) =>
        [.. desired.Where(d => !onServer.Contains(d))];

    /// <summary>The strategic-merge patch of nodes/{name}/status: only these conditions, each with the heartbeat time.</summary>
    public static string Patch(IEnumerable<PublishedCondition> conditions, DateTime heartbeat)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("status");
            json.WriteStartArray("conditions");
            foreach (var c in conditions)
            {
                json.WriteStartObject();
                json.WriteString("type", c.Type);
                json.WriteString("status", c.Status);
                json.WriteString("lastHeartbeatTime", WholeSeconds(heartbeat).ToString(TimeFormat));
                json.WriteString("lastTransitionTime", c.LastTransitionTime.ToString(TimeFormat));
                json.WriteString("reason", c.Reason);
                json.WriteString("message", c.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static DateTime WholeSeconds(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
