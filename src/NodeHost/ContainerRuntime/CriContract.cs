using ProtoBuf;
using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Configuration;

namespace NodeHealth.NodeHost.ContainerRuntime;

// The part of the Kubernetes CRI (k8s.io/cri-api, pkg/apis/runtime/v1/api.proto) the agent calls, written code-first
// with the published field numbers; fields not listed here are skipped on read, as protobuf allows.

[Service("runtime.v1.RuntimeService")]
public interface ICriRuntimeService
{
    [Operation("Status")]
    Task<CriStatusResponse> StatusAsync(CriStatusRequest request, CallContext context = default);
}

[ProtoContract(Name = "StatusRequest")]
public sealed class CriStatusRequest
{
    [ProtoMember(1, Name = "verbose")]
    public bool Verbose { get; set; }
}

[ProtoContract(Name = "StatusResponse")]
public sealed class CriStatusResponse
{
    [ProtoMember(1, Name = "status")]
    public CriRuntimeStatus? Status { get; set; }

    [ProtoMember(2, Name = "info")]
    public Dictionary<string, string> Info { get; set; } = [];
}

[ProtoContract(Name = "RuntimeStatus")]
public sealed class CriRuntimeStatus
{
    [ProtoMember(1, Name = "conditions")]
    public List<CriRuntimeCondition> Conditions { get; set; } = [];
}

[ProtoContract(Name = "RuntimeCondition")]
public sealed class CriRuntimeCondition
{
    [ProtoMember(1, Name = "type")]
    public string Type { get; set; } = "";

    [ProtoMember(2, Name = "status")]
    public bool Status { get; set; }

    [ProtoMember(3, Name = "reason")]
    public string Reason { get; set; } = "";

    [ProtoMember(4, Name = "message")]
    public string Message { get; set; } = "";
}
