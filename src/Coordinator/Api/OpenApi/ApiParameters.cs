namespace NodeHealth.Coordinator.Api.OpenApi;

/// <summary>
/// What each query and route parameter means, worded once for every endpoint that takes it; the document fills any
/// parameter the endpoint did not describe itself from here, and the document test fails on one found in neither.
/// </summary>
public static class ApiParameters
{
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "The node's name (its Kubernetes Node name, a DNS subdomain).",
        ["node"] = "Only this node (a Kubernetes Node name).",
        ["condition"] = "Only nodes with this condition: KernelReady, StorageReady, NetworkingReady, ContainerRuntimeReady, AcceleratedHardwareReady.",
        ["status"] = "Only nodes with a condition of this status (True, False, Unknown); with condition=, that condition's.",
        ["pool"] = "Only nodes of this pool (label karpenter.sh/nodepool, else eks.amazonaws.com/nodegroup).",
        ["zone"] = "Only nodes of this zone (label topology.kubernetes.io/zone).",
        ["label"] = "Only nodes carrying this label, as key=value; repeat for several.",
        ["reason"] = "Only nodes with an active fault of this reason (e.g. XidHardwareFailure).",
        ["limit"] = "At most this many items in the page (1 to 1000); without it, all of them.",
        ["cursor"] = "Where the page starts: the X-Next-Cursor (or Link rel=next) of the previous page, unchanged.",
        ["since"] = "Only entries at or after this ISO-8601 time (UTC unless it names its offset).",
        ["Last-Event-ID"] = "The id of the last event this client received: the stream first sends what it missed (the current state when the id is too old).",
        ["lastEventId"] = "Resume after this event id (as the Last-Event-ID header does); an id this coordinator cannot continue from sends the current state first.",
        ["id"] = "The reboot's id, chosen by the caller: posting it again answers how that reboot went and never reboots twice.",
        ["note"] = "Why, in a few words (shown with the record).",
        ["by"] = "Who acts (shown with the record); default 'operator'.",
        ["seed"] = "The random seed of the simulation, instead of the scenario's: the same seed gives the same report.",
    };
}
