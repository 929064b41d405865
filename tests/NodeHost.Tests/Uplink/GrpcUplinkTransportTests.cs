using Grpc.Core;
using NodeHealth.Contracts.Wire;
using NodeHealth.NodeHost.Uplink;

namespace NodeHealth.NodeHost.Tests.Uplink;

public sealed class GrpcUplinkTransportTests
{
    private static RpcException Refused(StatusCode code, Metadata trailers) => new(new Status(code, "finding 0 (agent run r1, sequence 9): reason must be ..."), trailers);

    [Fact]
    public void InvalidArgument_naming_a_finding_becomes_a_rejection_of_that_finding()
    {
        var trailers = new Metadata
        {
            { FindingValidation.RejectedAgentRunTrailer, "r1" },
            { FindingValidation.RejectedSequenceTrailer, "9" },
        };

        var rejected = GrpcUplinkTransport.Rejection(Refused(StatusCode.InvalidArgument, trailers));

        Assert.Equal(("r1", 9L), (rejected!.AgentBootId, rejected.Sequence));
        Assert.Contains("reason must be", rejected.Reason);
    }

    [Fact]
    public void Errors_that_name_no_finding_stay_connection_losses()
    {
        Assert.Null(GrpcUplinkTransport.Rejection(Refused(StatusCode.InvalidArgument, [])));
        Assert.Null(GrpcUplinkTransport.Rejection(Refused(StatusCode.Unavailable,
            new Metadata { { FindingValidation.RejectedAgentRunTrailer, "r1" }, { FindingValidation.RejectedSequenceTrailer, "9" } })));
    }
}
