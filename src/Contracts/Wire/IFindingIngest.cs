using ProtoBuf.Grpc;
using ProtoBuf.Grpc.Configuration;

namespace NodeHealth.Contracts.Wire;

/// <summary>
/// The agent's one bidirectional stream: findings up, acknowledgements down. The first message
/// must be an <see cref="AgentHello"/>; the call carries <c>authorization: Bearer &lt;token&gt;</c>.
/// </summary>
[Service("nodehealth.FindingIngest")]
public interface IFindingIngest
{
    [Operation("Connect")]
    IAsyncEnumerable<CoordinatorMessage> ConnectAsync(IAsyncEnumerable<AgentMessage> messages, CallContext context = default);
}

public static class IngestLimits
{
    public const int MaxMessageBytes = 1024 * 1024;
    public const int MaxFindingsPerBatch = 500;
    public const int MaxNodeNameLength = 253;
    public const int MaxReasonLength = 128;
    public const int MaxMessageLength = 4096;
    public const int MaxSourceLength = 128;
    public const int MaxEntityLength = 256;
    public const int MaxBootIdLength = 64;

    /// <summary>Concrete reasons a family recovery may list as still failing (a node has a few dozen GPUs, each a few codes).</summary>
    public const int MaxStillFailing = 256;
    public static readonly TimeSpan MaxQuietFor = TimeSpan.FromDays(30);

    /// <summary>Most occurrences one finding may stand for (a day of a 1,000-line-a-second storm is 86,400,000).</summary>
    public const int MaxFindingCount = 100_000_000;
}
